# Rampart: `make run` and `make test` install what is missing, then do their job.
SHELL := /bin/bash
EXAMPLE ?= models/customer-support.rampart.yaml

.PHONY: run test setup lint test-engine build

setup:
	@scripts/setup.sh engine

build: setup
	cargo build --release --bin rampart

## Builds Rampart and checks the bundled example model.
run: build
	./target/release/rampart validate $(EXAMPLE)
	./target/release/rampart check $(EXAMPLE)

lint: setup
	cargo fmt --all --check
	cargo clippy --all-targets -- -D warnings

test-engine: setup
	cargo test

## Runs every check and test.
test: lint test-engine
