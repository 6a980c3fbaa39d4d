#!/usr/bin/env bash
# Runs every test: formatting and lints for both targets, unit and
# integration tests (real server on 127.0.0.1:0, fresh SQLite per test; a
# PostgreSQL cluster of their own for what runs on PostgreSQL), the
# release build with its WASM, and the Playwright specs in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

# What building needs, plus Chromium, wrk, aiosmtpd and Playwright.
bash scripts/setup.sh --test
source scripts/env.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "format"
cargo fmt --all --check

step "one feature set for the release build, tests and benches"
bash scripts/check-features.sh

step "lints (server and browser builds are checked separately)"
cargo clippy -p server --all-targets --quiet -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown --quiet -- -D warnings

step "unit and integration tests on SQLite, then the integration tests again on PostgreSQL"
# One throwaway cluster for both runs (scripts/with-postgres.sh).
bash scripts/with-postgres.sh bash -c \
  'cargo test -p app -p server && LAUSANNE_TEST_BACKEND=postgres cargo test -p server --test it'

step "release build"
bash scripts/build.sh

step "browser tests"
bash scripts/e2e.sh
