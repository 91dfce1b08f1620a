#!/usr/bin/env bash
# API benchmark: a standard query mix (list page, entity profile with partners, search,
# neighbourhood, path) under concurrent load on loopback, against a synthetic graph N times the
# curated one, on SQLite and on PostgreSQL. Five `hey` streams run at once (one per query), each
# with C connections for D seconds; reports requests/s and p50/p99 per query.
# Usage: bench/api.sh [N] (default 100). Needs `hey` (apt-get install hey).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
n="${1:-100}"
concurrency="${C:-4}"
duration="${D:-15s}"
port=8091
command -v hey >/dev/null || { echo "hey is not installed (apt-get install hey)" >&2; exit 1; }

cargo build --release -p loader -p api --quiet
target/release/loader synth --scale "$n" --out "$work/seeds" > /dev/null

copy=$((n / 2))
write_queries() {
    local huangpu; huangpu=$(curl -s -X POST "localhost:$port/graphql" -H 'content-type: application/json' \
        -d "{\"query\":\"{ zone(slug: \\\"huangpu-s$copy\\\") { nameZh } }\"}" | sed 's/.*"nameZh":"\([^"]*\)".*/\1/')
    printf '%s' "{\"query\":\"{ zones(first: 20, orderBy: {field: DEGREE, direction: DESC}) { totalCount nodes { id nameZh nameEn platforms(first: 5) { nodes { nameZh } } } } }\"}" > "$work/list.json"
    printf '%s' "{\"query\":\"{ zone(slug: \\\"huangpu-s$copy\\\") { nameZh nameEn aliases citations { quote start end } partners(first: 20) { nodes { party { ... on Zone { nameZh } } via { nameZh } } } platforms(first: 10) { nodes { nameZh } } } }\"}" > "$work/profile.json"
    printf '%s' "{\"query\":\"{ search(query: \\\"${huangpu:0:2}\\\", first: 10) { totalCount edges { node { score node { id } } } } }\"}" > "$work/search.json"
    printf '%s' "{\"query\":\"{ neighborhood(id: \\\"$(id "zone:huangpu-s$copy")\\\", depth: 2) { nodes { id label } edges { source target kind } } }\"}" > "$work/neighborhood.json"
    printf '%s' "{\"query\":\"{ path(from: \\\"$(id "zone:xiangzhou-s$copy")\\\", to: \\\"$(id "zone:huangpu-s$copy")\\\", maxDepth: 8) { nodes { id } } }\"}" > "$work/path.json"
}

run_backend() {
    local label="$1" url="$2"
    target/release/loader load "$work/seeds" --database-url "$url" > /dev/null
    DATABASE_URL="$url" BAYGRAPH_LISTEN="127.0.0.1:$port" BAYGRAPH_SEEDS="$work/seeds" RUST_LOG=warn \
        target/release/api > "$work/api-$label.log" 2>&1 &
    api_pid=$!
    poll_ready "$port" "$api_pid" 60 || { echo "the API was not ready within 60 s" >&2; exit 1; }
    write_queries
    for q in list profile search neighborhood path; do
        if ! curl -s -X POST "localhost:$port/graphql" -H 'content-type: application/json' -d @"$work/$q.json" | grep -q '"data"'; then
            echo "query $q failed" >&2; exit 1
        fi
    done
    echo "== $label (N=$n, 5 concurrent streams × $concurrency connections, $duration)"
    for q in list profile search neighborhood path; do
        hey -z "$duration" -c "$concurrency" -m POST -T application/json -D "$work/$q.json" "http://127.0.0.1:$port/graphql" > "$work/$q.out" &
    done
    wait $(jobs -p | grep -v "^$api_pid$") 2>/dev/null || true
    for q in list profile search neighborhood path; do
        rps=$(awk '/Requests\/sec/ {print $2}' "$work/$q.out")
        p50=$(awk '/ 50% in/ {print $3}' "$work/$q.out")
        p99=$(awk '/ 99% in/ {print $3}' "$work/$q.out")
        printf '  %-13s %8s req/s   p50 %6.1f ms   p99 %6.1f ms   status lines: %s\n' "$q" "$rps" "$(echo "$p50*1000" | bc)" "$(echo "$p99*1000" | bc)" "$(grep -E '^\s+\[' "$work/$q.out" | tr -s ' ' | paste -sd' ')"
    done
    kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""
}

run_backend sqlite "sqlite://$work/bench.db?mode=rwc"
name="baygraph_api_bench"
psql "$pg_server/postgres" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" 2>/dev/null
run_backend postgres "$pg_server/$name$pg_options"
psql "$pg_server/postgres" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" 2>/dev/null
