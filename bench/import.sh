#!/usr/bin/env bash
# Partner-feed import benchmark: writes an NDJSON feed of N platforms (each located in Huangpu,
# with an external quote naming both), imports it into an SQLite database holding the curated
# seeds, and reports wall time and peak RSS against the feed's size.
# Usage: bench/import.sh [N ...]  (default: 57500 230000, about 26 MB and 106 MB)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(57500 230000)
release_bin loader

for n in "${counts[@]}"; do
    python3 - "$n" "$work/feed.ndjson" << 'PY'
import json, sys
n, out = int(sys.argv[1]), sys.argv[2]
digits = "零一二三四五六七八九"
with open(out, "w") as f:
    for i in range(n):
        name = "黄埔示范园" + "".join(digits[int(c)] for c in str(i)) + "号"
        f.write(json.dumps({
            "type": "platform", "slug": f"partner-park-{i}", "name_zh": name,
            "name_en": f"Huangpu Demonstration Park No. {i}", "kind": "industrial_park", "zone": "huangpu",
            "citations": [{"source_url": f"https://partner.example/parks/{i}",
                           "quote": f"{name}位于黄埔区，由合作伙伴登记，面积约二点五平方公里，聚焦智能制造与生物医药产业，由区政府统筹建设。"}],
        }, ensure_ascii=False) + "\n")
PY
    db="sqlite://$work/import-$n.db?mode=rwc"
    "$BIN/loader" load seeds --database-url "$db" > /dev/null
    bytes=$(stat -c %s "$work/feed.ndjson")
    took=$( { /usr/bin/time -f "%e s wall, peak RSS %M KB" "$BIN/loader" import "$work/feed.ndjson" \
        --feed bench --database-url "$db" > /dev/null; } 2>&1 | tail -n 1)
    echo "N=$n: $bytes bytes; import $took"
done
