#!/usr/bin/env bash
# README command 1: install what is missing, build everything, set up the local D1 database with
# demo data, and serve the app and API from `wrangler dev` on http://127.0.0.1:8787.
# Stop with Ctrl-C. State (D1, KV, R2) persists in .wrangler/state between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false
PORT=${PORT:-8787}

bash scripts/install.sh
bash scripts/build.sh

# The server key that receipt secrets are derived from; made once per checkout.
if ! grep -q '^RECEIPT_KEY=' .dev.vars 2>/dev/null; then
  echo "RECEIPT_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" >> .dev.vars
fi

echo "==> applying D1 migrations to the local database"
wrangler d1 migrations apply qinglang --local
wrangler d1 migrations apply qinglang-shard-1 --local

echo "==> starting wrangler dev"
setsid wrangler dev --ip 127.0.0.1 --port "$PORT" --show-interactive-dev-session=false &
pid=$!
trap 'kill -- -$pid 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break
  kill -0 "$pid" 2>/dev/null || { echo "wrangler dev exited" >&2; exit 1; }
  sleep 0.5
done
# Staff accounts for the console at every office of the demo network (local database only):
# .wrangler/demo-accounts.json. Then the demo data, through the public and staff APIs: the office
# network, posters, reports with their histories, refutations.
node scripts/demo-accounts.mjs "http://127.0.0.1:$PORT"
node scripts/seed-demo.mjs "http://127.0.0.1:$PORT"
echo
echo "Qinglang is ready: http://127.0.0.1:$PORT"
echo
wait "$pid"
