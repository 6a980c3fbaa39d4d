#!/usr/bin/env bash
# Fails when a dev-dependency of `server` turns on a feature, in a crate the
# release build compiles too, that the release build (`cargo leptos build`, no
# dev-dependencies) does not turn on: `cargo bench` would then compile a second
# copy of that crate and of everything above it (axum, sqlx, leptos, app…)
# into target/release. The fix is to add the feature in server/Cargo.toml's
# [dependencies] (see the note there). Reads Cargo.lock only, compiles nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

# An explicit --target keeps host (build script, proc-macro) and target
# copies of a crate apart, as the build does.
host=$(rustc -vV | sed -n 's/^host: //p')
graph() { # "pkg version features" for every crate the build compiles
  cargo tree --locked -p server --target "$host" -e "features,normal,build$1" --prefix none \
    --format '{p} {f}' | grep -v ' feature "' | sed 's/ (\*)$//' | sort -u
}
release=$(graph "")
bench=$(graph ",dev")

stale=$(comm -13 <(echo "$release") <(echo "$bench") |
  while read -r name version features; do
    if grep -q "^$name $version " <<<"$release"; then
      echo "  $name $version: $features"
    fi
  done)
if [[ -n $stale ]]; then
  echo "the dev-dependencies of server change these crates' features;"
  echo "turn the same features on in server/Cargo.toml [dependencies]:"
  echo "$stale"
  exit 1
fi
