#!/usr/bin/env bash
# Screenshots of the desktop app in a real window (Xvfb), light and dark, on an example model
# with its findings and one finding's path highlighted: docs/screenshots/app-{light,dark}.png.
#
#   scripts/screenshots.sh                    finance-ops, into docs/screenshots/
#   BARTIZAN_SCREENSHOT_EXAMPLE=coding-agent scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh screenshots
make --no-print-directory app
export PATH="$HOME/.cargo/bin:$PATH"
cd ui
SIZE="${BARTIZAN_SCREENSHOT_SIZE:-1920x1080}"
BARTIZAN_APP="$(realpath "${CARGO_TARGET_DIR:-$PWD/../target}")/app/bartizan-desktop" BARTIZAN_SCREENSHOTS_DIR="$PWD/../docs/screenshots" \
  BARTIZAN_SCREENSHOT_SIZE="$SIZE" xvfb-run -a -s "-screen 0 ${SIZE}x24" npx vitest run --config e2e-tauri/screenshots.config.ts
