#!/usr/bin/env bash
# Lighthouse 12 (mobile preset: a mid-range phone on a slow 4G link) on every
# public page, in English and Arabic, against the release server started here
# on a free loopback port with the demo data. Prints each page's scores
# (performance, accessibility, best practices, SEO) and exits non-zero when
# one is below 100. Needs `bash scripts/build.sh` first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

LIGHTHOUSE_VERSION=12.2.3
if [ ! -x .tools/node_modules/.bin/lighthouse ]; then
  (cd .tools && npm install --silent --no-audit --no-fund --prefix . -E "lighthouse@$LIGHTHOUSE_VERSION")
fi

source scripts/demo-server.sh

base="http://$LEPTOS_SITE_ADDR"
event=$(curl -fs "$base/en/events" | grep -o 'href="/en/events/[a-z0-9-]*"' | head -1 | sed 's|href="/en/events/||; s|"||')
bulletin=$(curl -fs "$base/en/bulletins" | grep -o 'href="/en/bulletins/[a-z0-9-]*"' | head -1 | sed 's|href="/en/bulletins/||; s|"||')
pages=("" "/events" "/events?when=past" "/events/$event" "/events/$event/register" "/bulletins"
  "/bulletins/$bulletin" "/subscribe" "/organisation" "/privacy")

audit() {
  CHROME_PATH=/usr/bin/chromium lighthouse "$1" --quiet --output=json --output-path="$work/report.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=$work/chrome" \
    >/dev/null 2>&1
}

below=0
printf '%-48s %5s %5s %5s %5s\n' page perf a11y best seo
for lang in en ar; do
  for page in "${pages[@]}"; do
    url="$base/$lang$page"
    # A run whose browser did not come up or went away is tried once more
    # (seen once in forty); a score is never retried.
    audit "$url" || audit "$url" || { echo "lighthouse failed on $url" >&2; below=1; continue; }
    line=$(python3 - "$work/report.json" "/$lang$page" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
cats = report["categories"]
scores = [round(cats[c]["score"] * 100) for c in ("performance", "accessibility", "best-practices", "seo")]
failing = [a["id"] for c in cats.values() for ref in c["auditRefs"] if ref["weight"] > 0
           for a in [report["audits"][ref["id"]]] if a["score"] is not None and a["score"] < 1]
print(f"{sys.argv[2]:<48} " + " ".join(f"{s:5d}" for s in scores) + (f"   {', '.join(sorted(set(failing)))}" if failing else ""))
PY
)
    echo "$line"
    if python3 -c 'import sys; sys.exit(0 if all(int(s) == 100 for s in sys.argv[1:5]) else 1)' $(echo "$line" | awk '{print $2, $3, $4, $5}'); then :; else below=1; fi
  done
done
exit "$below"
