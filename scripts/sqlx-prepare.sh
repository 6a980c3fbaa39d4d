#!/usr/bin/env bash
# Regenerates `.sqlx/`, the compile-time query data that lets the build run
# without a database, for both databases: every query is written once for
# SQLite and once for PostgreSQL (`server::db::backend::run!`), and each
# text is checked against its own database, built here from the migrations.
# Run it after changing a query or a migration, and after `cargo fmt` (which
# re-indents SQL inside `run!`, and the data is kept by the exact text). Needs python3 (SQLite's
# scratch database), PostgreSQL (a throwaway cluster, scripts/with-postgres.sh)
# and cargo; sqlx-cli is not required.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${LAUSANNE_TEST_POSTGRES:-}" ]; then
  exec bash scripts/with-postgres.sh bash "$0" "$@"
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
python3 - "$scratch/prepare.db" <<'PY'
import glob, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for path in sorted(glob.glob("app/migrations/sqlite/*.sql")):
    db.executescript(open(path, encoding="utf-8").read())
db.commit()
PY
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
"$pg_bin/psql" -q -v ON_ERROR_STOP=1 "$LAUSANNE_TEST_POSTGRES" -c "CREATE DATABASE prepare"
postgres_url="${LAUSANNE_TEST_POSTGRES%/*}/prepare"
for path in app/migrations/postgres/*.sql; do
  "$pg_bin/psql" -q -v ON_ERROR_STOP=1 "$postgres_url" -f "$path" >/dev/null
done

# Each database's queries, the other's left out; both sets land in .sqlx/
# once both are written.
mkdir -p "$scratch/sqlite" "$scratch/postgres"
touch app/src/lib.rs
SQLX_OFFLINE=false DATABASE_URL="sqlite://$scratch/prepare.db" SQLX_OFFLINE_DIR="$scratch/sqlite" \
  cargo check -p app --features prepare-sqlite --quiet
touch app/src/lib.rs
SQLX_OFFLINE=false DATABASE_URL="$postgres_url" SQLX_OFFLINE_DIR="$scratch/postgres" \
  cargo check -p app --features prepare-postgres --quiet
touch app/src/lib.rs

# The data is kept by the hash of the text: the same text for both would be
# one file, read as one database's.
same=$(comm -12 <(ls "$scratch/sqlite") <(ls "$scratch/postgres"))
if [ -n "$same" ]; then
  echo "these queries have the same text for SQLite and PostgreSQL; make them differ:" >&2
  for f in $same; do python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["query"])' "$scratch/sqlite/$f" >&2; done
  exit 1
fi
rm -rf .sqlx
mkdir .sqlx
cp "$scratch"/sqlite/*.json "$scratch"/postgres/*.json .sqlx/
echo "wrote $(ls "$scratch/sqlite" | wc -l) SQLite and $(ls "$scratch/postgres" | wc -l) PostgreSQL query files to .sqlx/"
