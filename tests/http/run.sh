#!/usr/bin/env bash
# Baygraph's GraphQL endpoint against real clients (graphql-http audit, Apollo Client with
# persisted queries, graphql-ws, graphql-js validation): starts the API on a fresh SQLite database
# filled from the seeds and runs clients.test.mjs against it.
#
#   bash tests/http/run.sh          (from anywhere)
set -euo pipefail

here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd -- "$here/../.." && pwd)"

step() { printf '\n== %s\n' "$*"; }

step "npm ci (graphql, graphql-http, graphql-ws, @apollo/client, ws)"
(cd "$here" && npm ci --no-audit --no-fund)

step "build the API"
(cd "$root" && cargo build -p api)
api_bin="${CARGO_TARGET_DIR:-$root/target}/debug/api"
[[ "$api_bin" = /* ]] || api_bin="$root/$api_bin"

step "start the API on a fresh SQLite database"
tmp="$(mktemp -d)"
port="$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
api_pid=""
cleanup() {
    if [[ -n "$api_pid" ]] && kill -0 "$api_pid" 2>/dev/null; then
        kill "$api_pid" 2>/dev/null || true
        wait "$api_pid" 2>/dev/null || true
    fi
    rm -rf -- "$tmp"
}
trap cleanup EXIT
(cd "$root" && DATABASE_URL="sqlite://$tmp/baygraph.db?mode=rwc" BAYGRAPH_LISTEN="127.0.0.1:$port" \
    exec "$api_bin") >"$tmp/api.log" 2>&1 &
api_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
    node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$base/ready" && break
    kill -0 "$api_pid" 2>/dev/null || { tail -n 40 "$tmp/api.log" >&2; exit 1; }
    sleep 1
done

step "client checks"
status=0
(cd "$here" && BAYGRAPH_URL="$base" node clients.test.mjs) || status=$?
if ((status != 0)); then
    echo "--- last lines of the API log" >&2
    tail -n 40 "$tmp/api.log" >&2
fi
exit "$status"
