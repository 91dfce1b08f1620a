#!/usr/bin/env bash
# End-to-end browser test of the graph explorer (/explore): Debian's headless Chromium driven by
# playwright-core (no browser download), against the API on a fresh SQLite database filled from
# the seeds. Screenshots and exports land in tests/browser/artifacts/.
#
#   bash tests/browser/run.sh          (from anywhere; BAYGRAPH_SEEDS may name other seeds)
set -euo pipefail

here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd -- "$here/../.." && pwd)"

step() { printf '\n== %s\n' "$*"; }

step "Chromium and CJK fonts"
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
if ((${#missing[@]})); then
    sudo=()
    [[ "$(id -u)" == 0 ]] || sudo=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    echo "installing ${missing[*]}"
    "${sudo[@]}" apt-get install -y -q "${missing[@]}" </dev/null ||
        { "${sudo[@]}" apt-get update -q </dev/null && "${sudo[@]}" apt-get install -y -q "${missing[@]}" </dev/null; }
fi
/usr/bin/chromium --version 2>/dev/null || true

step "npm ci (playwright-core)"
(cd "$here" && npm ci --no-audit --no-fund)

step "build the API"
api_bin="${CARGO_TARGET_DIR:-$root/target}/debug/api"
[[ "$api_bin" = /* ]] || api_bin="$root/$api_bin"
tmp="$(mktemp -d)"
# The explorer bundle this checkout embeds (its content hash is in the page). A target dir shared
# with another checkout may hold that checkout's binary by the time we start it: copy the binary
# right after the build and check it embeds this checkout's bundle, building again if not.
bundle="$(grep -o 'explore\.js?v=[0-9a-f]*' "$root/api/assets/explorer/index.html")"
for attempt in 1 2 3; do
    (cd "$root" && cargo build -p api)
    cp "$api_bin" "$tmp/api"
    if grep -qa "$bundle" "$tmp/api"; then break; fi
    echo "the built API does not embed $bundle (shared target dir?); building again ($attempt)" >&2
    [[ "$attempt" == 3 ]] && { echo "FATAL: no API binary with this checkout's explorer" >&2; exit 1; }
done
api_bin="$tmp/api"

step "start the API on a fresh SQLite database"
# shellcheck source=../lib/start-api.sh
source "$here/../lib/start-api.sh"
start_api "$api_bin"

step "browser test"
mkdir -p "$here/artifacts"
status=0
(cd "$here" && BASE_URL="$base" ARTIFACTS="$here/artifacts" node --test explore.test.mjs) || status=$?
if ((status != 0)); then
    echo "--- last lines of the API log" >&2
    tail -n 40 "$tmp/api.log" >&2
fi
echo "screenshots: $here/artifacts/"
exit "$status"
