# Bartizan: `make run` and `make test` install what is missing, then do their job.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

EXAMPLE ?= models/customer-support.bartizan.yaml
# The desktop app as the tests and `make run` use it: a debug build serving the bundled UI, with
# the engine optimised (Cargo.toml's `app` profile: the app analyses the model at every edit).
APP := $(or $(CARGO_TARGET_DIR),target)/app/bartizan-desktop
XVFB := xvfb-run -a -s "-screen 0 1440x900x24"
# What the UI's build reads: rebuilt only when one of these changes.
UI_SOURCES := $(shell find ui/src ui/public ui/index.html ui/package.json ui/package-lock.json \
	ui/vite.config.ts ui/tsconfig.json -type f 2>/dev/null)

.PHONY: run run-app run-headless test setup setup-engine setup-pdf build ui app lint \
	test-engine test-desktop test-ui test-browser test-app perf-app screenshots report-pages bench \
	dist test-dist icons

setup:
	@scripts/setup.sh all

setup-engine:
	@scripts/setup.sh engine

## The engine's tests read the PDF report back with poppler (pdftotext, pdfinfo, pdffonts).
setup-pdf:
	@scripts/setup.sh pdf

build: setup-engine
	cargo build --release --bin bartizan

## The UI (ui/dist), which the desktop app embeds: it must exist before src-tauri compiles.
ui: setup ui/dist/index.html

ui/dist/index.html: $(UI_SOURCES) | setup
	cd ui && npm run build

## The desktop app (debug build with the engine optimised, serving the bundled UI). It has the
## real-window tests' dialog seam (feature `e2e`, inert unless BARTIZAN_E2E_DIALOG_DIR is set):
## one binary serves the tests, the screenshots and `make run`, because building `make run`
## without the feature would rebuild and overwrite the tests' binary at each switch. Release
## builds never have it.
app: ui
	cargo build --profile app -p bartizan-desktop --features e2e

## Opens the desktop app on the example model; with no display, says so and checks the
## example headless instead.
run: ui
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		$(MAKE) --no-print-directory run-app; \
	else \
		echo "No display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the desktop app cannot open a window."; \
		echo "Running the headless job instead: bartizan check on $(EXAMPLE)."; \
		$(MAKE) --no-print-directory run-headless; \
	fi

run-app: app
	$(APP) $(EXAMPLE)

run-headless: build
	./target/release/bartizan validate $(EXAMPLE)
	./target/release/bartizan check --fail-on none $(EXAMPLE)

## Format, clippy on the whole workspace (the engine and src-tauri), TypeScript, eslint, the
## GitHub Actions workflows and the job in docs/ci.md (actionlint), and the versions (one
## product version; Tauri's crates and npm packages on one minor).
lint: ui
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cd ui && npm run typecheck && npm run lint
	.tools/actionlint/bin/actionlint
	sed -n '/^```yaml$$/,/^```$$/p' docs/ci.md | sed '1d;$$d' | .tools/actionlint/bin/actionlint -stdin-filename docs/ci.md -
	cargo test --quiet --test versions

test-engine: setup-pdf
	cargo test

## In the app's profile, so that the shell's dependencies are built once for its tests and the app.
test-desktop: ui
	cargo test --profile app -p bartizan-desktop

## Vitest unit tests of the UI's model and state logic.
test-ui: setup
	cd ui && npx vitest run

## The UI in Chromium against the fake back end.
test-browser: setup
	cd ui && npx vitest run --config e2e/vitest.config.ts

## The real app in a real window (Xvfb), driven through tauri-driver and WebKitWebDriver.
test-app: app
	cd ui && BARTIZAN_APP="$(abspath $(APP))" $(XVFB) npx vitest run --config e2e-tauri/vitest.config.ts

## What is shipped (Cargo's release profile: thin LTO, stripped), into dist/: the CLI's tarball
## (the binary, shell completions, man pages, README, LICENSE) and the Linux packages (.deb and
## .rpm, each with the app, the CLI, its completions and man pages). AppImage is left to the
## release workflow: its tools are downloaded at build time.
HOST := $(shell rustc -vV 2>/dev/null | sed -n 's/^host: //p')
RELEASE := $(or $(CARGO_TARGET_DIR),target)/release
TAURI := node ui/node_modules/@tauri-apps/cli/tauri.js

dist: ui
	rm -rf dist
	cargo build --release --bin bartizan
	scripts/package-cli.sh $(RELEASE)/bartizan $(HOST)
	$(TAURI) build --ci --bundles deb,rpm
	cp $(RELEASE)/bundle/deb/*.deb $(RELEASE)/bundle/rpm/*.rpm dist/
	@ls -l dist/*.tar.gz dist/*.deb dist/*.rpm

## The .deb as a user gets it (not part of `make test`: the release build takes longer than
## CI allows): installed into a throwaway root, its `bartizan` run on an example, and its app
## started in a real window (Xvfb) until the example shows.
test-dist: dist
	scripts/test-dist.sh dist/*.deb

## Every icon (PNG sizes, .ico, .icns) from the one source image.
icons:
	$(TAURI) icon src-tauri/icons/source.svg -o src-tauri/icons
	rm -rf src-tauri/icons/android src-tauri/icons/ios

## Runs every check and test.
test: lint test-engine test-desktop test-ui test-browser test-app

## The desktop app's live analysis (edit → risks panel) and cold start, measured in the real
## window (not part of `make test`; docs/performance.md has the figures).
perf-app: app
	cd ui && BARTIZAN_APP="$(abspath $(APP))" $(XVFB) npx vite-node e2e-tauri/live.perf.ts

## Screenshots of the real window, light and dark, into docs/screenshots/ (not part of `make test`).
screenshots:
	scripts/screenshots.sh

## Page images of a sample PDF report into docs/report/ (not part of `make test`).
report-pages:
	scripts/report-pages.sh

## Benchmarks (not part of `make test`): criterion, then one large run with peak memory.
bench: setup-engine
	cargo bench --bench check
	cargo bench --bench read
	cargo bench --bench report
	cargo bench --bench workspace
	cargo bench --bench validate
	for shape in estate hub chain dense star; do \
		cargo run --release --example scale -- 100000 --shape $$shape || exit 1; \
	done

## Fuzzing (not part of `make test`, see docs/fuzzing.md): each target for FUZZ_SECONDS, seeded
## with the example models and the fixtures (YAML and JSON). Crashes land in fuzz/artifacts/.
.PHONY: fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= yaml_reader json_reader check fmt_round_trip pdf_writer diagnostics
FUZZ_FLAGS ?= -rss_limit_mb=4096 -timeout=10 -max_len=32768
# cargo-fuzz builds with nightly flags: the nightly toolchain when installed, else stable told
# to accept them (RUSTC_BOOTSTRAP=1).
FUZZ_CARGO := $(if $(shell rustup toolchain list 2>/dev/null | grep '^nightly'),cargo +nightly,RUSTC_BOOTSTRAP=1 cargo)

fuzz: setup-engine
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	cargo run --quiet --example fuzz-seed-corpus -- fuzz/seeds fuzz/bartizan.dict
	@for target in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/corpus/$$target; \
		echo "$(FUZZ_CARGO) fuzz run --sanitizer none $$target ($(FUZZ_SECONDS) s)"; \
		$(FUZZ_CARGO) fuzz run --sanitizer none $$target \
			"$(CURDIR)/fuzz/corpus/$$target" "$(CURDIR)/fuzz/seeds" -- \
			-dict="$(CURDIR)/fuzz/bartizan.dict" -max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS) || exit 1; \
	done
