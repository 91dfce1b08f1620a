#!/usr/bin/env bash
# Read-model benchmark: how long the API takes to be ready, how much memory its read model holds
# per record, and what a one-record change costs it. For each scale N: synthesize a graph N
# times the curated one, load it into PostgreSQL (or SQLite with DB=sqlite), start the release
# API twice (the first start builds the read model and saves it, the second reads it back, as a
# restarted replica does), time each to /ready and read its RSS; on PostgreSQL also start a
# `--read-only` replica with no file of its own, which reads the read model the first start saved
# in the database (`/ready` says `"readModel":"database"`); then import K one-record
# partner feeds one after
# another and, for each, time from the import's commit until the API serves the new cursor,
# read the API's own figure for applying the change ("graph read model updated … ms=") and
# sample its RSS every 10 ms meanwhile. The RSS per record is measured above the API on the
# curated graph (scale 1), the nearest to an empty graph the loader accepts.
# Usage: bench/freshness.sh [N ...] (default: 10 100). Env: K (changes, 5), DB (postgres|sqlite),
# PG_SERVER, BAYGRAPH_BIN (directory with prebuilt `api` and `loader`). Linux only.
set -euo pipefail
export LC_ALL=C.UTF-8
source "$(dirname "$0")/lib.sh"
scales=("$@")
[ ${#scales[@]} -gt 0 ] || scales=(10 100)
changes="${K:-5}"
backend="${DB:-postgres}"
port=8097
release_bin loader api
cleanup() {
    [ -n "$api_pid" ] && kill "$api_pid" 2> /dev/null
    [ "$backend" = postgres ] && psql -q "$pg_server/postgres" -c "DROP DATABASE IF EXISTS baygraph_fresh WITH (FORCE)" > /dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s.%N; }
kib() { awk -v key="$1:" '$1 == key {print $2}' "/proc/$api_pid/status"; }
cursor() { curl -sf "localhost:$port/ready" | sed -E 's/.*"cursor":([0-9]+).*/\1/'; }
# Until the API just started answers /ready; if it exits first, the tail of its log (the
# argument) and a failure.
until_ready() {
    poll_ready "$port" "$api_pid" || { tail -5 "$1" >&2; exit 1; }
}

url_for() { # scale
    if [ "$backend" = postgres ]; then
        psql -q "$pg_server/postgres" -c "DROP DATABASE IF EXISTS baygraph_fresh WITH (FORCE)" \
            -c "CREATE DATABASE baygraph_fresh TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'" > /dev/null
        echo "$pg_server/baygraph_fresh$pg_options"
    else
        echo "sqlite://$work/s$1.db?mode=rwc"
    fi
}

start_api() { # seeds url
    local t0; t0=$(now)
    DATABASE_URL="$2" BAYGRAPH_LISTEN="127.0.0.1:$port" BAYGRAPH_SEEDS="$1" RUST_LOG=info,sqlx=warn \
        BAYGRAPH_READ_MODEL_CACHE="$work/read-model" "$BIN/api" > "$work/api.log" 2>&1 &
    api_pid=$!
    until_ready "$work/api.log"
    ready=$(echo "$(now) - $t0" | bc)
    sleep 3 # let the allocator return what the start freed
    rss=$(kib VmRSS)
}
start_twice() { # seeds url
    rm -f "$work/read-model"
    start_api "$1" "$2"
    cold=$ready; cold_rss=$rss
    for _ in $(seq 1 600); do [ -s "$work/read-model" ] && break; sleep 0.1; done
    wait_shared "$2"
    stop_api
    start_api "$1" "$2"
}
stop_api() { kill "$api_pid"; wait "$api_pid" 2> /dev/null || true; api_pid=""; }
# A new `--read-only` replica on PostgreSQL: no file of its own, the read model saved in the
# database by the writable start (waited for: it is stored in the background after the build).
start_replica() { # url
    wait_shared "$1"
    local t0; t0=$(now)
    DATABASE_URL="$1" BAYGRAPH_LISTEN="127.0.0.1:$port" RUST_LOG=info,sqlx=warn BAYGRAPH_READ_ONLY=true \
        "$BIN/api" > "$work/replica.log" 2>&1 &
    api_pid=$!
    until_ready "$work/replica.log"
    replica=$(echo "$(now) - $t0" | bc)
    replica_from=$(curl -sf "localhost:$port/ready" | sed -E 's/.*"readModel":"([a-z]+)".*/\1/')
    sleep 3
    replica_rss=$(kib VmRSS)
    stop_api
}

echo "== baseline: the curated graph (scale 1)"
"$BIN/loader" synth --scale 1 --out "$work/s1" > /dev/null
url=$(url_for 1)
"$BIN/loader" load "$work/s1" --database-url "$url" > /dev/null
start_twice "$work/s1" "$url"
base_rss=$rss
echo "   ready ${ready}s restarted, RSS $((rss / 1024)) MiB"
stop_api

for n in "${scales[@]}"; do
    echo "== N=$n ($backend)"
    seeds="$work/s$n"
    "$BIN/loader" synth --scale "$n" --out "$seeds" > /dev/null
    url=$(url_for "$n")
    "$BIN/loader" load "$seeds" --database-url "$url" > /dev/null
    start_twice "$seeds" "$url"
    records=$(curl -sf "localhost:$port/graphql" -H 'content-type: application/json' \
        -d '{"query":"{ stats { counts { count } } }"}' | grep -o '"count":[0-9]*' | cut -d: -f2 | paste -sd+ | bc)
    metrics=$(curl -sf "localhost:$port/export/metrics.ndjson" | tail -1 | grep -o '"count":[0-9]*' | cut -d: -f2)
    records=$((records + metrics))
    per=$(( (rss - base_rss) * 1024 / records ))
    cold_per=$(( (cold_rss - base_rss) * 1024 / records ))
    echo "   $records records: ready ${cold}s building the read model (RSS $((cold_rss / 1024)) MiB, $cold_per B per record above the curated graph), ${ready}s restarted (RSS $((rss / 1024)) MiB, $per B per record)"
    if [ "$backend" = postgres ]; then
        stop_api
        start_replica "$url"
        echo "   a new --read-only replica: ready ${replica}s from its read model's origin \"$replica_from\" (RSS $((replica_rss / 1024)) MiB)"
        start_api "$seeds" "$url"
    fi
    # A zone of copy 0 and its Chinese name, for a quote that names both ends of a new platform.
    zone=$(curl -sf "localhost:$port/graphql" -H 'content-type: application/json' \
        -d '{"query":"{ zones(first: 1, filter: {kinds: [DISTRICT]}, orderBy: {field: SLUG}) { nodes { slug nameZh } } }"}')
    zslug=$(echo "$zone" | sed -E 's/.*"slug":"([^"]+)".*/\1/')
    zname=$(echo "$zone" | sed -E 's/.*"nameZh":"([^"]+)".*/\1/')
    for i in $(seq 1 "$changes"); do
        name="测速园区${i}号"
        printf '{"type":"platform","slug":"bench-park-%s","name_zh":"%s","name_en":"Bench Park %s","kind":"industrial_park","zone":"%s","citations":[{"source_url":"https://bench.example/%s","quote":"%s位于%s。"}]}\n' \
            "$i" "$name" "$i" "$zslug" "$i" "$name" "$zname" > "$work/feed-$i.ndjson"
        before=$(cursor)
        rss_before=$(kib VmRSS)
        peak=$rss_before
        "$BIN/loader" import "$work/feed-$i.ndjson" --feed "bench-$i" --database-url "$url" > /dev/null
        committed=$(now)
        while [ "$(cursor)" = "$before" ]; do
            r=$(kib VmRSS); [ "$r" -gt "$peak" ] && peak=$r
            sleep 0.01
        done
        served=$(echo "$(now) - $committed" | bc)
        for _ in $(seq 1 50); do r=$(kib VmRSS); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.01; done
        applied=$(grep "graph read model updated" "$work/api.log" | tail -1 | grep -o 'ms=[0-9]*' | cut -d= -f2)
        printf '   change %s: applied in %s ms, served %.3f s after commit, RSS %d → peak %d MiB (%+.1f %%)\n' \
            "$i" "$applied" "$served" $((rss_before / 1024)) $((peak / 1024)) \
            "$(echo "($peak - $rss_before) * 100 / $rss_before" | bc -l)"
    done
    stop_api
done
