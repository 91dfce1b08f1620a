#!/usr/bin/env bash
# Refresh the third-party playground assets in api/assets/vendor/.
#
# This is the ONE way the files in vendor/ change: it fetches the pinned
# package versions with `npm pack` (npm registry only), copies the listed files
# unmodified and rewrites vendor/VERSIONS.txt with their sha256 sums.
# To move to another version, edit the pins below, run this script, then check
# the playground page (see vendor/README.md).
#
# Usage: bash api/assets/refresh.sh   (from any directory; needs npm, node, tar, sha256sum)
set -euo pipefail

GRAPHIQL=graphiql@4.1.2
REACT=react@18.3.1
REACT_DOM=react-dom@18.3.1

# package@version | path inside the package | file name in vendor/
FILES=(
  "$GRAPHIQL|graphiql.min.js|graphiql.min.js"
  "$GRAPHIQL|graphiql.min.css|graphiql.min.css"
  "$GRAPHIQL|LICENSE|LICENSE-graphiql"
  "$REACT|umd/react.production.min.js|react.production.min.js"
  "$REACT|LICENSE|LICENSE-react"
  "$REACT_DOM|umd/react-dom.production.min.js|react-dom.production.min.js"
  "$REACT_DOM|LICENSE|LICENSE-react-dom"
)

here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
vendor="$here/vendor"

for tool in npm node tar sha256sum; do
  command -v "$tool" >/dev/null || { echo "refresh.sh: '$tool' is required" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf -- "$work"' EXIT

# Fetch and unpack each package once. `npm pack` checks the tarball against the
# registry's integrity hash; we record that hash in VERSIONS.txt as well.
declare -A integrity
for spec in "$GRAPHIQL" "$REACT" "$REACT_DOM"; do
  dir="$work/${spec//[@\/]/_}"
  mkdir -p "$dir/pkg"
  json="$(cd "$work" && npm pack --json --ignore-scripts --pack-destination "$dir" "$spec" 2>/dev/null)"
  read -r tgz sri < <(node -e '
    const [p] = JSON.parse(process.argv[1]);
    if (p.id !== process.argv[2]) { console.error(`expected ${process.argv[2]}, npm packed ${p.id}`); process.exit(1); }
    console.log(p.filename, p.integrity);
  ' "$json" "$spec")
  tar -xzf "$dir/$tgz" -C "$dir/pkg"
  integrity["$spec"]="$sri"
done

# Stage everything first, so a failure leaves vendor/ untouched.
stage="$work/stage"
mkdir -p "$stage"
{
  echo "# Third-party files, vendored UNMODIFIED from the npm registry."
  echo "# Do not edit them by hand: they are refreshed only by api/assets/refresh.sh,"
  echo "# which also rewrites this file. Licence of all three packages: MIT (see LICENSE-*)."
  echo "#"
  echo "# Packages (npm tarball integrity):"
  for spec in "$GRAPHIQL" "$REACT" "$REACT_DOM"; do
    echo "#   $spec ${integrity[$spec]}"
  done
  echo "#"
  echo "# file | package@version | path inside the package | sha256"
} > "$stage/VERSIONS.txt"

for entry in "${FILES[@]}"; do
  IFS='|' read -r spec path name <<< "$entry"
  src="$work/${spec//[@\/]/_}/pkg/package/$path"
  [[ -f "$src" ]] || { echo "refresh.sh: $spec has no $path" >&2; exit 1; }
  cp -- "$src" "$stage/$name"
  sum="$(sha256sum -- "$stage/$name" | cut -d' ' -f1)"
  echo "$name | $spec | package/$path | $sum" >> "$stage/VERSIONS.txt"
done

mkdir -p "$vendor"
for entry in "${FILES[@]}"; do
  IFS='|' read -r _ _ name <<< "$entry"
  cp -- "$stage/$name" "$vendor/$name"
done
cp -- "$stage/VERSIONS.txt" "$vendor/VERSIONS.txt"

echo "Refreshed $vendor:"
grep -v '^#' "$vendor/VERSIONS.txt"
