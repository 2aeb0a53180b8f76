#!/usr/bin/env bash
# Page images of a sample PDF report, so a reader sees what `bartizan report` produces:
# the cover, the executive summary, the system diagram, the first (most severe) risk, the open
# questions and the framework coverage matrix, rendered with pdftoppm into docs/report/.
#
#   scripts/report-pages.sh                   finance-ops, into docs/report/
#   BARTIZAN_REPORT_EXAMPLE=models/customer-support.bartizan.yaml scripts/report-pages.sh
#
# SOURCE_DATE_EPOCH is fixed, so the same model gives the same report and the same images.
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL="${BARTIZAN_REPORT_EXAMPLE:-models/finance-ops.bartizan.yaml}"
OUT=docs/report
RESOLUTION="${BARTIZAN_REPORT_DPI:-60}"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1795624800}"

scripts/setup.sh pdf
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --quiet --release --bin bartizan

mkdir -p "$OUT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
PDF="$WORK/report.pdf"
# No workspace: the sample shows the model alone, not this machine's recorded history.
export BARTIZAN_WORKSPACE="$WORK/no-workspace.sqlite3"
./target/release/bartizan --color never report "$MODEL" --pdf "$PDF"

# Where each page is, from the table of contents (`2 The system . . . . 5`): the page
# number closing the first contents line that names the heading.
CONTENTS="$(pdftotext -layout -enc UTF-8 "$PDF" -)"
page_of() {
  local page
  page="$(grep -E -m1 "^ *$1 .*( ?\.){3,} *[0-9]+ *$" <<<"$CONTENTS" | grep -Eo '[0-9]+ *$' | tr -d ' ')" || true
  if [ -z "$page" ]; then
    echo "error: no contents entry matching \`$1\` in $PDF" >&2
    exit 1
  fi
  echo "$page"
}

# Assigned first, so that a heading missing from the contents stops the script (set -e).
summary="$(page_of '[0-9]+ Executive summary')"
system="$(page_of '[0-9]+ The system')"
risk="$(page_of 'R-01')"
questions="$(page_of '[0-9]+ Open questions')"
coverage="$(page_of '[0-9]+ Framework coverage')"

rm -f "$OUT"/*.png
shoot() {
  local name="$1" page="$2"
  pdftoppm -png -r "$RESOLUTION" -f "$page" -l "$page" -singlefile "$PDF" "$OUT/$name"
  echo "$OUT/$name.png: page $page"
}
shoot 1-cover 1
shoot 2-summary "$summary"
shoot 3-system "$system"
shoot 4-risk "$risk"
shoot 5-questions "$questions"
shoot 6-coverage "$coverage"
