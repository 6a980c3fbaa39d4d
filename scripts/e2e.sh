#!/usr/bin/env bash
# Runs the Playwright specs (all, or those its arguments name) against the release server, started here on a
# free loopback port with a fresh database holding the demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

# What an operator logs; checked below for personal data.
export RUST_LOG=info
# Every spec posts forms from 127.0.0.1; the per-address limit has its own test.
export LAUSANNE_FORM_LIMIT=100000
source scripts/demo-server.sh

# The demo printed its staff accounts' generated passwords once; the specs
# sign in as the demo moderator and admin, read the emails, and read the
# database (attendance).
export E2E_OUTBOX="$LAUSANNE_OUTBOX_DIR"
export E2E_MODERATOR_EMAIL=moderator@demo.example.org
E2E_MODERATOR_PASSWORD=$(awk '$2 == "moderator@demo.example.org" { print $4 }' "$work/demo.txt")
export E2E_MODERATOR_PASSWORD
export E2E_ADMIN_EMAIL=admin@demo.example.org
E2E_ADMIN_PASSWORD=$(awk '$2 == "admin@demo.example.org" { print $4 }' "$work/demo.txt")
export E2E_ADMIN_PASSWORD
export E2E_DATABASE="$work/demo.db"

status=0
(cd end2end && BASE_URL="http://$LEPTOS_SITE_ADDR" npx playwright test "$@") || status=$?

# Logs without personal data: the specs' addresses (all @example.org), the
# meeting URLs they set, private and email tokens (32 hex digits) and the
# staff passwords must not appear in what the server printed.
leaks=$(grep -nE '@example\.org|meet\.example\.org|[0-9a-f]{32}' "$work/server.log" || true)
for secret in "$E2E_MODERATOR_PASSWORD" "$E2E_ADMIN_PASSWORD"; do
  if [ -n "$secret" ]; then
    leaks+=$(grep -nF -e "$secret" "$work/server.log" || true)
  fi
done
if [ -n "$leaks" ]; then
  echo "personal data in the server log:" >&2
  echo "$leaks" >&2
  exit 1
fi
exit "$status"
