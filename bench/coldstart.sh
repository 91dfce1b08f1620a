#!/usr/bin/env bash
# First start with nothing saved, A against B: loads `synth --scale N` into PostgreSQL once, then
# starts each API binary given (directories holding `api`; the first one's `loader` loads)
# ROUNDS times in turn over that database, the read model's saves cleared before each start,
# and prints the time to /ready, the process's CPU seconds by then, and the build's own phases
# (records, rows, assembling) from its log. Alternating the binaries (the order reversed every
# other round) keeps the machine's drift from favouring either; only the ratios of one run compare.
# Usage: bench/coldstart.sh N BIN [BIN …]. Env: ROUNDS (2), PG_SERVER. Linux only.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
n="$1"
shift
bins=("$@")
rounds="${ROUNDS:-2}"
port=8098
db="baygraph_coldstart"
url="$pg_server/$db$pg_options"
drop_db() { psql -q "$pg_server/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" > /dev/null 2>&1 || true; }
cleanup() {
    [ -n "$api_pid" ] && kill "$api_pid" 2> /dev/null
    drop_db
    rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s.%N; }

"${bins[0]}/loader" synth --scale "$n" --out "$work/seeds" > /dev/null
drop_db
psql -q "$pg_server/postgres" -c "CREATE DATABASE $db TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'" > /dev/null
"${bins[0]}/loader" load "$work/seeds" --database-url "$url" > /dev/null
echo "N=$n loaded"
for round in $(seq 1 "$rounds"); do
    # Odd rounds in the order given, even rounds reversed: the second start of a pair was the
    # slower one whichever binary it was (on SQLite, 2026-12-08), so each goes second as often.
    order=("${bins[@]}")
    if [ $((round % 2)) = 0 ]; then
        order=()
        for ((i = ${#bins[@]} - 1; i >= 0; i--)); do order+=("${bins[$i]}"); done
    fi
    for bin in "${order[@]}"; do
        # Nothing saved: no file, and the database's save back to its migrated state.
        psql -q "$url" -c "DELETE FROM read_model_parts; UPDATE read_model_save SET cursor = -1, bytes = 0, parts = 0, checksum = 0" > /dev/null
        t0=$(now)
        DATABASE_URL="$url" BAYGRAPH_LISTEN="127.0.0.1:$port" BAYGRAPH_SEEDS="$work/seeds" \
            RUST_LOG=warn,api=info "$bin/api" > "$work/api.log" 2>&1 &
        api_pid=$!
        poll_ready "$port" "$api_pid" || { tail -5 "$work/api.log" >&2; exit 1; }
        ready=$(echo "$(now) - $t0" | bc)
        cpu=$(awk '{print ($14 + $15) / 100}' "/proc/$api_pid/stat")
        phases=$(grep -o 'records_ms=[0-9]* rows_ms=[0-9]* assemble_ms=[0-9]*' "$work/api.log" || echo "no build line")
        echo "round $round $bin: ready ${ready}s, CPU ${cpu}s, $phases"
        kill "$api_pid"
        wait "$api_pid" 2> /dev/null || true
        api_pid=""
    done
done
