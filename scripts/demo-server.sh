# Sourced by the scripts that drive the release server (e2e.sh,
# lighthouse.sh): a fresh database with the demo data in a temporary folder
# ($work), the server on a free loopback port ($LEPTOS_SITE_ADDR), stopped
# and cleaned up on exit. The demo's output (its staff passwords) is in
# $work/demo.txt, the server's log in $work/server.log. Set extra
# environment before sourcing.
# shellcheck shell=bash
work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$work/demo.db?mode=rwc"
export LEPTOS_SITE_ADDR="127.0.0.1:$port"
export LEPTOS_SITE_ROOT="$PWD/target/site"
export LAUSANNE_PUBLIC_URL="http://$LEPTOS_SITE_ADDR"
# Emails are written as files here.
export LAUSANNE_OUTBOX_DIR="$work/outbox"
target/release/lausanne demo >"$work/demo.txt"
target/release/lausanne serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  curl -fs "http://$LEPTOS_SITE_ADDR/healthz" >/dev/null && break
  sleep 0.1
done
