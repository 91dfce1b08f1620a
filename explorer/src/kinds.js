// Record types and relation kinds: how each is drawn and named (中文 / English).

// Colours from the Okabe–Ito palette (distinguishable with colour-vision deficiencies);
// every type also has its own shape, so colour is never the only cue.
export const NODE_KINDS = [
  { kind: 'zone', shape: 'ellipse', color: '#0072B2', zh: '区域', en: 'Zone', search: 'ZONE' },
  { kind: 'platform', shape: 'round-rectangle', color: '#009E73', zh: '平台', en: 'Platform', search: 'PLATFORM' },
  { kind: 'project', shape: 'diamond', color: '#E69F00', zh: '项目', en: 'Project', search: 'PROJECT' },
  { kind: 'partnership', shape: 'hexagon', color: '#CC79A7', zh: '合作', en: 'Partnership', search: 'PARTNERSHIP' },
  { kind: 'organization', shape: 'triangle', color: '#56B4E9', zh: '机构', en: 'Organization', search: 'ORGANIZATION' },
  { kind: 'document', shape: 'rectangle', color: '#D55E00', zh: '政策文件', en: 'Document', search: 'DOCUMENT' },
  { kind: 'sector', shape: 'star', color: '#C9B400', zh: '产业', en: 'Sector', search: 'SECTOR' },
];

export const NODE_KIND = Object.fromEntries(NODE_KINDS.map((k) => [k.kind, k]));

/** GraphQL __typename → graph kind ("Zone" → "zone"). */
export const kindOfType = (typename) => String(typename || '').toLowerCase();

// Relation kinds, in the order the filter lists them. `defaultOn` mirrors the API's default
// (every kind but in_sector).
export const EDGE_KINDS = [
  { kind: 'parent', color: '#0072B2', zh: '上级区域', en: 'parent zone', defaultOn: true },
  { kind: 'located_in', color: '#009E73', zh: '位于', en: 'located in', defaultOn: true },
  { kind: 'part_of', color: '#4d9e8a', zh: '属于', en: 'part of', defaultOn: true },
  { kind: 'hosted_by', color: '#E69F00', zh: '承载于', en: 'hosted by', defaultOn: true },
  { kind: 'issued_by', color: '#D55E00', zh: '发布机关', en: 'issued by', defaultOn: true },
  { kind: 'party', color: '#CC79A7', zh: '合作方', en: 'party', defaultOn: true },
  { kind: 'covers', color: '#9b59b6', zh: '涵盖', en: 'covers', defaultOn: true },
  { kind: 'established_by', color: '#8c564b', zh: '依据文件', en: 'established by', defaultOn: true },
  { kind: 'in_sector', color: '#b8a300', zh: '所属产业', en: 'in sector', defaultOn: false },
];

export const EDGE_KIND = Object.fromEntries(EDGE_KINDS.map((k) => [k.kind, k]));
export const DEFAULT_EDGE_KINDS = EDGE_KINDS.filter((k) => k.defaultOn).map((k) => k.kind);

// Chinese for the edge labels the API writes in English (a party's role, or the relation).
const LABEL_ZH = {
  'part of': '属于',
  'located in': '位于',
  'hosted by': '承载于',
  'issued by': '发布',
  covers: '涵盖',
  'established by': '依据',
  'in sector': '产业',
  initiator: '发起方',
  signatory: '签署方',
  partner: '合作方',
  supported: '受支持方',
  host: '承办方',
  co_builder: '共建方',
  operator: '运营方',
  coordinator: '协调方',
  participant: '参与方',
};

/** The label to draw on an edge in the given UI language (the API's own label in English). */
export function edgeLabel(label, lang) {
  if (lang === 'zh') return LABEL_ZH[label] || label;
  return String(label).replace(/_/g, '-');
}
