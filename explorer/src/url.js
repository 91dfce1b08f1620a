// The view ⇄ the page URL, so any view can be shared and is restored on load:
// ?focus=<id>&depth=2&expand=<id>,<id>&path=<from>,<to>&edges=<kind>,<kind>&sel=<id>&lang=en&mode=table&years=2019-2021
import { EDGE_KINDS, DEFAULT_EDGE_KINDS } from './kinds.js';

const MAX_EXPANDED = 50; // a shared URL cannot ask for more expansions than this

const list = (v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);

/** Reads a view from a query string. Unknown or malformed values fall back to defaults. */
export function parseView(search) {
  const p = new URLSearchParams(search);
  const depth = Number.parseInt(p.get('depth') || '1', 10);
  const known = new Set(EDGE_KINDS.map((k) => k.kind));
  const path = list(p.get('path'));
  return {
    focus: p.get('focus') || null,
    depth: depth >= 1 && depth <= 3 ? depth : 1,
    edges: p.has('edges') ? list(p.get('edges')).filter((k) => known.has(k)) : [...DEFAULT_EDGE_KINDS],
    expanded: [...new Set(list(p.get('expand')))].slice(0, MAX_EXPANDED),
    path: path.length === 2 ? path : null,
    sel: p.get('sel') || null,
    lang: p.get('lang') === 'en' ? 'en' : p.get('lang') === 'zh' ? 'zh' : null,
    mode: p.get('mode') === 'table' ? 'table' : 'graph',
    years: years(p.get('years')),
  };
}

/** "2019-2021", "2019-" or "-2021" → [from, to] (null for an open end); null when absent. */
function years(v) {
  const m = /^(\d{4})?-(\d{4})?$/.exec(v || '');
  if (!m || (!m[1] && !m[2])) return null;
  const [a, b] = [m[1] ? Number(m[1]) : null, m[2] ? Number(m[2]) : null];
  return a != null && b != null && a > b ? [b, a] : [a, b];
}

const sameSet = (a, b) => a.length === b.length && a.every((x) => b.includes(x));

/** Writes a view as a query string (defaults left out, except depth when there is a focus). */
export function formatView(v) {
  const p = new URLSearchParams();
  if (v.focus) {
    p.set('focus', v.focus);
    p.set('depth', String(v.depth));
  }
  if (v.expanded.length) p.set('expand', v.expanded.join(','));
  if (v.path) p.set('path', v.path.join(','));
  if (!sameSet(v.edges, DEFAULT_EDGE_KINDS)) p.set('edges', v.edges.join(','));
  if (v.sel) p.set('sel', v.sel);
  if (v.lang) p.set('lang', v.lang);
  if (v.mode === 'table') p.set('mode', 'table');
  if (v.years) p.set('years', `${v.years[0] ?? ''}-${v.years[1] ?? ''}`);
  const s = p.toString().replace(/%2C/g, ',');
  return s ? `?${s}` : '';
}
