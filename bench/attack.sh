#!/usr/bin/env bash
# Attack benchmark: how much legitimate throughput survives hostile clients. Runs a legitimate mix
# (list, profile, search, neighbourhood; 4 `hey` streams) for D seconds alone, then again while 4
# attackers send the worst cases (a 25-level fragment bomb, a BOM alias flood, a 60 KB ID, a deep
# nesting) as fast as they can, on the curated graph in SQLite. Reports per-query req/s and p99 in
# both runs, the share of throughput kept, and the attackers' own rate and status codes.
# Usage: bench/attack.sh (D=15s by default). Installs `hey` with apt-get when missing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
duration="${D:-15s}"
port=8093
if ! command -v hey >/dev/null; then
    sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q hey </dev/null >/dev/null
fi

cargo build --release -p api --quiet
DATABASE_URL="sqlite://$work/attack.db?mode=rwc" BAYGRAPH_LISTEN="127.0.0.1:$port" RUST_LOG=warn \
    target/release/api > "$work/api.log" 2>&1 &
api_pid=$!
poll_ready "$port" "$api_pid" 60 || { echo "the API was not ready within 60 s" >&2; exit 1; }

python3 - "$work" "$(id zone:huangpu)" <<'PY'
import json, sys
work, huangpu = sys.argv[1], sys.argv[2]
def write(name, query, variables=None):
    body = {"query": query}
    if variables is not None:
        body["variables"] = variables
    open(f"{work}/{name}.json", "w").write(json.dumps(body, ensure_ascii=False))
# The legitimate mix.
write("list", "{ zones(first: 20) { totalCount nodes { id nameZh nameEn platforms(first: 5) { nodes { nameZh } } } } }")
write("profile", '{ zone(slug: "huangpu") { nameZh aliases citations { quote start end } partners(first: 20) { nodes { party { ... on Zone { nameZh } } } } platforms(first: 10) { nodes { nameZh } } } }')
write("search", '{ search(query: "黄埔", first: 10) { totalCount edges { node { score node { id } } } } }')
write("neighborhood", f'{{ neighborhood(id: "{huangpu}", depth: 2) {{ nodes {{ id label }} edges {{ source target kind }} }} }}')
# The attacks.
bomb = "{ zones(first: 100) { nodes { ...F0 } } }\n" + "".join(
    f"fragment F{i} on Zone {{ ...F{i+1} ...F{i+1} }}\n" for i in range(25)) + "fragment F25 on Zone { slug }\n"
write("bomb", bomb)
write("aliases", "{ " + " ".join(f'a{i}\ufeff: search(query: "黄埔", first: 1) {{ totalCount }}' for i in range(100)) + " }")
write("long_id", "query($id: ID!) { node(id: $id) { id } }", {"id": "A" * 60000})
write("deep", '{ zone(slug: "huangpu") ' + "{ parent " * 40 + "{ slug }" + "}" * 41)
PY

for q in list profile search neighborhood bomb aliases long_id deep; do
    code=$(curl -s -o "$work/$q.answer" -w '%{http_code}' -X POST "localhost:$port/graphql" -H 'content-type: application/json' --data-binary @"$work/$q.json")
    printf '  check %-13s HTTP %s  %s\n' "$q" "$code" "$(head -c 120 "$work/$q.answer")"
done

legit=(list profile search neighborhood)
attacks=(bomb aliases long_id deep)
run() {
    local label="$1"; shift
    local pids=()
    for q in "${legit[@]}"; do
        hey -z "$duration" -c 4 -m POST -T application/json -D "$work/$q.json" "http://127.0.0.1:$port/graphql" > "$work/$label-$q.out" &
        pids+=($!)
    done
    for q in "$@"; do
        hey -z "$duration" -c 1 -m POST -T application/json -D "$work/$q.json" "http://127.0.0.1:$port/graphql" > "$work/$label-$q.out" &
        pids+=($!)
    done
    wait "${pids[@]}"
}
rps() { awk '/Requests\/sec/ {print $2}' "$work/$1.out"; }
p99() { awk '/ 99% in/ {printf "%.1f", $3 * 1000}' "$work/$1.out"; }

run alone
run attacked "${attacks[@]}"

echo "== legitimate mix, 4 streams x 4 connections, $duration; alone vs with 4 attackers"
total_alone=0; total_attacked=0
for q in "${legit[@]}"; do
    a=$(rps "alone-$q"); b=$(rps "attacked-$q")
    total_alone=$(echo "$total_alone + $a" | bc); total_attacked=$(echo "$total_attacked + $b" | bc)
    printf '  %-13s alone %8.1f req/s p99 %6s ms   attacked %8.1f req/s p99 %6s ms\n' "$q" "$a" "$(p99 "alone-$q")" "$b" "$(p99 "attacked-$q")"
done
printf '  throughput kept: %.0f %% (%.1f of %.1f req/s)\n' "$(echo "100 * $total_attacked / $total_alone" | bc -l)" "$total_attacked" "$total_alone"
for q in "${attacks[@]}"; do
    printf '  attacker %-9s %8.1f req/s  %s\n' "$q" "$(rps "attacked-$q")" "$(grep -E '^\s+\[[0-9]+\]' "$work/attacked-$q.out" | tr -s ' ' | paste -sd' ')"
done
printf "  panics in the server log: %s\n" "$(grep -c -i panick "$work/api.log" || true)"
