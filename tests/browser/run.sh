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

step "build and start the API on a fresh SQLite database"
api_bin="${CARGO_TARGET_DIR:-$root/target}/debug/api"
[[ "$api_bin" = /* ]] || api_bin="$root/$api_bin"
# shellcheck source=../lib/start-api.sh
source "$here/../lib/start-api.sh"
# A target dir shared with another checkout may hold that checkout's binary by the time we start
# it: copy the binary right after the build, start the copy and check that it serves this
# checkout's explorer bundle byte for byte, building again if not.
same_bundle='const fs = require("fs");
fetch(process.argv[1]).then((r) => r.arrayBuffer()).then(
  (b) => process.exit(Buffer.from(b).equals(fs.readFileSync(process.argv[2])) ? 0 : 1),
  () => process.exit(1));'
for attempt in 1 2 3; do
    (cd "$root" && cargo build -p api)
    tmp="$(mktemp -d)"
    cp "$api_bin" "$tmp/api"
    start_api "$tmp/api"
    if node -e "$same_bundle" "$base/explore/assets/explore.js" "$root/api/assets/explorer/explore.js"; then break; fi
    echo "the built API does not serve this checkout's explorer bundle (shared target dir?); building again ($attempt)" >&2
    stop_api
    [[ "$attempt" == 3 ]] && { echo "FATAL: no API binary with this checkout's explorer" >&2; exit 1; }
done

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
