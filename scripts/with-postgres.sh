#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster: initialised in a
# temporary folder owned by `postgres`, listening on a free loopback port,
# stopped and removed when the command ends. The command finds the cluster
# in LAUSANNE_TEST_POSTGRES (a superuser URL; tests create a database each).
# Durability is off (fsync): nothing here outlives the run.
#   bash scripts/with-postgres.sh cargo test -p server
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed: run bash scripts/setup.sh --test" >&2
  exit 1
fi
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# PostgreSQL refuses to run as root.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
stop() {
  as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w start \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=500" >/dev/null

export LAUSANNE_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
"$@"
