// Baygraph's GraphQL endpoint as real clients see it, against a running API (BAYGRAPH_URL):
// 1. graphql-http's auditServer: no failure and no warning;
// 2. Apollo Client with the persisted-query link (sha256): the first request registers, the next
//    ones send only the hash, over GET;
// 3. graphql-ws: the `changes` subscription is accepted and answers, and a bad one is refused;
// 4. graphql-js validates every playground example against the committed api/schema.graphql.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client/core/index.js';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries/index.js';
import { buildSchema, getOperationAST, parse, validate } from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import { auditServer } from 'graphql-http';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const base = process.env.BAYGRAPH_URL;
assert.ok(base, 'BAYGRAPH_URL names the API');
const root = fileURLToPath(new URL('../..', import.meta.url));
let failed = 0;

async function check(name, fn) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${name}\n     ${e.stack ?? e}`);
  }
}

await check('graphql-http audit: no failures, no warnings', async () => {
  const results = await auditServer({ url: `${base}/graphql` });
  const bad = results.filter((r) => r.status !== 'ok');
  for (const r of bad) console.log(`     ${r.status}: ${r.name}: ${r.reason ?? ''}`);
  const notices = results.filter((r) => r.status === 'notice');
  const failures = results.filter((r) => r.status === 'error');
  const warnings = results.filter((r) => r.status === 'warn');
  console.log(`     ${results.length} audits: ${failures.length} failures, ${warnings.length} warnings, ${notices.length} notices`);
  assert.equal(failures.length, 0, 'MUST audits fail');
  assert.equal(warnings.length, 0, 'SHOULD audits warn');
});

await check('Apollo Client with automatic persisted queries over GET', async () => {
  const sent = [];
  const recordingFetch = (url, init) => {
    sent.push({ url: String(url), method: init?.method ?? 'GET', body: init?.body });
    return fetch(url, init);
  };
  const sha256 = (q) => createHash('sha256').update(q).digest('hex');
  const link = createPersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
    new HttpLink({ uri: `${base}/graphql`, fetch: recordingFetch }),
  );
  const query = gql`query ApqZones($n: Int) { zones(first: $n) { totalCount nodes { id nameZh } } }`;
  for (const n of [2, 3]) {
    const client = new ApolloClient({ link, cache: new InMemoryCache() });
    const { data } = await client.query({ query, variables: { n }, fetchPolicy: 'network-only' });
    assert.equal(data.zones.nodes.length, n);
  }
  // First: hash only (GET) → PersistedQueryNotFound → hash and text (POST); then hash only.
  assert.ok(sent.length >= 3, JSON.stringify(sent));
  assert.equal(sent[0].method, 'GET');
  assert.ok(!sent[0].url.includes('query='), sent[0].url);
  assert.equal(sent[1].method, 'POST');
  assert.ok(String(sent[1].body).includes('ApqZones'));
  const last = sent[sent.length - 1];
  assert.equal(last.method, 'GET');
  assert.ok(last.url.includes('persistedQuery') && !last.url.includes('query='), last.url);
});

await check('graphql-ws: changes subscription, and a refused one', async () => {
  const ws = `${base.replace(/^http/, 'ws')}/graphql/ws`;
  const client = createClient({ url: ws, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  try {
    // From cursor 0, the subscription delivers the log's changes at once.
    const first = await new Promise((resolve, reject) => {
      const stop = client.subscribe(
        { query: 'subscription { changes(since: "0") { cursor op kind recordId } }' },
        { next: (v) => { stop(); resolve(v); }, error: reject, complete: () => {} },
      );
      setTimeout(() => reject(new Error('no change within 10 s')), 10_000);
    });
    assert.equal(first.errors, undefined, JSON.stringify(first));
    assert.ok(['upsert', 'delete'].includes(first.data.changes.op), JSON.stringify(first));
    const refused = await new Promise((resolve) => {
      client.subscribe(
        { query: 'subscription { changes(since: "not a cursor") { cursor } }' },
        { next: resolve, error: resolve, complete: () => {} },
      );
    });
    const errors = refused.errors ?? refused;
    assert.ok(Array.isArray(errors) && errors.length > 0, JSON.stringify(refused));
  } finally {
    await client.dispose();
  }
});

await check('graphql-js validates every playground example against api/schema.graphql', async () => {
  const schema = buildSchema(readFileSync(`${root}/api/schema.graphql`, 'utf8'));
  const page = await (await fetch(`${base}/`)).text();
  const examples = page
    .split('{ query: `')
    .slice(1)
    .map((tab) => tab.split('`')[0]);
  assert.ok(examples.length >= 5, `${examples.length} examples`);
  for (const example of examples) {
    const errors = validate(schema, parse(example));
    assert.deepEqual(errors.map((e) => e.message), [], example);
  }
});

await check('graphql-js reaches the server\'s verdict on every query the Rust tests send', async () => {
  const file = process.env.BAYGRAPH_QUERIES;
  if (!file) {
    assert.ok(!process.env.CI, 'CI records the tests\' queries (BAYGRAPH_RECORD_QUERIES)');
    console.log('     skipped: no BAYGRAPH_QUERIES file');
    return;
  }
  const schema = buildSchema(readFileSync(`${root}/api/schema.graphql`, 'utf8'));
  // The reference's verdict on a request: validation, then what execution checks before running
  // (the operation to run exists, its root type exists, the variables coerce).
  const reference = ({ query, operationName, variables }) => {
    const doc = parse(query);
    if (validate(schema, doc).length) return 'invalid';
    const op = getOperationAST(doc, operationName ?? undefined);
    if (!op || !schema.getRootType(op.operation)) return 'invalid';
    const coerced = getVariableValues(schema, op.variableDefinitions ?? [], variables ?? {});
    return coerced.errors?.length ? 'invalid' : 'valid';
  };
  const requests = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line);
    requests.set(JSON.stringify([r.query, r.operationName, r.variables]), r);
  }
  assert.ok(requests.size >= 100, `${requests.size} distinct requests recorded`);
  const disagreements = [];
  for (const r of requests.values()) {
    const ref = reference(r);
    if (ref !== r.verdict) disagreements.push(`server ${r.verdict}, graphql-js ${ref}: ${r.query.slice(0, 200)}`);
  }
  console.log(`     ${requests.size} distinct requests, ${disagreements.length} disagreements`);
  assert.deepEqual(disagreements, []);
});

if (failed) {
  console.log(`${failed} check(s) failed`);
  process.exit(1);
}
console.log('every client check passed');
