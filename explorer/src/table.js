// The table view of the current graph: its records and its relations, each table sortable by
// any column and downloadable as CSV (UTF-8 with a byte-order mark, so spreadsheets read the
// Chinese right).
import { h } from './dom.js';
import { NODE_KIND, edgeLabel } from './kinds.js';
import { t, getLang } from './i18n.js';

/** One CSV line: every field quoted when it has to be. */
const csvLine = (cells) =>
  cells.map((c) => (c == null ? '' : /[",\n\r]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(',');

/** A CSV document (with BOM) from a header and rows. */
export const toCsv = (header, rows) => `\ufeff${[header, ...rows].map(csvLine).join('\r\n')}\r\n`;

const collator = new Intl.Collator(['zh-CN', 'en'], { numeric: true });
const compare = (a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : collator.compare(String(a ?? ''), String(b ?? '')));

/** The columns of each table: key, header string key, value of a row. */
function columns(snap) {
  const lang = getLang();
  const byId = new Map(snap.nodes.map((n) => [n.id, n]));
  const name = (n) => (n ? (lang === 'en' && n.labelEn ? n.labelEn : n.label) : '');
  const degree = new Map();
  for (const e of snap.edges) for (const id of [e.source, e.target]) degree.set(id, (degree.get(id) || 0) + 1);
  const kindName = (k) => (NODE_KIND[k] ? NODE_KIND[k][lang] : k);
  return {
    nodes: [
      { key: 'name', head: 'colName', value: (n) => name(n) },
      { key: 'other', head: lang === 'en' ? 'nameZh' : 'nameEn', value: (n) => (lang === 'en' ? n.label : n.labelEn || '') },
      { key: 'type', head: 'type', value: (n) => kindName(n.kind) },
      { key: 'kind', head: 'kind', value: (n) => String(n.subKind || '').toLowerCase().replace(/_/g, ' ') },
      { key: 'degree', head: 'colDegree', value: (n) => degree.get(n.id) || 0 },
      { key: 'id', head: 'colId', value: (n) => n.id },
    ],
    edges: [
      { key: 'from', head: 'colFrom', value: (e) => name(byId.get(e.source)) },
      { key: 'rel', head: 'relation', value: (e) => edgeLabel(e.label, lang) },
      { key: 'to', head: 'colTo', value: (e) => name(byId.get(e.target)) },
      { key: 'kind', head: 'colRelKind', value: (e) => e.kind },
      { key: 'source', head: 'colFromId', value: (e) => e.source },
      { key: 'target', head: 'colToId', value: (e) => e.target },
    ],
  };
}

/**
 * Creates the table view in `el`. `snapshot()` gives the drawn graph ({nodes, edges});
 * `onSelect(id)` opens a record; `download(blob, name)` saves a file.
 */
export function createTable(el, { snapshot, onSelect, download }) {
  const sort = { nodes: { key: 'degree', dir: -1 }, edges: { key: 'from', dir: 1 } };

  function rowsOf(which, snap, cols) {
    const list = which === 'nodes' ? snap.nodes : snap.edges;
    const { key, dir } = sort[which];
    const col = cols.find((c) => c.key === key) || cols[0];
    return [...list].sort((a, b) => dir * compare(col.value(a), col.value(b)));
  }

  function csv(which) {
    const snap = snapshot();
    const cols = columns(snap)[which];
    const rows = rowsOf(which, snap, cols).map((r) => cols.map((c) => c.value(r)));
    download(new Blob([toCsv(cols.map((c) => t(c.head)), rows)], { type: 'text/csv;charset=utf-8' }), `baygraph-${which === 'nodes' ? 'records' : 'relations'}.csv`);
  }

  function table(which, snap, cols) {
    const current = sort[which];
    const head = h(
      'tr',
      {},
      cols.map((c) =>
        h(
          'th',
          { scope: 'col', 'aria-sort': c.key === current.key ? (current.dir > 0 ? 'ascending' : 'descending') : null },
          h(
            'button',
            {
              type: 'button',
              class: 'sort',
              'data-testid': `sort-${which}-${c.key}`,
              onclick: () => {
                sort[which] = { key: c.key, dir: current.key === c.key ? -current.dir : 1 };
                render();
                el.querySelector(`[data-testid=sort-${which}-${c.key}]`)?.focus();
              },
            },
            t(c.head),
            c.key === current.key ? (current.dir > 0 ? ' ▲' : ' ▼') : '',
          ),
        ),
      ),
    );
    const body = rowsOf(which, snap, cols).map((r) =>
      h(
        'tr',
        which === 'nodes' ? { 'data-testid': 'table-node', dataset: { id: r.id } } : { 'data-testid': 'table-edge', dataset: { source: r.source, target: r.target, kind: r.kind } },
        cols.map((c, i) => {
          const v = c.value(r);
          if (which === 'nodes' && i === 0)
            return h('td', {}, h('a', { href: '#', onclick: (e) => (e.preventDefault(), onSelect(r.id)) }, v));
          if (which === 'edges' && (c.key === 'from' || c.key === 'to'))
            return h('td', {}, h('a', { href: '#', onclick: (e) => (e.preventDefault(), onSelect(c.key === 'from' ? r.source : r.target)) }, v));
          return h('td', { class: typeof v === 'number' ? 'num' : c.key.endsWith('id') || c.key === 'source' || c.key === 'target' ? 'id' : null }, v);
        }),
      ),
    );
    return h('table', { class: 'data', 'data-testid': `table-${which}` }, h('thead', {}, head), h('tbody', {}, body));
  }

  /** One table with its heading (`title`, the row count) and its CSV button. */
  function section(which, title, snap, cols) {
    return h(
      'section',
      { 'aria-labelledby': `table-${which}-title` },
      h(
        'div',
        { class: 'table-head' },
        h('h2', { id: `table-${which}-title` }, `${t(title)} (${snap[which].length})`),
        h('button', { type: 'button', 'data-testid': `csv-${which}`, onclick: () => csv(which) }, t('csvDownload')),
      ),
      h('div', { class: 'table-scroll' }, table(which, snap, cols[which])),
    );
  }

  function render() {
    const snap = snapshot();
    const cols = columns(snap);
    el.replaceChildren(section('nodes', 'records', snap, cols), section('edges', 'relationsTitle', snap, cols));
  }

  return { render };
}
