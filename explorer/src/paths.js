// All shortest paths between two records, from the API's one shortest path and the two
// neighbourhoods around the ends: every record of a shortest path of length L lies within
// ceil(L/2) relations of its start or floor(L/2) of its end, and so does every relation on it.
import * as api from './api.js';

const MAX_BALL = 3; // the API's neighbourhood depth limit
const MAX_LISTED = 12;

/** Breadth-first distances from `start` over an undirected adjacency map. */
function distances(adj, start) {
  const dist = new Map([[start, 0]]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const u = queue[i];
    for (const { to } of adj.get(u) || []) {
      if (!dist.has(to)) {
        dist.set(to, dist.get(u) + 1);
        queue.push(to);
      }
    }
  }
  return dist;
}

/**
 * Every shortest path from `from` to `to` over `edges` (undirected), as
 * { length, count, paths: [{ nodes: [ids], edges: [edge objects] }] } (at most MAX_LISTED
 * listed, `count` is all of them), or null when `to` cannot be reached.
 */
export function shortestPaths(edges, from, to) {
  const adj = new Map();
  const link = (a, b, e) => {
    if (!adj.has(a)) adj.set(a, []);
    adj.get(a).push({ to: b, edge: e });
  };
  for (const e of edges) {
    link(e.source, e.target, e);
    link(e.target, e.source, e);
  }
  const dFrom = distances(adj, from);
  const dTo = distances(adj, to);
  if (!dFrom.has(to)) return null;
  const length = dFrom.get(to);
  // The relations that step one closer to `to` along some shortest path, per record.
  const onward = (u) =>
    (adj.get(u) || []).filter(({ to: v }) => dFrom.get(u) + 1 + (dTo.has(v) ? dTo.get(v) : Infinity) === length);
  // How many shortest paths run from each record to `to` (memoised).
  const ways = new Map([[to, 1]]);
  const count = (u) => {
    if (!ways.has(u)) ways.set(u, onward(u).reduce((s, { to: v }) => s + count(v), 0));
    return ways.get(u);
  };
  const paths = [];
  const walk = (u, ids, rels) => {
    if (paths.length >= MAX_LISTED) return;
    if (u === to) {
      paths.push({ nodes: [...ids], edges: [...rels] });
      return;
    }
    const next = onward(u).sort((a, b) => String(a.to).localeCompare(String(b.to)));
    for (const { to: v, edge } of next) walk(v, [...ids, v], [...rels, edge]);
  };
  walk(from, [from], []);
  return { length, count: count(from), paths };
}

/**
 * The API's shortest path plus every other one of the same length:
 * { length, count, complete, paths, nodes, edges } or null when there is no path.
 */
export async function allShortestPaths(from, to, edgeKinds, track = (p) => p) {
  const one = await track(api.path(from, to, edgeKinds));
  if (!one) return null;
  const length = one.nodes.length - 1;
  const single = () => {
    const ordered = [...one.nodes].sort((a, b) => a.distance - b.distance);
    return { length, count: 1, complete: length <= 1, paths: [{ nodes: ordered.map((n) => n.id), edges: one.edges }], nodes: one.nodes, edges: one.edges };
  };
  const [a, b] = [Math.ceil(length / 2), Math.floor(length / 2)];
  if (length <= 1 || a > MAX_BALL) return single();
  const [ballA, ballB] = await track(Promise.all([api.neighborhood(from, a, edgeKinds, 500), b > 0 ? api.neighborhood(to, b, edgeKinds, 500) : null]));
  const nodes = new Map();
  const edges = new Map();
  for (const sub of [one, ballA, ballB]) {
    if (!sub) continue;
    for (const n of sub.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
    for (const e of sub.edges) edges.set(`${e.source}|${e.kind}|${e.target}`, e);
  }
  const found = shortestPaths([...edges.values()], from, to);
  if (!found || found.length !== length) return single();
  const onPath = new Set(found.paths.flatMap((p) => p.nodes));
  return {
    length,
    count: found.count,
    complete: !(ballA.truncated || (ballB && ballB.truncated)),
    paths: found.paths,
    nodes: [...onPath].map((id) => nodes.get(id)),
    edges: [...new Map(found.paths.flatMap((p) => p.edges).map((e) => [`${e.source}|${e.kind}|${e.target}`, e])).values()],
  };
}
