#!/usr/bin/env bash
# Loader scale benchmark: writes synthetic seed sets N times the curated graph (`loader synth`),
# loads each into SQLite and PostgreSQL with the release build, and reports for the first load the
# rows written, wall time, rows/s and peak memory, and for a no-op reload wall time and peak memory.
# Usage: bench/load.sh [N ...]  (default: 10 300 2000). PG_SERVER names the PostgreSQL server;
# BAYGRAPH_BIN a directory with a prebuilt `loader`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
scales=("$@")
[ ${#scales[@]} -gt 0 ] || scales=(10 300 2000)

release_bin loader
loader="$BIN/loader"

# Runs a load; prints "rows wall_s rss_kib" (rows: every row the load inserted, updated or deleted).
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$loader" load "$1" --database-url "$2" > "$work/out"
    rows=$(awk 'NR>1 && $1!="took" {s+=$2+$3+$4} END {print s+0}' "$work/out")
    echo "$rows $(cat "$work/time")"
}
report() {
    read -r rows wall rss <<< "$2"
    local rate="-"
    [ "$rows" -gt 0 ] && rate=$(awk -v r="$rows" -v w="$wall" 'BEGIN {printf "%.0f", r / w}')
    printf '  %-20s %9s rows %8.1f s %9s rows/s %7.0f MiB peak\n' "$1" "$rows" "$wall" "$rate" "$(echo "$rss / 1024" | bc -l)"
}

for n in "${scales[@]}"; do
    seeds="$work/synth$n"
    "$loader" synth --scale "$n" --out "$seeds" > /dev/null
    records=$(grep -c '^\[\[\(zone\|platform\|project\|organization\|document\|sector\|partnership\|metric\)\]\]' "$seeds"/*.toml | awk -F: '{s+=$2} END {print s}')
    records=$((records + $(find "$seeds/sources" -name '*.txt' | wc -l)))
    echo "N=$n: $records records"
    db="sqlite://$work/bench$n.db?mode=rwc"
    report "sqlite first load" "$(measure "$seeds" "$db")"
    report "sqlite reload" "$(measure "$seeds" "$db")"
    rm -f "$work/bench$n.db"*
    name="baygraph_bench_$n"
    psql "$pg_server/postgres" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" 2>/dev/null
    report "postgres first load" "$(measure "$seeds" "$pg_server/$name$pg_options")"
    report "postgres reload" "$(measure "$seeds" "$pg_server/$name$pg_options")"
    psql "$pg_server/postgres" -qc "DROP DATABASE IF EXISTS $name" 2>/dev/null
    rm -rf "$seeds"
done
