#!/usr/bin/env bash
# Loader scale benchmark: writes synthetic seed sets N times the curated graph (`loader synth`),
# loads each into SQLite and PostgreSQL with the release build, and reports wall time and peak
# memory of the first load and of a no-op reload. Usage: bench/load.sh [N ...]  (default: 10 100)
set -euo pipefail
cd "$(dirname "$0")/.."
scales=("${@:-10 100}")
read -r -a scales <<< "${scales[*]}"
pg_server="${PG_SERVER:-postgres://postgres@127.0.0.1:5432}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release -p loader --quiet
loader=target/release/loader
measure() { /usr/bin/time -f "%e s wall, peak RSS %M KB" "$@" 2>&1 >/dev/null | tail -n 1; }

for n in "${scales[@]}"; do
    seeds="$work/synth$n"
    $loader synth --scale "$n" --out "$seeds" > /dev/null
    rows=$($loader load "$seeds" --database-url "sqlite://$work/count$n.db?mode=rwc" | awk 'NR>1 && $1!="took" {s+=$2} END {print s}')
    echo "N=$n: $rows rows"
    db="sqlite://$work/bench$n.db?mode=rwc"
    echo "  sqlite   first load: $(measure $loader load "$seeds" --database-url "$db")"
    echo "  sqlite   reload:     $(measure $loader load "$seeds" --database-url "$db")"
    name="baygraph_bench_$n"
    psql "$pg_server/postgres" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" 2>/dev/null
    echo "  postgres first load: $(measure $loader load "$seeds" --database-url "$pg_server/$name")"
    echo "  postgres reload:     $(measure $loader load "$seeds" --database-url "$pg_server/$name")"
    psql "$pg_server/postgres" -qc "DROP DATABASE IF EXISTS $name" 2>/dev/null
done
