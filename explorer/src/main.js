// Baygraph graph explorer: search → neighbourhood graph → expand, inspect, find paths, filter,
// export and share. The whole view lives in `view` and in the page URL.
import * as api from './api.js';
import { $, append, h, shapeIcon } from './dom.js';
import { createGraph, edgeId } from './graph.js';
import { t, getLang, setLang, translatePage } from './i18n.js';
import { NODE_KINDS, NODE_KIND, EDGE_KINDS, edgeLabel, kindOfType } from './kinds.js';
import { renderPanel } from './panel.js';
import { createReader, parseHash } from './reader.js';
import { createTable } from './table.js';
import { allShortestPaths } from './paths.js';
import { attachSuggest } from './suggest.js';
import { parseView, formatView } from './url.js';

// ---- state -------------------------------------------------------------------------------

const initial = parseView(location.search);
/** What is on screen; mirrored in the URL. */
const view = { ...initial };
// { nodes: [IDs on any shortest path], edges: [their edge IDs], steps: [nodes of the first],
//   paths: [{ nodes: [ordered IDs], edges }], count, complete, length } or { none: true }
let pathResult = null;
let truncated = false;
let pending = 0;
let epoch = 0; // bumps on every full rebuild; older answers are dropped
let panelRecord = null;
let panelSeq = 0;

// Language: the URL's, else the last one chosen here, else the browser's.
setLang(initial.lang || localStorage.getItem('baygraph.lang') || ((navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en'));

/** Counts a promise as pending work (the busy indicator and the test handle use it). */
function track(promise) {
  pending++;
  setBusy();
  return Promise.resolve(promise).finally(() => {
    pending--;
    setBusy();
  });
}

function setBusy() {
  const busy = pending > 0;
  document.body.dataset.busy = String(busy);
  $('#busy').hidden = !busy;
}

function showError(e) {
  console.warn(e);
  const el = $('#error');
  el.textContent = `${t('error')}: ${e.message || e}`;
  el.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => (el.hidden = true), 8000);
}

function syncUrl() {
  const url = `${location.pathname}${formatView(view)}${location.hash}`;
  history.replaceState(null, '', url);
  $('#share-url').value = location.href;
  // The playground opens with the query behind this view, and links back to it.
  const here = `${location.pathname}${formatView(view)}`;
  const q = api.viewQuery(view, `${location.origin}${here}`);
  const href = `/?${new URLSearchParams({ query: q.query, variables: JSON.stringify(q.variables), explore: here })}`;
  $('#open-playground').href = href;
  $('#playground-top').href = href;
}

// ---- graph -------------------------------------------------------------------------------

const graph = createGraph($('#cy'), {
  onTap: (id) => onNodeTap(id),
  onHover: (node, pos) => hover(node, pos),
  onMoved: () => savePositions(),
});

// Where each node was drawn, per focus, in local storage: a view reopened later (or shared to
// this browser) comes back as it was left. At most POS_FOCUSES focuses are kept, newest first.
const POS_KEY = 'baygraph.positions';
const POS_FOCUSES = 20;

function loadAllPositions() {
  try {
    const all = JSON.parse(localStorage.getItem(POS_KEY) || '[]');
    return Array.isArray(all) ? all : [];
  } catch {
    return [];
  }
}

/** The saved positions of the view around `focus`: ID → {x, y}. */
function savedPositions(focus) {
  const entry = loadAllPositions().find((e) => e && e.focus === focus);
  return new Map(entry ? Object.entries(entry.pos).map(([id, [x, y]]) => [id, { x, y }]) : []);
}

let saveTimer = 0;
function savePositions() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    if (!view.focus || !graph.has(view.focus)) return;
    const pos = {};
    for (const [id, p] of graph.positions()) pos[id] = [p.x, p.y];
    const rest = loadAllPositions().filter((e) => e && e.focus !== view.focus);
    try {
      localStorage.setItem(POS_KEY, JSON.stringify([{ focus: view.focus, pos }, ...rest].slice(0, POS_FOCUSES)));
    } catch {
      /* storage full or unavailable: positions are a convenience */
    }
  }, 200);
}

function hover(node, pos) {
  const tip = $('#tooltip');
  if (!node) {
    tip.hidden = true;
    return;
  }
  const d = node.data();
  const kind = NODE_KIND[d.kind];
  tip.replaceChildren();
  const en = d.labelEn ? h('span', { lang: 'en' }, d.labelEn) : null;
  const zh = h('span', { lang: 'zh' }, d.label);
  append(tip, [
    ...(getLang() === 'en' && en ? [h('b', {}, en), zh] : [h('b', {}, zh), en]),
    h('small', {}, `${kind ? `${kind.zh} ${kind.en}` : d.kind} · ${d.subKind}`),
  ]);
  tip.style.left = `${pos.x + 14}px`;
  tip.style.top = `${pos.y + 14}px`;
  tip.hidden = false;
}

function addSubgraph(store, sub) {
  if (!sub) return;
  for (const n of sub.nodes) if (!store.nodes.has(n.id)) store.nodes.set(n.id, n);
  for (const e of sub.edges) store.edges.set(edgeId(e), e);
  if (sub.truncated) truncated = true;
}

/** Fills the year lists with the years of the drawn records and applies the year filter. */
function applyYears() {
  const years = graph.years();
  const [from, to] = view.years || [null, null];
  for (const [sel, value] of [[$('#year-from'), from], [$('#year-to'), to]]) {
    const all = [...new Set([...years, ...(value != null ? [value] : [])])].sort((a, b) => a - b);
    sel.replaceChildren(h('option', { value: '' }, t('yearAny')), ...all.map((y) => h('option', { value: String(y) }, String(y))));
    sel.value = value != null ? String(value) : '';
  }
  $('#years-clear').disabled = !view.years;
  graph.setYears(from, to);
}

function onYears() {
  const v = (sel) => (sel.value ? Number(sel.value) : null);
  let [from, to] = [v($('#year-from')), v($('#year-to'))];
  if (from != null && to != null && from > to) [from, to] = [to, from];
  view.years = from == null && to == null ? null : [from, to];
  syncUrl();
  applyYears();
  updateStatus();
}

function markGraph() {
  $('#tooltip').hidden = true; // the drawing moved: a tooltip would point at nothing
  applyYears();
  graph.mark({ focus: view.focus, expanded: view.expanded, selected: view.sel });
  if (pathResult && !pathResult.none) graph.highlight(pathResult.nodes, pathResult.edges);
  else graph.highlight(null);
  updateStatus();
}

function updateStatus() {
  const snap = graph.snapshot();
  $('#empty').hidden = snap.nodes.length > 0;
  $('#status').textContent = snap.nodes.length
    ? `${snap.nodes.length} ${t('nodes')} · ${snap.edges.length} ${t('edges')}${truncated ? ` · ${t('truncated')}` : ''}`
    : '';
  $('#status').dataset.nodes = String(snap.nodes.length);
  $('#status').dataset.edges = String(snap.edges.length);
  if (view.mode === 'table') table.render();
}

// ---- table view --------------------------------------------------------------------------

const table = createTable($('#table-view'), {
  snapshot: () => graph.snapshot(),
  onSelect: (id) => select(id),
  download: (blob, name) => download(blob, name),
});

function setMode(mode) {
  view.mode = mode;
  const isTable = mode === 'table';
  $('.stage').dataset.mode = mode;
  $('#table-view').hidden = !isTable;
  $('#mode-graph').setAttribute('aria-pressed', String(!isTable));
  $('#mode-table').setAttribute('aria-pressed', String(isTable));
  if (isTable) table.render();
  syncUrl();
}
$('#mode-graph').addEventListener('click', () => setMode('graph'));
$('#mode-table').addEventListener('click', () => setMode('table'));

/** Runs `jobs` (functions returning promises) at most `limit` at a time; answers in order. */
async function inTurn(jobs, limit = 4) {
  const out = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return out;
}

/**
 * Loads the whole view again: focus neighbourhood, expansions, path. Nodes with a position in
 * `keep` (ID → {x, y}) stay there; the others are laid out around them.
 */
async function rebuild(keep = graph.positions()) {
  const mine = ++epoch;
  truncated = false;
  const store = { nodes: new Map(), edges: new Map() };
  const jobs = [];
  if (view.focus) jobs.push(() => api.neighborhood(view.focus, view.depth, view.edges));
  for (const id of view.expanded) jobs.push(() => api.neighborhood(id, 1, view.edges));
  if (view.path) jobs.push(() => allShortestPaths(view.path[0], view.path[1], view.edges));
  try {
    const subs = await track(inTurn(jobs));
    const p = view.path ? subs.pop() : null;
    if (mine !== epoch) return;
    subs.forEach((s) => addSubgraph(store, s));
    addSubgraph(store, p);
    setPathResult(p);
    await track(graph.replace([...store.nodes.values()], [...store.edges.values()], keep));
    if (mine !== epoch) return;
    markGraph();
  } catch (e) {
    if (mine === epoch) showError(e);
  }
}

/** A click on a node: show its record and add its neighbours. */
async function onNodeTap(id) {
  $('#tooltip').hidden = true;
  select(id);
  if (id === view.focus || view.expanded.includes(id)) return;
  view.expanded.push(id);
  syncUrl();
  const mine = epoch;
  try {
    const sub = await track(api.neighborhood(id, 1, view.edges));
    if (mine !== epoch) return;
    if (sub.truncated) truncated = true;
    await track(graph.merge(sub.nodes, sub.edges, id));
    markGraph();
  } catch (e) {
    view.expanded = view.expanded.filter((x) => x !== id);
    syncUrl();
    showError(e);
  }
}

function select(id) {
  view.sel = id;
  syncUrl();
  graph.mark({ focus: view.focus, expanded: view.expanded, selected: id });
  openPanel(id);
}

async function openPanel(id) {
  const mine = ++panelSeq;
  const el = $('#panel');
  el.hidden = false;
  el.dataset.loading = 'true';
  try {
    const rec = await track(api.details(id));
    if (mine !== panelSeq) return;
    if (!rec) throw new Error(`no record ${id}`);
    panelRecord = rec;
    renderPanel(el, rec, panelActions);
  } catch (e) {
    showError(e);
  } finally {
    if (mine === panelSeq) el.dataset.loading = 'false';
  }
}

function closePanel() {
  if ($('#panel').contains(document.activeElement)) $('#cy').focus();
  panelSeq++;
  panelRecord = null;
  view.sel = null;
  $('#panel').hidden = true;
  graph.mark({ focus: view.focus, expanded: view.expanded, selected: null });
  syncUrl();
}

const recName = (r) => (getLang() === 'en' && r.nameEn ? r.nameEn : r.nameZh);

const panelActions = {
  focus: (id) => setFocus(id),
  from: (rec) => {
    fromBox.set(rec.id, recName(rec));
    pathEndsChanged();
  },
  to: (rec) => {
    toBox.set(rec.id, recName(rec));
    pathEndsChanged();
  },
  select: (id) => (graph.has(id) ? onNodeTap(id) : select(id)),
  close: closePanel,
};

/** A new starting record: its neighbourhood at the chosen depth, expansions reset. */
function setFocus(id) {
  view.focus = id;
  view.expanded = [];
  view.sel = id;
  syncUrl();
  openPanel(id);
  return rebuild(savedPositions(id));
}

// ---- path --------------------------------------------------------------------------------

function setPathResult(p) {
  if (!view.path) pathResult = null;
  else if (!p) pathResult = { none: true };
  else {
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    pathResult = {
      nodes: p.nodes.map((n) => n.id),
      edges: p.edges.map(edgeId),
      steps: p.paths[0].nodes.map((id) => byId.get(id)),
      paths: p.paths,
      byId,
      count: p.count,
      complete: p.complete,
      length: p.length,
    };
  }
  renderPath();
}

/** One path as an ordered list: each record, and the relation to the next. */
function pathList(path, byId, lang) {
  const label = (n) => (lang === 'en' && n.labelEn ? n.labelEn : n.label);
  return h(
    'ol',
    { class: 'path-steps', 'data-testid': 'path-steps' },
    path.nodes.map((id, i) => {
      const n = byId.get(id);
      const next = path.nodes[i + 1];
      const rel = next && path.edges.find((e) => (e.source === id && e.target === next) || (e.source === next && e.target === id));
      const kind = NODE_KIND[n.kind];
      return h(
        'li',
        { 'data-testid': 'path-step', dataset: { id } },
        h('a', { href: '#', onclick: (e) => (e.preventDefault(), select(id)) }, kind ? shapeIcon(kind.shape, kind.color, 12) : null, ' ', label(n)),
        rel ? h('div', { class: 'path-rel' }, `${rel.source === id ? '↓' : '↑'} ${edgeLabel(rel.label, lang)}`) : null,
      );
    }),
  );
}

function renderPath() {
  const out = $('#path-result');
  out.replaceChildren();
  $('#path-clear').disabled = !view.path;
  if (!pathResult) return;
  if (pathResult.none) {
    out.append(h('p', { class: 'muted', 'data-testid': 'path-none' }, t('pathNone')));
    return;
  }
  const lang = getLang();
  const { paths, byId, count, complete, length } = pathResult;
  const label = (n) => (lang === 'en' && n.labelEn ? n.labelEn : n.label);
  out.append(
    h(
      'p',
      { class: 'muted', 'data-testid': 'path-summary', dataset: { count: String(count), listed: String(paths.length) } },
      `${complete ? '' : `${t('atLeast')} `}${count} ${count === 1 ? t('pathOne') : t('pathMany')} · ${length} ${t('pathHops')}`,
      paths.length < count ? ` · ${t('pathListed')} ${paths.length}` : '',
    ),
    pathList(paths[0], byId, lang),
    ...paths.slice(1).map((p, i) =>
      h(
        'details',
        { class: 'path-alt', 'data-testid': 'path-alt' },
        h('summary', {}, `${t('pathVia')} ${i + 2}: ${p.nodes.slice(1, -1).map((id) => label(byId.get(id))).join(' · ')}`),
        pathList(p, byId, lang),
      ),
    ),
  );
}

async function findPath(from, to) {
  view.path = [from, to];
  syncUrl();
  const mine = epoch;
  try {
    const p = await allShortestPaths(from, to, view.edges, track);
    if (mine !== epoch) return;
    if (p) await track(graph.merge(p.nodes, p.edges, graph.has(from) ? from : to));
    setPathResult(p);
    markGraph();
  } catch (e) {
    showError(e);
  }
}

function maybeFindPath() {
  $('#path-find').disabled = !(fromBox.id && toBox.id);
}

/** Both ends chosen: find the path at once. */
function pathEndsChanged() {
  maybeFindPath();
  if (fromBox.id && toBox.id) findPath(fromBox.id, toBox.id);
}

function clearPath() {
  view.path = null;
  pathResult = null;
  fromBox.set(null, '');
  toBox.set(null, '');
  maybeFindPath();
  renderPath();
  markGraph();
  syncUrl();
}

// ---- export ------------------------------------------------------------------------------

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function exportJson() {
  const snap = graph.snapshot();
  const doc = {
    generator: 'Baygraph explorer',
    api: `${location.origin}/graphql`,
    url: location.href,
    exportedAt: new Date().toISOString(),
    view: { focus: view.focus, depth: view.depth, edgeKinds: view.edges, expanded: view.expanded, path: view.path, years: view.years },
    path: pathResult && !pathResult.none ? pathResult.paths[0].nodes : null,
    paths: pathResult && !pathResult.none ? { count: pathResult.count, complete: pathResult.complete, listed: pathResult.paths.map((p) => p.nodes) } : null,
    nodes: snap.nodes,
    edges: snap.edges,
  };
  download(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }), 'baygraph-subgraph.json');
}

function exportPng() {
  download(graph.png(), 'baygraph-subgraph.png');
}

// ---- page wiring -------------------------------------------------------------------------

function buildLegend() {
  const legend = $('#legend');
  legend.replaceChildren(
    ...NODE_KINDS.map((k) =>
      h('li', { 'data-testid': `legend-${k.kind}` }, shapeIcon(k.shape, k.color), h('span', { lang: 'zh' }, k.zh), h('span', { lang: 'en' }, k.en)),
    ),
    h('li', { class: 'legend-mark' }, h('span', { class: 'mark focus' }), h('span', { 'data-i18n': 'legendFocus' }, t('legendFocus'))),
    h('li', { class: 'legend-mark' }, h('span', { class: 'mark expanded' }), h('span', { 'data-i18n': 'legendExpanded' }, t('legendExpanded'))),
    h('li', { class: 'legend-mark' }, h('span', { class: 'mark path' }), h('span', { 'data-i18n': 'legendPath' }, t('legendPath'))),
  );
}

function buildEdgeFilter() {
  const box = $('#edge-kinds');
  box.replaceChildren(
    ...EDGE_KINDS.map((k) =>
      h(
        'label',
        { class: 'edge-kind' },
        h('input', {
          type: 'checkbox',
          value: k.kind,
          id: `edge-${k.kind}`,
          'data-testid': `edge-kind-${k.kind}`,
          checked: view.edges.includes(k.kind),
          onchange: onEdgeFilter,
        }),
        h('span', { class: 'swatch', style: `background:${k.color}` }),
        h('span', { lang: 'zh' }, k.zh),
        h('span', { lang: 'en', class: 'muted' }, k.en),
      ),
    ),
  );
}

function onEdgeFilter() {
  view.edges = [...document.querySelectorAll('#edge-kinds input:checked')].map((i) => i.value);
  syncUrl();
  rebuild();
}

function applyLang() {
  translatePage();
  applyYears();
  $('#lang-toggle').textContent = t('language');
  graph.setLang(getLang());
  renderPath();
  updateStatus();
  if (panelRecord && !$('#panel').hidden) renderPanel($('#panel'), panelRecord, panelActions);
  // Names follow the language everywhere: the search box, the starting points, the reader.
  for (const box of [searchBox, fromBox, toBox]) {
    const id = box === searchBox ? view.focus : box.id;
    if (!id || !graph.has(id)) continue;
    const d = graph.cy.getElementById(id).data();
    box.set(id, getLang() === 'en' && d.labelEn ? d.labelEn : d.label);
  }
  for (const chip of document.querySelectorAll('[data-testid=start-chip]')) {
    const s = chip.__record;
    if (s) chip.lastChild.textContent = recName(s);
  }
  reader.refresh();
}

async function showStarts() {
  try {
    const starts = await track(api.mostConnected());
    const box = $('#starts');
    box.replaceChildren(
      ...starts.map((s) => {
        const chip = startChip(s);
        chip.__record = s;
        return chip;
      }),
    );
  } catch (e) {
    showError(e);
  }
}

function startChip(s) {
  const kind = NODE_KIND[kindOfType(s.type)];
  return h(
    'button',
    {
      class: 'chip',
      'data-testid': 'start-chip',
      dataset: { id: s.id },
      onclick: () => {
        searchBox.set(s.id, recName(s));
        setFocus(s.id);
      },
    },
    kind ? shapeIcon(kind.shape, kind.color, 12) : null,
    ' ',
    h('span', {}, recName(s)),
  );
}

const searchBox = attachSuggest($('#search'), $('#suggestions'), (hit) => setFocus(hit.id), track);
const fromBox = attachSuggest($('#path-from'), $('#path-from-suggestions'), pathEndsChanged, track);
const toBox = attachSuggest($('#path-to'), $('#path-to-suggestions'), pathEndsChanged, track);
$('#path-from').addEventListener('input', maybeFindPath);
$('#path-to').addEventListener('input', maybeFindPath);

$('#path-find').addEventListener('click', () => fromBox.id && toBox.id && findPath(fromBox.id, toBox.id));
$('#path-clear').addEventListener('click', clearPath);
$('#depth').addEventListener('change', (e) => {
  view.depth = Number(e.target.value);
  syncUrl();
  rebuild();
});
$('#year-from').addEventListener('change', onYears);
$('#year-to').addEventListener('change', onYears);
$('#years-clear').addEventListener('click', () => {
  $('#year-from').value = '';
  $('#year-to').value = '';
  onYears();
});
$('#export-png').addEventListener('click', exportPng);
$('#export-json').addEventListener('click', exportJson);
$('#fit').addEventListener('click', () => graph.fit());
$('#relayout').addEventListener('click', () => track(graph.relayout()));
$('#edge-labels').addEventListener('change', (e) => graph.setEdgeLabels(e.target.checked));
$('#share-copy').addEventListener('click', async () => {
  const input = $('#share-url');
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    input.select();
    document.execCommand('copy');
  }
  $('#share-copy').textContent = t('copied');
  setTimeout(() => ($('#share-copy').textContent = t('copy')), 1500);
});
$('#lang-toggle').addEventListener('click', () => {
  setLang(getLang() === 'zh' ? 'en' : 'zh');
  localStorage.setItem('baygraph.lang', getLang());
  view.lang = getLang();
  syncUrl();
  applyLang();
});
document.addEventListener('keydown', (e) => {
  if (e.key === '/' && document.activeElement === document.body) {
    e.preventDefault();
    $('#search').focus();
  }
});

// ---- drawer (controls on tablets and phones) and keyboard ----------------------------------

const narrow = matchMedia('(max-width: 1000px)');

function setDrawer(open, { focus = true } = {}) {
  const toggle = $('#controls-toggle');
  document.body.dataset.drawer = open ? 'open' : 'closed';
  toggle.setAttribute('aria-expanded', String(open));
  $('#drawer-scrim').hidden = !open;
  if (!focus) return;
  if (open) setTimeout(() => $('#controls').querySelector('select, input, button')?.focus(), 0);
  else toggle.focus();
}
$('#controls-toggle').addEventListener('click', () => setDrawer(document.body.dataset.drawer !== 'open'));
$('#drawer-scrim').addEventListener('click', () => setDrawer(false));
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && narrow.matches && document.body.dataset.drawer === 'open' && !e.defaultPrevented) {
    e.preventDefault();
    setDrawer(false);
  }
});
narrow.addEventListener('change', () => setDrawer(false, { focus: false }));
setDrawer(false, { focus: false });

$('#panel').addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && !e.defaultPrevented) {
    e.preventDefault();
    closePanel();
  }
});

const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
// The graph from the keyboard: arrows move the selection to the nearest node that way, Enter
// expands it, Escape closes its details, + and - zoom, 0 fits.
$('#cy').addEventListener('keydown', (e) => {
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  const cur = view.sel && graph.has(view.sel) ? view.sel : null;
  if (ARROWS[e.key]) {
    e.preventDefault();
    const next = cur ? graph.nearestInDirection(cur, ARROWS[e.key]) : view.focus && graph.has(view.focus) ? view.focus : graph.firstNode();
    if (next) {
      select(next);
      graph.reveal(next);
    }
  } else if ((e.key === 'Enter' || e.key === ' ') && cur) {
    e.preventDefault();
    onNodeTap(cur);
  } else if (e.key === 'Escape' && !$('#panel').hidden) {
    e.preventDefault();
    closePanel();
  } else if (e.key === '+' || e.key === '=') {
    e.preventDefault();
    graph.zoomBy(1.25);
  } else if (e.key === '-') {
    e.preventDefault();
    graph.zoomBy(0.8);
  } else if (e.key === '0') {
    e.preventDefault();
    graph.fit();
  }
});

// ---- source reader (state in the hash) ---------------------------------------------------

const reader = createReader($('#reader'), {
  track,
  onClose: () => {
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    $('#share-url').value = location.href;
    reader.show(null);
  },
});
const showReader = () => {
  $('#share-url').value = location.href;
  return reader.show(parseHash(location.hash)).catch(showError);
};
window.addEventListener('hashchange', showReader);

// ---- start: restore the view in the URL ----------------------------------------------------

async function restore() {
  $('#depth').value = String(view.depth);
  setMode(view.mode);
  buildLegend();
  buildEdgeFilter();
  applyLang();
  syncUrl();
  maybeFindPath();
  const jobs = [];
  if (view.focus || view.expanded.length || view.path) jobs.push(rebuild(savedPositions(view.focus)));
  else jobs.push(showStarts());
  if (view.sel) jobs.push(openPanel(view.sel));
  if (parseHash(location.hash)) jobs.push(showReader());
  await Promise.all(jobs);
  if (view.path && pathResult && !pathResult.none) {
    const [a, b] = [pathResult.steps[0], pathResult.steps[pathResult.steps.length - 1]];
    const name = (n) => (getLang() === 'en' && n.labelEn ? n.labelEn : n.label);
    fromBox.set(a.id, name(a));
    toBox.set(b.id, name(b));
    maybeFindPath();
  }
  if (view.focus) {
    const f = graph.cy.getElementById(view.focus);
    if (f.length) searchBox.set(view.focus, getLang() === 'en' && f.data('labelEn') ? f.data('labelEn') : f.data('label'));
  }
}

// A read-only handle for tests and the console: what is drawn, and when the page is idle.
window.__explorer = {
  cy: graph.cy,
  get view() {
    return JSON.parse(JSON.stringify(view));
  },
  get busy() {
    return pending > 0 || graph.settling();
  },
  nodes: () => graph.snapshot().nodes,
  edges: () => graph.snapshot().edges,
  /** The first shortest path (ordered IDs), and all the listed ones. */
  path: () => (pathResult && !pathResult.none ? [...pathResult.paths[0].nodes] : null),
  paths: () => (pathResult && !pathResult.none ? pathResult.paths.map((p) => [...p.nodes]) : null),
  pathUnion: () => (pathResult && !pathResult.none ? { nodes: [...pathResult.nodes], edges: [...pathResult.edges] } : null),
  highlighted: () => graph.cy.elements('.on-path').map((e) => e.id()),
  /** Model positions of every node: {id: {x, y}}. */
  positions: () => Object.fromEntries(graph.positions()),
  /** A node's label as drawn (wrapped lines joined by \n, or cut with …). */
  drawnLabel: (id) => graph.drawnLabel(id),
  /** Pairs of drawn labels that overlap (two marked ones excepted). */
  labelOverlaps: () => graph.labelOverlaps(),
  /** Edge labels as drawn: [{id, label, px}]. */
  edgeLabels: () => graph.edgeLabels(),
  /** Where a node is drawn, in page coordinates (for a real mouse click). */
  clientPosition(id) {
    const n = graph.cy.getElementById(id);
    if (!n.length) return null;
    const box = $('#cy').getBoundingClientRect();
    const p = n.renderedPosition();
    return { x: box.left + p.x, y: box.top + p.y };
  },
  /** Resolves once no request or layout is pending. */
  idle() {
    return new Promise((resolve) => {
      const check = () => (pending === 0 && !graph.settling() ? resolve(true) : setTimeout(check, 50));
      check();
    });
  },
};

track(restore());
