// Reads a GraphQL response on stdin and prints every `slug` (and `totalCount`) it holds, in
// document order, one per line — the canonical form bench/peers.sh compares between servers.
// Exits non-zero on errors or a response without data.
let text = "";
for await (const chunk of process.stdin) text += chunk;
const body = JSON.parse(text);
if (body.errors || !body.data) {
  console.error(JSON.stringify(body.errors ?? body).slice(0, 2000));
  process.exit(1);
}
const out = [];
const walk = (v) => {
  if (Array.isArray(v)) return v.forEach(walk);
  if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      if (k === "slug") out.push(x);
      else if (k === "totalCount") out.push(`totalCount=${x}`);
      else walk(x);
    }
  }
};
walk(body.data);
process.stdout.write(out.map((s) => s + "\n").join(""));
