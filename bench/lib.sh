# Sourced by the bench scripts after `set -euo pipefail`: what each of them sets up the same way.
# The repository root becomes the working directory; `work` is a directory removed on exit,
# together with the API a script started (`api_pid`); a script with more to undo defines its own
# `cleanup` after sourcing this file.
cd "$(dirname "$0")/.."
pg_server="${PG_SERVER:-postgres://postgres@127.0.0.1:5432}"
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

# wait_ready TRIES: until the API on $port answers /ready, trying every half second.
wait_ready() {
    for _ in $(seq 1 "$1"); do curl -sf "localhost:$port/ready" > /dev/null && break; sleep 0.5; done
}

# id KIND:SLUG: the record's public ID (base64url, no padding).
id() { printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }
