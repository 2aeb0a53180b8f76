# Rampart: `make run` and `make test` install what is missing, then do their job.
SHELL := /bin/bash
EXAMPLE ?= models/customer-support.rampart.yaml

.PHONY: run test setup build lint test-engine bench

setup:
	@scripts/setup.sh engine

build: setup
	cargo build --release --bin rampart

## Builds Rampart and checks the bundled example model.
run: build
	./target/release/rampart validate $(EXAMPLE)
	./target/release/rampart check --fail-on none $(EXAMPLE)

lint: setup
	cargo fmt --all --check
	cargo clippy --all-targets -- -D warnings

test-engine: setup
	cargo test

## Runs every check and test.
test: lint test-engine

## Benchmarks (not part of `make test`): criterion, then one large run with peak memory.
bench: setup
	cargo bench --bench check
	cargo run --release --example scale -- 10000
	cargo run --release --example scale -- 100000
