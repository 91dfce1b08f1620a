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
(cd "$root" && cargo build -p api -p loader)
api_bin="${CARGO_TARGET_DIR:-$root/target}/debug/api"
[[ "$api_bin" = /* ]] || api_bin="$root/$api_bin"

step "start an OTLP collector stand-in (records what the exporter posts)"
tmp="$(mktemp -d)"
otlp_port="$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
node -e '
const fs = require("fs");
require("http").createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const names = ["baygraph", "/graphql"].filter((s) => body.includes(s)).join(",");
    fs.appendFileSync(process.argv[1], `${req.method} ${req.url} ${req.headers["content-type"]} ${body.length} bytes naming ${names}\n`);
    res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
  });
}).listen(Number(process.argv[2]), "127.0.0.1");' "$tmp/otlp.log" "$otlp_port" &
otlp_pid=$!

step "start the API on a fresh SQLite database, exporting spans over OTLP"
# shellcheck source=../lib/start-api.sh
source "$here/../lib/start-api.sh"
BAYGRAPH_OTLP_ENDPOINT="http://127.0.0.1:$otlp_port" start_api "$api_bin"

step "client checks"
status=0
queries="${BAYGRAPH_QUERIES:-${CARGO_TARGET_DIR:-$root/target}/test-queries.jsonl}"
[[ -f "$queries" ]] || queries=""
(cd "$here" && BAYGRAPH_URL="$base" BAYGRAPH_QUERIES="$queries" node clients.test.mjs) || status=$?

step "the sync script in docs/feeds.md keeps a copy equal to a fresh export"
sync_dir="$tmp/sync"
mkdir -p "$sync_dir"
awk '/^```python$/ {on=1; next} /^```$/ {on=0} on' "$root/docs/feeds.md" > "$sync_dir/sync.py"
(
    cd "$sync_dir"
    BAYGRAPH="$base" python3 sync.py | tee first.txt
    grep -q '^exported [0-9]* records at [0-9]*$' first.txt
    "${CARGO_TARGET_DIR:-$root/target}/debug/loader" import "$root/tests/fixtures/feeds/good.ndjson" \
        --feed sync-check --database-url "sqlite://$tmp/baygraph.db" > /dev/null
    sleep 1
    BAYGRAPH="$base" python3 sync.py | tee second.txt
    grep -q '^applied [1-9][0-9]* changes, now at [0-9]*$' second.txt
    BAYGRAPH="$base" python3 - <<'PY'
import json, os, urllib.request
state = json.load(open("baygraph.json", encoding="utf-8"))
with urllib.request.urlopen(os.environ["BAYGRAPH"] + "/export/graph.ndjson") as r:
    fresh = [json.loads(l) for l in r.read().decode("utf-8").splitlines()]
records = {r["id"]: r for r in fresh if r.get("type") != "end"}
assert state["records"] == records, "the synced copy differs from a fresh export"
print(f"synced copy equals a fresh export ({len(records)} records)")
PY
) || status=$?
step "the API's spans reached the OTLP collector (flushed on shutdown at the latest)"
kill "$api_pid" && wait "$api_pid" 2>/dev/null || true
if grep -q "^POST /v1/traces application/x-protobuf [0-9]* bytes naming baygraph,/graphql$" "$tmp/otlp.log" 2>/dev/null; then
    echo "collector received $(grep -c '^POST /v1/traces' "$tmp/otlp.log") OTLP export(s) naming the /graphql requests"
else
    echo "FAIL: no OTLP export of the requests' spans reached the collector" >&2
    status=1
fi
kill "$otlp_pid" 2>/dev/null || true
if ((status != 0)); then
    echo "--- last lines of the API log" >&2
    tail -n 40 "$tmp/api.log" >&2
fi
exit "$status"
