#!/usr/bin/env bash
# Installs what building and testing Lausanne Platform needs, and only what is
# missing: a second run takes seconds. Every tool version is pinned here.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
BINARYEN_VERSION=132.0.0
# The SMTP server the mail tests start on loopback.
AIOSMTPD_VERSION=1.4.6
# The wasm-bindgen CLI must match the library version in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (compiles from source, ~20 min once)"
  cargo install cargo-leptos@"$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (~3 min once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# wasm-opt from npm's binaryen (Debian's is too old), kept inside the project.
if [ ! -x .tools/node_modules/.bin/wasm-opt ]; then
  say "installing binaryen $BINARYEN_VERSION (wasm-opt) into .tools/"
  mkdir -p .tools
  (cd .tools && npm install --silent --no-audit --no-fund --prefix . -E "binaryen@$BINARYEN_VERSION")
fi

missing_debs=()
have chromium || missing_debs+=(chromium)
have brotli || missing_debs+=(brotli)
have wrk || missing_debs+=(wrk)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing_debs+=(python3-venv)
if [ ${#missing_debs[@]} -gt 0 ]; then
  say "installing ${missing_debs[*]} from Debian"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing_debs[@]}" >/dev/null
fi

if ! .tools/venv/bin/python -c "import sys, aiosmtpd; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD_VERSION')" 2>/dev/null; then
  say "installing aiosmtpd $AIOSMTPD_VERSION (the mail tests' SMTP server) into .tools/venv"
  mkdir -p .tools
  python3 -m venv .tools/venv
  .tools/venv/bin/pip install --quiet --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION"
fi

if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing the end-to-end test packages"
  (cd end2end && npm ci --silent --no-audit --no-fund)
fi

say "ready"
