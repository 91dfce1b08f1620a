# Sourced by the bench scripts after `set -euo pipefail`: what each of them sets up the same way.
# The repository root becomes the working directory; `work` is a directory removed on exit,
# together with the API a script started (`api_pid`); a script with more to undo defines its own
# `cleanup` after sourcing this file.
cd "$(dirname "$0")/.."
pg_server="${PG_SERVER:-postgres://postgres@127.0.0.1:5432}"
# Appended to every database URL the benchmarked programs get. Baygraph's driver (sqlx) encrypts
# whenever the server offers TLS (`sslmode=prefer`), PostGraphile's (node-postgres) only when
# asked: on one host both connect in the clear, so neither pays for encryption the other skips
# (TLS was 0.8-0.9 s of a 462k-record first start, on both ends of the connection).
pg_options="${PG_OPTIONS-?sslmode=disable}"
work="$(mktemp -d)"
api_pid=""
cleanup() { [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# release_bin PACKAGE…: sets BIN to the directory with the packages' release binaries:
# $BAYGRAPH_BIN when given (prebuilt), else the release directory of $CARGO_TARGET_DIR (or target)
# after building them.
release_bin() {
    BIN="${BAYGRAPH_BIN:-}"
    if [ -z "$BIN" ]; then
        local packages=()
        for p in "$@"; do packages+=(-p "$p"); done
        cargo build --release "${packages[@]}" --quiet
        BIN="${CARGO_TARGET_DIR:-target}/release"
    fi
}

# poll_ready PORT PID [SECONDS]: until the API on PORT answers /ready with 200 (exit 0), or PID
# exits or SECONDS pass (1), asking every 20 ms from one process: a `curl` started every 50 ms
# took a twelfth of a core from the start it was timing.
poll_ready() {
    python3 - "$1" "$2" "${3:-inf}" << 'PY'
import http.client, os, sys, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
deadline = time.monotonic() + float(sys.argv[3])
while time.monotonic() < deadline:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/ready")
        status = conn.getresponse().status
        conn.close()
        if status == 200:
            sys.exit(0)
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(1)
    time.sleep(0.02)
sys.exit(1)
PY
}

# id KIND:SLUG: the record's public ID (base64url, no padding).
id() { printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }

# wait_shared URL: on PostgreSQL, until the read model a writable start stores in the database
# (in the background, after its file) is there. A start stopped before that leaves none, and the
# next start, finding the database older than its file, encodes and stores it again: 3 s after
# ready that showed as +380 MiB of RSS at 462k records.
wait_shared() {
    case "$1" in postgres*) ;; *) return 0 ;; esac
    for _ in $(seq 1 1200); do
        [ "$(psql -qtA "$1" -c "SELECT cursor >= 0 FROM read_model_save" 2> /dev/null)" = t ] && return 0
        sleep 0.1
    done
    echo "the read model was not stored in the database within 2 minutes" >&2
}
