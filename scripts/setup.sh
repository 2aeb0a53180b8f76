#!/usr/bin/env bash
# Installs what `make run` and `make test` need and is missing. Safe to run again: each step
# checks first and does nothing when the thing is there.
set -euo pipefail

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

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

case "${1:-engine}" in
  engine) ensure_rust ;;
  *) echo "usage: $0 [engine]" >&2; exit 3 ;;
esac
