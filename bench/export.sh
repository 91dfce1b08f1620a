#!/usr/bin/env bash
# Export benchmark: shows that streamed exports keep the API's memory flat whatever the size.
# For each scale N, loads a synthetic graph (`loader synth`) into SQLite, starts the API, resets
# its peak RSS once it is idle (Linux `clear_refs` 5), downloads the whole-graph dump and two CSV
# exports, and reports bytes sent, time taken and how far the peak RSS rose above the idle RSS;
# then checks that each feed's gzip body decodes to exactly its plain bytes and ends with its end line.
# Each scale runs on SQLite, then on PostgreSQL (PG_SERVER; BACKENDS="sqlite" for one only).
# Usage: bench/export.sh [N ...] (default: 10 300 2000); BAYGRAPH_BIN a directory with prebuilt
# `loader` and `api`. Linux only (reads /proc/PID/status).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
scales=("$@")
[ ${#scales[@]} -gt 0 ] || scales=(10 300 2000)
read -r -a backends <<< "${BACKENDS:-sqlite postgres}"
port=8092

release_bin loader api
bin="$BIN"

kib() { awk -v key="$1:" '$1 == key {print $2}' "/proc/$api_pid/status"; }

for n in "${scales[@]}"; do
  "$bin/loader" synth --scale "$n" --out "$work/s$n" > /dev/null
  for backend in "${backends[@]}"; do
    if [ "$backend" = postgres ]; then
        psql "$pg_server/postgres" -qc "DROP DATABASE IF EXISTS baygraph_export_$n" -c "CREATE DATABASE baygraph_export_$n" 2>/dev/null
        url="$pg_server/baygraph_export_$n$pg_options"
        load_url="$url"
    else
        url="sqlite://$work/s$n.db"
        load_url="$url?mode=rwc"
    fi
    "$bin/loader" load "$work/s$n" --database-url "$load_url" > /dev/null
    log="$work/api-$n-$backend.log"
    DATABASE_URL="$url" BAYGRAPH_LISTEN="127.0.0.1:$port" BAYGRAPH_SEEDS="$work/s$n" RUST_LOG=warn,api=info \
        "$bin/api" > "$log" 2>&1 &
    api_pid=$!
    poll_ready "$port" "$api_pid" 300 || { echo "the API was not ready within 300 s" >&2; exit 1; }
    # A first start serves as soon as the read model is built, then encodes it, reads the copy
    # back and saves it (file; on PostgreSQL also the database) in the background. Idle means
    # after that: otherwise the encoding's buffers show up as the download's memory.
    settled="read model encoded and read back"
    [ "$backend" = postgres ] && settled="read model saved in the database"
    for _ in $(seq 1 600); do grep -q "$settled" "$log" && break; sleep 0.5; done
    grep -q "$settled" "$log" || echo "  (the read model did not settle within 300 s: idle RSS may include its encoding)"
    sleep 1
    echo "== N=$n $backend: API idle RSS $(($(kib VmRSS) / 1024)) MiB (read model loaded)"
    for path in graph.ndjson projects.csv citations.csv; do
        echo 5 > "/proc/$api_pid/clear_refs"
        idle=$(kib VmRSS)
        start=$(date +%s.%N)
        bytes=$(curl -sf "localhost:$port/export/$path" | wc -c)
        secs=$(echo "$(date +%s.%N) - $start" | bc)
        peak=$(kib VmHWM)
        printf '  %-16s %12s bytes  %6.2f s  %6.1f MB/s   idle %4d MiB   peak %4d MiB   rise %+5.1f MiB\n' \
            "$path" "$bytes" "$secs" "$(echo "$bytes / $secs / 1000000" | bc -l)" $((idle / 1024)) $((peak / 1024)) "$(echo "($peak - $idle) / 1024" | bc -l)"
    done
    # Integrity: every feed, plain and gzip, byte for byte, and the NDJSON end line's count.
    for path in export/graph.ndjson export/citations.csv export/projects.csv "changes?since=0"; do
        curl -sSf "localhost:$port/$path" -o "$work/plain"
        curl -sSf --compressed "localhost:$port/$path" -o "$work/gzip"
        same=$(cmp -s "$work/plain" "$work/gzip" && echo same || echo DIFFERENT)
        end=$(tail -n1 "$work/plain" | grep -o '"count":[0-9]*' || echo "no end line")
        printf '  %-16s plain %10s B, gzip-decoded %10s B: %s; %s\n' "$path" \
            "$(wc -c < "$work/plain")" "$(wc -c < "$work/gzip")" "$same" "$end"
    done
    kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""
    [ "$backend" = postgres ] && psql "$pg_server/postgres" -qc "DROP DATABASE IF EXISTS baygraph_export_$n" 2>/dev/null
  done
done
