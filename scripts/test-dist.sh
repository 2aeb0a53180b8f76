#!/usr/bin/env bash
# The .deb as a user gets it: unpacked into a throwaway root (dpkg -x, so that it needs no root
# and leaves the machine as it was), then its CLI run on an example and its desktop app started
# in a real window (Xvfb) until that window shows the example. `make test-dist` runs it after
# `make dist`.
#
#   scripts/test-dist.sh PACKAGE.deb
set -euo pipefail

cd "$(dirname "$0")/.."
deb=$(realpath "$1")
example=models/customer-support.bartizan.yaml
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { echo "test-dist: $*" >&2; exit 1; }

step "Package: $(basename "$deb"), $(du -h "$deb" | cut -f1)"
dpkg-deb --field "$deb" Package Version Depends
[ "$(dpkg-deb --field "$deb" Version)" = "$version" ] || fail "the package's version is not $version"

step "Unpacking into $root"
dpkg-deb -x "$deb" "$root"
for file in usr/bin/bartizan usr/bin/bartizan-desktop usr/share/man/man1/bartizan.1 \
  usr/share/man/man1/bartizan-check.1 usr/share/bash-completion/completions/bartizan \
  usr/share/zsh/vendor-completions/_bartizan usr/share/fish/vendor_completions.d/bartizan.fish \
  usr/share/mime/packages/bartizan.xml usr/share/applications/Bartizan.desktop; do
  [ -e "$root/$file" ] || fail "the package has no /$file"
  echo "/$file"
done
# The file manager opens a model with the app when the entry claims the type and passes the file.
grep -q '^MimeType=.*application/x-bartizan+yaml' "$root/usr/share/applications/Bartizan.desktop" \
  || fail "the desktop entry does not claim model files"
grep -q '^Exec=bartizan-desktop %F$' "$root/usr/share/applications/Bartizan.desktop" \
  || fail "the desktop entry does not pass the opened file to the app"

step "The installed CLI"
"$root/usr/bin/bartizan" --version
[ "$("$root/usr/bin/bartizan" --version)" = "bartizan $version" ] || fail "bartizan --version is not $version"
"$root/usr/bin/bartizan" check --fail-on none "$example" | tail -n 5
status=0
"$root/usr/bin/bartizan" check --fail-on high "$example" >/dev/null || status=$?
[ "$status" -eq 1 ] || fail "bartizan check --fail-on high exited $status on $example, not 1 (its high risks)"
man -l "$root/usr/share/man/man1/bartizan.1" 2>/dev/null | head -n 4 || true
bash -c "source '$root/usr/share/bash-completion/completions/bartizan' && complete -p bartizan" \
  || fail "the bash completion does not load"

step "The installed desktop app, in a real window, started with $example"
cd ui
BARTIZAN_APP="$root/usr/bin/bartizan-desktop" xvfb-run -a -s "-screen 0 1440x900x24" \
  npx vitest run --config e2e-tauri/vitest.config.ts opens-argument
