#!/usr/bin/env bash
# Packages the CLI for one target: the `bartizan` binary built before this runs, its shell
# completions and man pages (generated from the command line's declaration), README and
# LICENSE, into dist/cli/ (which the Linux packages also take their copies from) and the
# tarball dist/bartizan-VERSION-TARGET.tar.gz. `make dist` and the release workflow run it.
#
#   scripts/package-cli.sh BINARY TARGET
set -euo pipefail

cd "$(dirname "$0")/.."
binary=$1
target=$2
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
name="bartizan-$version-$target"

rm -rf dist/cli "dist/$name" "dist/$name.tar.gz"
mkdir -p dist/cli
cp "$binary" README.md LICENSE dist/cli/
cargo run --quiet --example cli-docs -- dist/cli >/dev/null
# The tarball unpacks into a folder named like itself.
cp -R dist/cli "dist/$name"
tar -C dist -czf "dist/$name.tar.gz" "$name"
rm -rf "dist/$name"
echo "dist/$name.tar.gz"
