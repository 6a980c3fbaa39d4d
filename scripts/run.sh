#!/usr/bin/env bash
# Runs Lausanne Platform with demo data on http://127.0.0.1:3000 (or
# LEPTOS_SITE_ADDR): installs what building and running need if missing (not
# the test tools), builds for release, migrates, loads the demo programme into
# an empty database, serves.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh
source scripts/env.sh
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"

target/release/lausanne migrate
target/release/lausanne demo
exec target/release/lausanne serve
