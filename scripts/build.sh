#!/usr/bin/env bash
# Release build: the `lausanne` binary, CSS, JS and WASM with hashed names,
# plus brotli and gzip copies of the assets so they are never compressed on
# the fly.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# Run from a bench or test, this script inherits the variables cargo sets for
# the running package (CARGO_PKG_NAME=server, CARGO_MANIFEST_DIR...); ring's
# build script watches them, so ring, rustls, lettre, app and the server would
# be rebuilt here, and again by the next plain build.
unset CARGO_MANIFEST_DIR CARGO_MANIFEST_PATH "${!CARGO_PKG_@}"

cargo leptos build --release
for f in target/site/pkg/*.css target/site/pkg/*.js target/site/pkg/*.wasm; do
  brotli --force --keep --best "$f"
  gzip --force --keep --best "$f"
done
