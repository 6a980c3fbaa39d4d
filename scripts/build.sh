#!/usr/bin/env bash
# Release build: the `lausanne` binary, CSS, JS and WASM with hashed names,
# plus brotli and gzip copies of the assets so they are never compressed on
# the fly.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

cargo leptos build --release
for f in target/site/pkg/*.css target/site/pkg/*.js target/site/pkg/*.wasm; do
  brotli --force --keep --best "$f"
  gzip --force --keep --best "$f"
done
