# Sourced by the other scripts: puts the project's own tools on PATH.
# shellcheck shell=bash
export PATH="$PWD/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
