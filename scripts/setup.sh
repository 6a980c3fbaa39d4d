#!/usr/bin/env bash
# Installs what Lausanne Platform needs, and only what is missing: a second
# run takes seconds.
#
#   scripts/setup.sh          building and running (scripts/run.sh)
#   scripts/setup.sh --test   that, and what the tests add (scripts/test.sh)
#
# Every tool version is pinned here; the Rust toolchain, its components and
# the wasm target are pinned in rust-toolchain.toml, Playwright in
# end2end/package-lock.json. What this script cannot install (rustup,
# Node.js with npm, Debian packages without apt-get or root) stops it at once
# with one line saying what to install.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

case "${1-}" in
  "") tests=false ;;
  --test) tests=true ;;
  *) echo "usage: scripts/setup.sh [--test]" >&2; exit 2 ;;
esac

NODE_MIN_MAJOR=20
CARGO_LEPTOS_VERSION=0.3.10
BINARYEN_VERSION=132.0.0
# The SMTP server the mail tests start on loopback.
AIOSMTPD_VERSION=1.4.6
# The wasm-bindgen CLI must match the library version in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
# toml_value KEY: the string or list of strings KEY names in rust-toolchain.toml.
toml_value() { sed -n "s/^$1 *= *//p" rust-toolchain.toml | tr -d '[]",'; }
RUST_CHANNEL=$(toml_value channel)
[ -n "$RUST_CHANNEL" ] || { echo "setup: rust-toolchain.toml names no channel" >&2; exit 1; }
read -ra RUST_COMPONENTS <<<"$(toml_value components)"
read -ra RUST_TARGETS <<<"$(toml_value targets)"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
# c_toolchain: cc compiles and links a C program against libc's headers, and make runs.
c_toolchain() {
  { printf '#include <stdio.h>\nint main(void) { return 0; }\n' | cc -x c -o /dev/null - && make --version; } >/dev/null 2>&1
}
# version_is VERSION COMMAND...: COMMAND runs and prints VERSION as a word.
version_is() {
  local want=$1 out
  shift
  out=$("$@" 2>/dev/null) || return 1
  [[ " $out " == *[[:space:]]"$want"[[:space:]]* ]]
}

# What the build and the tests use from the system, by Debian package.
debs=()
# The C toolchain: the linker, and the C in ring, SQLite and cargo-leptos'
# vendored OpenSSL (whose build also runs make and perl).
c_toolchain || debs+=(build-essential)
have pkg-config || debs+=(pkg-config)
# perl-base alone lacks the modules OpenSSL's Configure loads.
perl -MIPC::Cmd -MFindBin -MFile::Spec -e 1 2>/dev/null || debs+=(perl)
have curl || debs+=(curl)
# The zone files behind every event's local times: without them each zone
# would fall back to UTC.
[ -f /usr/share/zoneinfo/Europe/Zurich ] || debs+=(tzdata)
# scripts/build.sh stores brotli copies of the assets.
have brotli || debs+=(brotli)
if $tests; then
  # The browser the Playwright specs drive (end2end/playwright.config.ts).
  [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || debs+=(chromium)
  # The load generator of `cargo bench -p server --bench pages`.
  have wrk || debs+=(wrk)
  # The second database: the tests start a throwaway cluster of their own
  # (scripts/with-postgres.sh), never the system's service.
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || debs+=(postgresql)
  # The venv the mail tests' SMTP server lives in; python3 also picks e2e ports.
  python3 -c 'import venv, ensurepip' 2>/dev/null || debs+=(python3-venv)
fi

# First what cannot be installed from here, all on one line.
cannot=()
if ! have rustup || ! have cargo; then
  cannot+=("rustup (https://rustup.rs; this script then adds Rust $RUST_CHANNEL)")
fi
node_major=$(node -e 'process.stdout.write(process.versions.node.split(".")[0])' 2>/dev/null || true)
case $node_major in "" | *[!0-9]*) node_major=0 ;; esac
if [ "$node_major" -lt "$NODE_MIN_MAJOR" ] || ! have npm; then
  found=$(node --version 2>/dev/null || echo "none")
  cannot+=("Node.js >= $NODE_MIN_MAJOR with npm (found: $found; Debian 12's nodejs is 18: take nodejs.org's or NodeSource's)")
fi
if [ ${#debs[@]} -gt 0 ]; then
  if ! have apt-get; then
    cannot+=("${debs[*]} (Debian's names; no apt-get here)")
  elif [ "$(id -u)" -ne 0 ] && ! have sudo; then
    cannot+=("${debs[*]} (apt-get install as root; not root and no sudo)")
  fi
fi
if [ ${#cannot[@]} -gt 0 ]; then
  list=$(printf '; %s' "${cannot[@]}")
  printf '\033[1msetup:\033[0m install %s, then run scripts/setup.sh again\n' "${list:2}" >&2
  exit 1
fi

if [ ${#debs[@]} -gt 0 ]; then
  say "installing ${debs[*]} from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debs[@]}" >/dev/null
fi

# Rust as rust-toolchain.toml pins it (rustup picks it up in this folder).
if ! [[ $'\n'"$(rustup toolchain list)" == *$'\n'"$RUST_CHANNEL"-* ]]; then
  say "installing Rust $RUST_CHANNEL"
  rustup toolchain install "$RUST_CHANNEL" --profile minimal
fi
installed=$(rustup component list --installed --toolchain "$RUST_CHANNEL")
missing=()
for component in "${RUST_COMPONENTS[@]}"; do
  grep -qE "^$component(-|$)" <<<"$installed" || missing+=("$component")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "adding ${missing[*]} to Rust $RUST_CHANNEL"
  rustup component add --toolchain "$RUST_CHANNEL" "${missing[@]}"
fi
installed=$(rustup target list --installed --toolchain "$RUST_CHANNEL")
missing=()
for target in "${RUST_TARGETS[@]}"; do
  grep -qx "$target" <<<"$installed" || missing+=("$target")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "adding the ${missing[*]} target to Rust $RUST_CHANNEL"
  rustup target add --toolchain "$RUST_CHANNEL" "${missing[@]}"
fi

if ! version_is "$CARGO_LEPTOS_VERSION" cargo leptos --version; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (compiles from source, ~20 min once)"
  cargo install cargo-leptos@"$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if ! version_is "$WASM_BINDGEN_VERSION" wasm-bindgen --version; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (~3 min once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# wasm-opt from npm's binaryen (Debian's is too old), kept inside the project.
if [ ! -x .tools/node_modules/.bin/wasm-opt ] ||
  ! version_is "$BINARYEN_VERSION" node -p 'require("./.tools/node_modules/binaryen/package.json").version'; then
  say "installing binaryen $BINARYEN_VERSION (wasm-opt) into .tools/"
  mkdir -p .tools
  (cd .tools && npm install --silent --no-audit --no-fund --prefix . -E "binaryen@$BINARYEN_VERSION")
fi

if $tests; then
  if ! .tools/venv/bin/python -c "import sys, aiosmtpd; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD_VERSION')" 2>/dev/null; then
    say "installing aiosmtpd $AIOSMTPD_VERSION (the mail tests' SMTP server) into .tools/venv"
    mkdir -p .tools
    python3 -m venv .tools/venv
    .tools/venv/bin/pip install --quiet --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION"
  fi

  if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "installing the end-to-end test packages (Playwright)"
    (cd end2end && npm ci --silent --no-audit --no-fund)
  fi
fi

if $tests; then say "ready to build, run and test"; else say "ready to build and run"; fi
