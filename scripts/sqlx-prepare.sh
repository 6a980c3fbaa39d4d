#!/usr/bin/env bash
# Regenerates `.sqlx/`, the compile-time query data that lets the build run
# without a database. Run it after changing a query or a migration.
# Needs python3 (to build a scratch database from the migrations) and cargo;
# sqlx-cli is not required.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
python3 - "$scratch/prepare.db" <<'PY'
import glob, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for path in sorted(glob.glob("app/migrations/sqlite/*.sql")):
    db.executescript(open(path, encoding="utf-8").read())
db.commit()
PY

rm -rf .sqlx
mkdir -p .sqlx
touch app/src/lib.rs
SQLX_OFFLINE=false DATABASE_URL="sqlite://$scratch/prepare.db" SQLX_OFFLINE_DIR="$PWD/.sqlx" \
  cargo check -p server --quiet
echo "wrote $(ls .sqlx | wc -l) query files to .sqlx/"
