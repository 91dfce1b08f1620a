# Sourced by tests/browser/run.sh and tests/http/run.sh: `start_api BINARY` starts the API on a
# fresh SQLite database filled from the seeds, on a free port, from the repo root (`$root`).
# Sets `tmp` (created if unset, removed on exit with the API), `base` (the API's URL) and
# `api_pid`; exits with the API's log if it never becomes ready.
start_api() {
    local api_bin="$1"
    tmp="${tmp:-$(mktemp -d)}"
    local port
    port="$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
    api_pid=""
    trap stop_api EXIT
    (cd "$root" && DATABASE_URL="sqlite://$tmp/baygraph.db?mode=rwc" BAYGRAPH_LISTEN="127.0.0.1:$port" \
        exec "$api_bin") >"$tmp/api.log" 2>&1 &
    api_pid=$!
    base="http://127.0.0.1:$port"
    for _ in $(seq 1 120); do
        if node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$base/ready"; then
            echo "API ready at $base"
            return 0
        fi
        kill -0 "$api_pid" 2>/dev/null || break
        sleep 1
    done
    echo "FATAL: the API did not become ready at $base" >&2
    tail -n 40 "$tmp/api.log" >&2
    exit 1
}

stop_api() {
    if [[ -n "${api_pid:-}" ]] && kill -0 "$api_pid" 2>/dev/null; then
        kill "$api_pid" 2>/dev/null || true
        wait "$api_pid" 2>/dev/null || true
    fi
    rm -rf -- "$tmp"
}
