// The public GraphQL API, same origin: POST /graphql with {query, variables}.
import { NODE_KINDS } from './kinds.js';
import { OWN_FIELDS } from './vocab.js';

const ENDPOINT = '/graphql';

/** Runs one operation; throws with the server's message on a GraphQL or HTTP error. */
export async function gql(query, variables = {}, { signal } = {}) {
  const res = await fetch(ENDPOINT, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  let body;
  try {
    body = await res.json();
  } catch {
    throw new Error(`HTTP ${res.status}`);
  }
  if (body.errors && body.errors.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return body.data;
}

const NAMES = NODE_KINDS.map((k) => `... on ${k.type} { id nameZh nameEn }`).join(' ');

const SEARCH = `query Suggest($q: String!, $types: [SearchType!], $first: Int) {
  search(query: $q, types: $types, first: $first) {
    edges { node { score node { __typename ${NAMES} } } }
  }
}`;

/** Search hits for the suggestion list: [{id, type, nameZh, nameEn, score}]. */
export async function search(q, { signal, first = 8 } = {}) {
  const data = await gql(SEARCH, { q, first, types: NODE_KINDS.map((k) => k.search) }, { signal });
  return data.search.edges
    .map((e) => ({ ...e.node.node, type: e.node.node.__typename, score: e.node.score }))
    .filter((h) => h.id);
}

// Dates come along for the year filter: a partnership's or document's date, a project's milestones.
const DATED = '... on Partnership { date } ... on Document { date } ... on Project { milestones { date } }';
const SUBGRAPH = `nodes { id kind subKind label labelEn distance node { ${DATED} } } edges { source target kind label } truncated`;

const NEIGHBORHOOD = `query Neighborhood($id: ID!, $depth: Int!, $edgeKinds: [String!], $maxNodes: Int!) {
  neighborhood(id: $id, depth: $depth, edgeKinds: $edgeKinds, maxNodes: $maxNodes) { ${SUBGRAPH} }
}`;

/** Everything within `depth` relations of `id` (following only `edgeKinds`). */
export async function neighborhood(id, depth, edgeKinds, maxNodes = 200) {
  const data = await gql(NEIGHBORHOOD, { id, depth, edgeKinds, maxNodes });
  return data.neighborhood;
}

const PATH = `query Path($from: ID!, $to: ID!, $maxDepth: Int!, $edgeKinds: [String!]) {
  path(from: $from, to: $to, maxDepth: $maxDepth, edgeKinds: $edgeKinds) { ${SUBGRAPH} }
}`;

/** The shortest chain of relations between two records, or null when none within 8. */
export async function path(from, to, edgeKinds, maxDepth = 8) {
  const data = await gql(PATH, { from, to, maxDepth, edgeKinds });
  return data.path;
}

const CITE = 'fragment C on Citation { quote start end note relation targetId source { slug titleZh publisher date } }';
const METRIC = 'fragment M on Metric { nameZh nameEn valueText qualifier reading asOf unit year isTarget }';
const BASE = 'nameZh nameEn nameEnIsTranslation aliases citations { ...C }';
const PARTY = '__typename ... on Zone { id nameZh nameEn } ... on Platform { id nameZh nameEn } ... on Organization { id nameZh nameEn }';

// What the side panel shows beyond the fields every record type has (BASE): each type's own
// fields as the schema declares them (OWN_FIELDS, generated), and the structured lists the panel
// draws in its own way.
const STRUCTURED = {
  project: 'milestones { date eventZh eventEn }',
  partnership: `parties { role party { ${PARTY} } }`,
};
const detailFields = (kind) => {
  const own = OWN_FIELDS[kind];
  if (!own) return '';
  return [
    ...own.scalars,
    own.metrics ? 'metrics { ...M }' : '',
    ...own.citations.map((c) => `${c} { ...C }`),
    STRUCTURED[kind] ?? '',
  ].join(' ');
};

const DETAILS = `query Details($id: ID!) {
  node(id: $id) {
    __typename id
${NODE_KINDS.map((k) => `    ... on ${k.type} { ${BASE} ${detailFields(k.kind)} }`).join('\n')}
  }
}
${CITE}
${METRIC}`;

/** The full record for the side panel, or null. */
export async function details(id) {
  const data = await gql(DETAILS, { id });
  return data.node;
}

const MOST_CONNECTED = `query Start { stats { mostConnected(first: 8) { degree node { __typename ${NAMES} } } } }`;

/** The best-connected records, offered as starting points on an empty page. */
export async function mostConnected() {
  const data = await gql(MOST_CONNECTED);
  return data.stats.mostConnected
    .map((c) => ({ ...c.node, type: c.node.__typename, degree: c.degree }))
    .filter((n) => n.id);
}

const SOURCE = `query Source($slug: String!) {
  source(slug: $slug) { id slug titleZh publisher reporter date dateNote text mentions { start end surface entityId } }
}`;

/** One source document with its full text and every mention in it, or null. */
export async function source(slug) {
  const data = await gql(SOURCE, { slug });
  return data.source;
}

/**
 * The GraphQL document behind a view (focus neighbourhood, expansions, path), for the
 * playground: { query, variables }. Its answers, merged, are what the explorer draws.
 */
export function viewQuery(v, pageUrl) {
  const lit = (x) => JSON.stringify(String(x));
  const fields = [];
  if (v.focus) fields.push(`  focus: neighborhood(id: ${lit(v.focus)}, depth: ${v.depth}, edgeKinds: $edgeKinds, maxNodes: 200) { ...View }`);
  v.expanded.forEach((id, i) => fields.push(`  expand${i + 1}: neighborhood(id: ${lit(id)}, depth: 1, edgeKinds: $edgeKinds, maxNodes: 200) { ...View }`));
  if (v.path) fields.push(`  path: path(from: ${lit(v.path[0])}, to: ${lit(v.path[1])}, maxDepth: 8, edgeKinds: $edgeKinds) { ...View }`);
  if (!fields.length) return { query: `# The starting points of the explorer: ${pageUrl}\n${MOST_CONNECTED}\n`, variables: {} };
  const query = [
    `# The query behind an explorer view: ${pageUrl}`,
    '# Merged, the answers are the records and relations the explorer draws.',
    'query ExplorerView($edgeKinds: [String!]) {',
    ...fields,
    '}',
    '',
    'fragment View on Subgraph {',
    '  nodes { id kind subKind label labelEn distance }',
    '  edges { source target kind label }',
    '  truncated',
    '}',
    '',
  ].join('\n');
  return { query, variables: { edgeKinds: v.edges } };
}
