// Record types and relation kinds: how each is drawn. Their names (中文 / English) and the
// Chinese labels of roles and kinds come from vocab.js, generated from the API's declarations.
import { RECORD_KINDS, EDGE_KINDS as EDGE_NAMES, LABELS_ZH } from './vocab.js';

// Every record kind is drawn, sources aside (the reader shows them as text), in the order the API
// declares its kinds, each with the next style below: a new record kind needs nothing in the
// explorer; its search value, GraphQL type, legend icon and details follow from vocab.js.
// Colours from the Okabe–Ito palette (distinguishable with colour-vision deficiencies); every
// kind also has its own shape (any shape `dom.js` draws), so colour is never the only cue.
const STYLES = [
  { shape: 'ellipse', color: '#0072B2' },
  { shape: 'round-rectangle', color: '#009E73' },
  { shape: 'diamond', color: '#E69F00' },
  { shape: 'triangle', color: '#56B4E9' },
  { shape: 'rectangle', color: '#D55E00' },
  { shape: 'star', color: '#C9B400' },
  { shape: 'hexagon', color: '#CC79A7' },
  // Not used yet, ready for the next kinds.
  { shape: 'pentagon', color: '#000000' },
  { shape: 'octagon', color: '#999999' },
  { shape: 'vee', color: '#882255' },
  { shape: 'tag', color: '#44AA99' },
];

export const NODE_KINDS = Object.entries(RECORD_KINDS)
  .filter(([kind]) => kind !== 'source')
  .map(([kind, names], i) => ({
    kind,
    ...STYLES[i % STYLES.length],
    ...names,
    search: kind.toUpperCase(),
    type: kind[0].toUpperCase() + kind.slice(1),
  }));

export const NODE_KIND = Object.fromEntries(NODE_KINDS.map((k) => [k.kind, k]));

/** GraphQL __typename → graph kind ("Zone" → "zone"). */
export const kindOfType = (typename) => String(typename || '').toLowerCase();

// Relation kinds, in the order the filter lists them. `defaultOn` mirrors the API's default
// (every kind but in_sector).
const EDGE_COLORS = {
  parent: '#0072B2',
  located_in: '#009E73',
  part_of: '#4d9e8a',
  hosted_by: '#E69F00',
  issued_by: '#D55E00',
  party: '#CC79A7',
  covers: '#9b59b6',
  established_by: '#8c564b',
  in_sector: '#b8a300',
  broader: '#7f7000',
  involves: '#5d6d7e',
};

export const EDGE_KINDS = EDGE_NAMES.map((e) => ({
  kind: e.kind,
  color: EDGE_COLORS[e.kind] || '#777777',
  zh: e.zh,
  en: e.en,
  defaultOn: e.kind !== 'in_sector',
}));

export const EDGE_KIND = Object.fromEntries(EDGE_KINDS.map((k) => [k.kind, k]));
export const DEFAULT_EDGE_KINDS = EDGE_KINDS.filter((k) => k.defaultOn).map((k) => k.kind);

// Chinese for the edge labels the API writes in English: a party's role (its stored value), or
// the relation in words (`located in`).
const LABEL_ZH = {
  ...LABELS_ZH,
  ...Object.fromEntries(EDGE_NAMES.map((e) => [e.words, e.zh])),
};

/** The label to draw on an edge in the given UI language (the API's own label in English). */
export function edgeLabel(label, lang) {
  if (lang === 'zh') return LABEL_ZH[label] || label;
  return String(label).replace(/_/g, '-');
}
