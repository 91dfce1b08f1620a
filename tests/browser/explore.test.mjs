// End-to-end test of the graph explorer (/explore) in headless Chromium (Debian's), driven by
// playwright-core. Run it through run.sh, which starts the API on the seed graph and sets BASE_URL.
//
//   BASE_URL=http://127.0.0.1:8000 node --test explore.test.mjs
//
// The main flow runs at 1440 × 900; then the workbench steps run on a phone (390 × 844, touch),
// a tablet (820 × 1180) and a laptop (1366 × 860): no horizontal scroll, a non-empty graph canvas,
// full focus and hover labels, no overlapping labels, the drawer, stable positions on expanding,
// the table view and its CSV, the playground link, the keyboard, the source reader, English
// names, and axe-core (no serious or critical violation) in several states.
//
// Every step saves a screenshot in artifacts/ (ARTIFACTS overrides the folder).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
// Generated from the relation kinds declared in entity (checked in CI).
import { EDGE_KINDS, RECORD_KINDS } from '../../explorer/src/vocab.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8000').replace(/\/$/, '');
const ARTIFACTS = process.env.ARTIFACTS || fileURLToPath(new URL('./artifacts/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const STEP = { timeout: 90_000 };

let browser;
let context;
let page;
const requests = []; // every URL any page of the test asked for
const problems = []; // page errors and console errors

// What the steps learn and later steps check against.
const seen = {};

function watch(p) {
  p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
}

/** Waits until the explorer has no request, layout or resize pending (twice, 100 ms apart). */
async function idle(p = page) {
  for (let i = 0; i < 2; i++) {
    await p.waitForFunction(() => window.__explorer && !window.__explorer.busy, null, { polling: 50, timeout: 45_000 });
    await p.waitForTimeout(100);
  }
}

const shot = (name, p = page) => p.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
const explorer = (fn, arg, p = page) => p.evaluate(fn, arg);
const nodes = (p = page) => explorer(() => window.__explorer.nodes(), undefined, p);
const view = (p = page) => explorer(() => window.__explorer.view, undefined, p);

/** Types `text` key by key into `input` and clicks the suggestion for the record named `nameZh`. */
async function pick(input, text, nameZh) {
  await page.locator(input).click();
  await page.locator(input).fill('');
  await page.locator(input).pressSequentially(text, { delay: 60 });
  const option = page.locator(`[data-testid=suggestion][data-name-zh="${nameZh}"]`);
  await option.first().waitFor({ state: 'visible' });
  const id = await option.first().getAttribute('data-id');
  await option.first().click();
  return id;
}

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  context.on('request', (r) => requests.push(r.url()));
  page = await context.newPage();
  watch(page);
});

after(async () => {
  await browser?.close();
});

test('loads /explore: legend, controls and an empty graph', STEP, async () => {
  const res = await page.goto(`${BASE_URL}/explore`);
  assert.equal(res.status(), 200);
  await idle();
  assert.match(await page.title(), /Baygraph/);
  // Every record kind the API declares is drawn, sources aside (the reader shows them).
  const drawn = Object.keys(RECORD_KINDS).filter((k) => k !== 'source');
  assert.equal(await page.locator('[data-testid=legend] li[data-testid^=legend-]').count(), drawn.length, 'one legend entry per record type');
  for (const kind of drawn) assert.equal(await page.locator(`[data-testid=legend-${kind}]`).count(), 1, `a legend entry for ${kind}`);
  assert.equal(await page.locator('[data-testid^=edge-kind-]').count(), EDGE_KINDS.length, 'one filter per relation kind');
  assert.equal((await nodes()).length, 0);
  assert.ok(await page.locator('[data-testid=empty]').isVisible());
  assert.ok((await page.locator('[data-testid=start-chip]').count()) > 0, 'starting points are offered');
  await shot('01-empty');
});

test('search 黄埔 suggests 黄埔区; picking it draws its neighbourhood', STEP, async () => {
  await page.locator('[data-testid=search-input]').click();
  await page.locator('[data-testid=search-input]').pressSequentially('黄埔', { delay: 80 });
  const option = page.locator('[data-testid=suggestion][data-name-zh="黄埔区"]');
  await option.waitFor({ state: 'visible' });
  assert.ok((await page.locator('[data-testid=suggestion]').count()) >= 2, 'several suggestions for 黄埔');
  await shot('02-suggestions');
  seen.huangpu = await option.getAttribute('data-id');
  await option.click();
  await idle();

  const drawn = await nodes();
  assert.ok(drawn.length > 5, `neighbourhood has nodes (got ${drawn.length})`);
  const centre = drawn.find((n) => n.id === seen.huangpu);
  assert.ok(centre, '黄埔区 is drawn');
  assert.equal(centre.label, '黄埔区');
  assert.equal(centre.kind, 'zone');
  assert.ok((await explorer(() => window.__explorer.edges())).length > 0, 'relations are drawn');
  assert.equal((await view()).focus, seen.huangpu);
  assert.equal(await page.locator('[data-testid=status]').getAttribute('data-nodes'), String(drawn.length));
  assert.ok(new URL(page.url()).searchParams.get('focus') === seen.huangpu, 'the URL names the focus');
  // The side panel opened on the chosen record.
  await page.locator('[data-testid=side-panel]').waitFor({ state: 'visible' });
  assert.equal(await page.locator('[data-testid=panel-name-zh]').textContent(), '黄埔区');
  seen.count = drawn.length;
  await shot('03-neighbourhood');
});

test('the side panel shows names, English marked as translation, and citation quotes', STEP, async () => {
  const panel = page.locator('[data-testid=side-panel]');
  assert.equal(await panel.locator('[data-testid=panel-name-en]').textContent(), 'Huangpu District');
  assert.ok(await panel.locator('[data-testid=translation-mark]').isVisible(), 'English name marked as a translation');
  assert.equal(await panel.locator('[data-testid=panel-kind]').textContent(), 'district');
  assert.ok((await panel.locator('[data-testid=metric]').count()) > 0, 'metrics listed');
  const quotes = panel.locator('[data-testid=citation-quote]');
  assert.ok((await quotes.count()) > 0, 'at least one citation quote');
  const quote = (await quotes.first().textContent()).replace(/[“”]/g, '');
  assert.ok(quote.length > 5, `a quote: ${quote}`);
  const source = await panel.locator('[data-testid=citation-source]').first().textContent();
  assert.match(source, /《.+》/, 'the quote names its source');
  await panel.screenshot({ path: join(ARTIFACTS, '04-panel.png') });
});

test('clicking a node opens its record and expands its neighbours', STEP, async () => {
  const drawn = await nodes();
  const target = drawn.find((n) => n.label === '广州市') || drawn.find((n) => n.id !== seen.huangpu);
  const pos = await explorer((id) => window.__explorer.clientPosition(id), target.id);
  const box = await page.locator('[data-testid=graph]').boundingBox();
  assert.ok(pos.x > box.x && pos.x < box.x + box.width && pos.y > box.y && pos.y < box.y + box.height, 'node is on screen');
  await page.mouse.click(pos.x, pos.y);
  await idle();

  const after = await nodes();
  assert.ok(after.length > seen.count, `node count grew: ${seen.count} → ${after.length}`);
  const v = await view();
  assert.deepEqual(v.expanded, [target.id]);
  assert.equal(v.sel, target.id);
  assert.equal(await page.locator('[data-testid=panel-name-zh]').textContent(), target.label);
  assert.ok(await explorer((id) => window.__explorer.cy.getElementById(id).hasClass('expanded'), target.id));
  seen.expanded = target.id;
  await shot('05-expanded');
});

test('finds the shortest path 香洲区 → 黄埔区 and highlights it', STEP, async () => {
  seen.xiangzhou = await pick('[data-testid=path-from-input]', '香洲', '香洲区');
  const to = await pick('[data-testid=path-to-input]', '黄埔', '黄埔区');
  assert.equal(to, seen.huangpu);
  await idle(); // with both ends chosen the path is looked up at once
  assert.ok(await page.locator('[data-testid=path-find]').isEnabled(), 'Find path can run it again');

  const path = await explorer(() => window.__explorer.path());
  assert.ok(path && path.length >= 2, `a path: ${path}`);
  assert.equal(path[0], seen.xiangzhou, 'the path starts at 香洲区');
  assert.equal(path[path.length - 1], seen.huangpu, 'the path ends at 黄埔区');
  // Every shortest path: same ends, same length, distinct, each step a drawn relation.
  const paths = await explorer(() => window.__explorer.paths());
  assert.deepEqual(paths[0], path);
  const drawnEdges = await explorer(() => window.__explorer.edges());
  const linked = (a, b) => drawnEdges.some((e) => (e.source === a && e.target === b) || (e.source === b && e.target === a));
  for (const p of paths) {
    assert.equal(p.length, path.length, `same length: ${p}`);
    assert.equal(p[0], seen.xiangzhou);
    assert.equal(p[p.length - 1], seen.huangpu);
    for (let i = 0; i + 1 < p.length; i++) assert.ok(linked(p[i], p[i + 1]), `step ${p[i]} → ${p[i + 1]} is a drawn relation`);
  }
  assert.equal(new Set(paths.map((p) => p.join())).size, paths.length, 'the paths are distinct');
  const summary = page.locator('[data-testid=path-summary]');
  assert.equal(Number(await summary.getAttribute('data-listed')), paths.length);
  assert.ok(Number(await summary.getAttribute('data-count')) >= paths.length);
  assert.equal(await page.locator('[data-testid=path-alt]').count(), paths.length - 1, 'one entry per other path');
  seen.pathCount = paths.length;

  // Highlighted: the records and relations on the shortest paths, nothing else.
  const lit = await explorer(() => window.__explorer.highlighted());
  const union = await explorer(() => window.__explorer.pathUnion());
  for (const p of paths) for (const id of p) assert.ok(lit.includes(id), `path node ${id} is highlighted`);
  assert.deepEqual([...lit].sort(), [...union.nodes, ...union.edges].sort(), 'path nodes and their relations, nothing else');
  assert.equal(union.edges.length >= path.length - 1, true);
  const steps = page.locator('[data-testid=path-steps]').first().locator('[data-testid=path-step]');
  assert.equal(await steps.count(), path.length);
  assert.equal(await steps.first().getAttribute('data-id'), seen.xiangzhou);
  assert.equal(await steps.last().getAttribute('data-id'), seen.huangpu);
  assert.match(await steps.first().textContent(), /香洲区/);
  assert.match(await steps.last().textContent(), /黄埔区/);
  assert.equal(new URL(page.url()).searchParams.get('path'), `${seen.xiangzhou},${seen.huangpu}`);
  seen.path = path;
  await shot('06-path');
});

/** IDs drawn in both `a` and `b` (ID → {x, y}) that moved more than `px`. */
const movedBetween = (a, b, px = 3) =>
  Object.keys(a).filter((id) => b[id] && Math.hypot(b[id].x - a[id].x, b[id].y - a[id].y) > px);

test('filters relation kinds and depth', STEP, async () => {
  const placed = await explorer(() => window.__explorer.positions());
  await page.locator('[data-testid=edge-kind-party]').uncheck();
  await idle();
  const filtered = await explorer(() => window.__explorer.positions());
  assert.ok(Object.keys(filtered).some((id) => placed[id]), 'some records stay drawn');
  assert.deepEqual(movedBetween(placed, filtered), [], 'filtering moved no remaining record');
  const edges = await explorer(() => window.__explorer.edges());
  assert.ok(edges.length > 0);
  assert.ok(!edges.some((e) => e.kind === 'party'), 'no party relation once filtered out');
  assert.ok(!new URL(page.url()).searchParams.get('edges').split(',').includes('party'));
  await shot('07-filtered');

  const before = (await nodes()).length;
  await page.locator('[data-testid=depth]').selectOption('2');
  await idle();
  assert.equal((await view()).depth, 2);
  assert.equal(new URL(page.url()).searchParams.get('depth'), '2');
  assert.ok((await nodes()).length > before, 'depth 2 reaches further');
  assert.deepEqual(movedBetween(filtered, await explorer(() => window.__explorer.positions())), [], 'depth 2 moved no record already drawn');
  const path = await explorer(() => window.__explorer.path());
  assert.equal(path[0], seen.xiangzhou);
  assert.equal(path[path.length - 1], seen.huangpu);
  await shot('08-depth2');
});

test('the share URL restores the same view in a new page', STEP, async () => {
  const shared = await page.locator('[data-testid=share-url]').inputValue();
  assert.equal(shared, page.url());
  const q = new URL(shared).searchParams;
  assert.equal(q.get('focus'), seen.huangpu);
  assert.equal(q.get('depth'), '2');
  assert.equal(q.get('expand'), seen.expanded);
  assert.equal(q.get('path'), `${seen.xiangzhou},${seen.huangpu}`);

  const again = await context.newPage();
  watch(again);
  await again.goto(shared);
  await idle(again);
  const [a, b] = [await view(), await view(again)];
  for (const key of ['focus', 'depth', 'edges', 'expanded', 'path', 'sel']) assert.deepEqual(b[key], a[key], key);
  const ids = async (p) => (await nodes(p)).map((n) => n.id).sort();
  assert.deepEqual(await ids(again), await ids(page), 'same records drawn');
  const [here, there] = [await explorer(() => window.__explorer.positions()), await explorer(() => window.__explorer.positions(), undefined, again)];
  assert.deepEqual(movedBetween(here, there), [], 'each record where it was (positions kept in local storage)');
  const pathAgain = await explorer(() => window.__explorer.path(), undefined, again);
  assert.deepEqual(pathAgain, await explorer(() => window.__explorer.path()), 'same path highlighted');
  assert.ok(!(await again.locator('[data-testid=edge-kind-party]').isChecked()), 'filter restored');
  assert.equal(await again.locator('[data-testid=depth]').inputValue(), '2');
  await again.locator('[data-testid=side-panel] [data-testid=panel-name-zh]').waitFor();
  assert.equal(
    await again.locator('[data-testid=panel-name-zh]').textContent(),
    await page.locator('[data-testid=panel-name-zh]').textContent(),
    'same record in the side panel',
  );
  assert.notEqual(await again.locator('[data-testid=path-from-input]').inputValue(), '');
  await shot('09-restored', again);
  await again.close();
});

test('the year filter hides dated records outside the years, and nothing moves', STEP, async () => {
  const all = await nodes();
  const dated = all.filter((n) => n.years && n.years.length);
  assert.ok(dated.length >= 2, `dated records are drawn (${dated.length})`);
  // A year that some, but not all, dated records have.
  const counts = new Map();
  for (const n of dated) for (const y of n.years) counts.set(y, (counts.get(y) || 0) + 1);
  const year = [...counts.entries()].filter(([, c]) => c < dated.length).sort((a, b) => b[1] - a[1])[0][0];
  const placed = await explorer(() => window.__explorer.positions());
  await page.locator('[data-testid=year-from]').selectOption(String(year));
  await page.locator('[data-testid=year-to]').selectOption(String(year));
  await idle();
  const shown = await nodes();
  const ids = new Set(shown.map((n) => n.id));
  for (const n of dated) {
    assert.equal(ids.has(n.id), n.years.includes(year), `${n.label} (${n.years}) shown only if dated ${year}`);
  }
  for (const n of all.filter((x) => !x.years || !x.years.length)) assert.ok(ids.has(n.id), `undated ${n.label} stays`);
  assert.ok(shown.length < all.length, 'some records are hidden');
  assert.equal(new URL(page.url()).searchParams.get('years'), `${year}-${year}`);
  assert.equal(await page.locator('[data-testid=status]').getAttribute('data-nodes'), String(shown.length), 'the status counts what is shown');
  assert.deepEqual(movedBetween(placed, await explorer(() => window.__explorer.positions())), [], 'nothing moved');
  await shot('09b-years');
  await page.locator('[data-testid=years-clear]').click();
  await idle();
  assert.equal((await nodes()).length, all.length, 'clearing shows every record again');
  assert.equal(new URL(page.url()).searchParams.get('years'), null);
});

test('Re-layout lays the drawing out afresh', STEP, async () => {
  const before = await explorer(() => window.__explorer.positions());
  await page.locator('[data-testid=relayout]').click();
  await idle();
  const after = await explorer(() => window.__explorer.positions());
  assert.deepEqual(Object.keys(after).sort(), Object.keys(before).sort(), 'the same records');
  assert.ok(movedBetween(before, after).length > Object.keys(before).length / 2, 'most records moved');
});

test('exports the visible subgraph as JSON and PNG', STEP, async () => {
  const [json] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-json]').click()]);
  assert.match(json.suggestedFilename(), /\.json$/);
  await json.saveAs(join(ARTIFACTS, 'export.json'));
  const doc = JSON.parse(await readFile(join(ARTIFACTS, 'export.json'), 'utf8'));
  const drawn = await nodes();
  assert.equal(doc.nodes.length, drawn.length);
  assert.deepEqual(doc.nodes.map((n) => n.id).sort(), drawn.map((n) => n.id).sort());
  assert.equal(doc.edges.length, (await explorer(() => window.__explorer.edges())).length);
  assert.ok(doc.edges.every((e) => e.source && e.target && e.kind && e.label));
  assert.equal(doc.view.focus, seen.huangpu);
  assert.deepEqual(doc.path, await explorer(() => window.__explorer.path()), 'the highlighted path');
  assert.equal(doc.path[0], seen.xiangzhou);
  assert.equal(doc.url, page.url());

  const [png] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-png]').click()]);
  assert.match(png.suggestedFilename(), /\.png$/);
  await png.saveAs(join(ARTIFACTS, 'export.png'));
  const bytes = await readFile(join(ARTIFACTS, 'export.png'));
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
  assert.ok(bytes.length > 10_000, `a real picture (${bytes.length} bytes)`);
});

test('the interface switches between 中文 and English', STEP, async () => {
  const title = page.locator('h1 [data-i18n=title]');
  const zh = await title.textContent();
  await page.locator('[data-testid=lang-toggle]').click();
  await idle();
  const en = await title.textContent();
  assert.notEqual(en, zh);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  const shown = await explorer((id) => window.__explorer.cy.getElementById(id).data('display'), seen.huangpu);
  assert.equal(shown, 'Huangpu District', 'node labels follow the language');
  assert.equal(new URL(page.url()).searchParams.get('lang'), 'en');
  assert.equal(await page.locator('[data-testid=path-to-input]').inputValue(), 'Huangpu District', 'path ends in English');
  assert.match(await page.locator('[data-testid=path-steps]').first().textContent(), /Huangpu District/, 'path steps in English');
  await shot('10-english');
});

// ---- the analyst's workbench, on a phone and on a laptop ------------------------------------

const SCREENS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 820, height: 1180 },
  { name: 'laptop', width: 1366, height: 860 },
];

/** Page measurements: horizontal overflow, the graph canvas and the side panel boxes. */
/** A drawn label as one line (wrapped lines joined). */
const oneLine = (label) => String(label).replace(/\s*\n\s*/g, ' ');

const measure = (p) =>
  p.evaluate(() => {
    const box = (sel) => {
      const el = document.querySelector(sel);
      if (!el || el.hidden) return null;
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const canvas = document.querySelector('#cy canvas');
    return {
      scrollWidth: document.scrollingElement.scrollWidth,
      innerWidth: window.innerWidth,
      graph: box('#cy'),
      canvas: canvas ? { width: canvas.getBoundingClientRect().width, height: canvas.getBoundingClientRect().height } : null,
      panel: box('#panel'),
    };
  });

/** Runs axe-core on the page; fails on any serious or critical violation (listed with where). */
async function assertAccessible(p, what) {
  if (!(await p.evaluate(() => typeof window.axe === 'object'))) await p.addScriptTag({ path: AXE });
  const violations = await p.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  assert.deepEqual(violations, [], `axe-core, ${what}: serious or critical violations`);
}

function assertNoOverflow(m, what) {
  assert.ok(m.scrollWidth <= m.innerWidth, `${what}: no horizontal scroll (scrollWidth ${m.scrollWidth} > ${m.innerWidth})`);
}

for (const screen of SCREENS) {
  const tag = `${screen.name} ${screen.width}×${screen.height}`;
  const art = (name) => `${screen.name}-${name}`;
  let p;
  const ws = {}; // what this screen's steps learn

  test(`${tag}: picking a record draws a non-empty graph with no horizontal scroll`, STEP, async () => {
    const ctx = await browser.newContext({ viewport: { width: screen.width, height: screen.height }, locale: 'zh-CN', hasTouch: screen.width < 600 });
    ctx.on('request', (r) => requests.push(r.url()));
    p = await ctx.newPage();
    watch(p);
    await p.goto(`${BASE_URL}/explore`);
    await idle(p);
    assertNoOverflow(await measure(p), 'empty page');
    await p.locator('[data-testid=search-input]').click();
    await p.locator('[data-testid=search-input]').pressSequentially('黄埔', { delay: 60 });
    const option = p.locator('[data-testid=suggestion][data-name-zh="黄埔区"]');
    await option.waitFor({ state: 'visible' });
    ws.focus = await option.getAttribute('data-id');
    await option.click();
    await idle(p);
    await p.locator('[data-testid=panel-name-zh]').waitFor({ state: 'visible' });
    const m = await measure(p);
    assertNoOverflow(m, 'record picked');
    assert.ok(m.graph && m.graph.width > 100 && m.graph.height > 100, `graph box is usable: ${JSON.stringify(m.graph)}`);
    assert.ok(m.canvas && m.canvas.width > 100 && m.canvas.height > 100, `graph canvas is non-zero: ${JSON.stringify(m.canvas)}`);
    assert.ok(m.panel, 'the side panel is open');
    if (screen.width <= 600) {
      // Graph first, the side panel as a bottom sheet below it, both full width.
      assert.ok(m.panel.y >= m.graph.y + m.graph.height - 1, `panel below the graph: ${JSON.stringify(m)}`);
      assert.ok(m.panel.width >= screen.width - 1 && m.graph.width >= screen.width - 1, 'graph and sheet use the full width');
    } else {
      assert.ok(m.panel.x >= m.graph.x + m.graph.width - 1, 'panel beside the graph');
    }
    await shot(art('01-picked'), p);
    await assertAccessible(p, 'record picked');
  });

  test(`${tag}: the focus label is drawn in full, other labels by level of detail`, STEP, async () => {
    const label = await explorer((id) => window.__explorer.drawnLabel(id), ws.focus, p);
    assert.equal(label, '黄埔区', 'the focus label, not cut');
    // Hovering (laptop) or selecting (phone) a node with a long name draws its name in full.
    const long = (await nodes(p))
      .filter((n) => n.id !== ws.focus && [...n.label].length >= 10)
      .sort((a, b) => [...b.label].length - [...a.label].length)[0];
    assert.ok(long, 'a node with a long name is drawn');
    if (screen.width > 600) {
      const pos = await explorer((id) => window.__explorer.clientPosition(id), long.id, p);
      await p.mouse.move(pos.x, pos.y);
    } else {
      await p.evaluate((id) => window.__explorer.cy.getElementById(id).addClass('hover'), long.id);
    }
    await p.waitForTimeout(150);
    const drawn = await explorer((id) => window.__explorer.drawnLabel(id), long.id, p);
    assert.ok(!drawn.includes('…'), `hovered label not cut: ${drawn}`);
    assert.equal(oneLine(drawn), long.label, 'hovered label in full');
    if (screen.width > 600) {
      // Its relations' labels show, legible (10 px or more on screen); the others wait for zoom.
      const near = await explorer((id) => window.__explorer.cy.getElementById(id).connectedEdges().map((e) => e.id()), long.id, p);
      const labels = await explorer(() => window.__explorer.edgeLabels(), undefined, p);
      const mine = labels.filter((l) => near.includes(l.id));
      assert.ok(mine.length > 0 && mine.every((l) => l.label && l.px >= 10), `hovered relations labelled, legibly: ${JSON.stringify(mine)}`);
      const zoom = await explorer(() => window.__explorer.cy.zoom(), undefined, p);
      if (zoom < 1.1) assert.ok(labels.filter((l) => !near.includes(l.id)).every((l) => !l.label), 'other relation labels wait for zoom');
    }
    await shot(art('02-hover-label'), p);
    // Elsewhere, no two drawn labels overlap (two marked ones may).
    if (screen.width > 600) await p.mouse.move(5, screen.height - 5);
    else await p.evaluate((id) => window.__explorer.cy.getElementById(id).removeClass('hover'), long.id);
    await idle(p);
    assert.deepEqual(await explorer(() => window.__explorer.labelOverlaps(), undefined, p), [], 'overlapping labels');
  });

  test(`${tag}: the controls are a drawer on phones and tablets, a column on the laptop`, STEP, async () => {
    const controls = p.locator('[data-testid=controls]');
    const toggle = p.locator('[data-testid=controls-toggle]');
    if (screen.width <= 1000) {
      assert.ok(!(await controls.isVisible()), 'controls hidden until asked for');
      await toggle.click();
      await p.waitForTimeout(300);
      assert.ok(await controls.isVisible(), 'the drawer opens');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      assertNoOverflow(await measure(p), 'drawer open');
      await shot(art('03-drawer'), p);
      await assertAccessible(p, 'drawer open');
      await p.keyboard.press('Escape');
      await p.waitForTimeout(300);
      assert.ok(!(await controls.isVisible()), 'Escape closes the drawer');
      assert.equal(await p.evaluate(() => document.activeElement.dataset.testid), 'controls-toggle', 'focus back on the toggle');
    } else {
      assert.ok(!(await toggle.isVisible()), 'no drawer toggle on a laptop');
      assert.ok(await controls.isVisible(), 'controls beside the graph');
    }
  });

  test(`${tag}: expanding a node keeps every other node where it was`, STEP, async () => {
    const before = await explorer(() => window.__explorer.positions(), undefined, p);
    const target = (await nodes(p)).find((n) => n.label === '广州市');
    assert.ok(target, '广州市 is drawn');
    const pos = await explorer((id) => window.__explorer.clientPosition(id), target.id, p);
    if (screen.width <= 600) await p.touchscreen.tap(pos.x, pos.y);
    else await p.mouse.click(pos.x, pos.y);
    await idle(p);
    const after = await explorer(() => window.__explorer.positions(), undefined, p);
    assert.ok(Object.keys(after).length > Object.keys(before).length, 'the expansion added nodes');
    const moved = Object.keys(before).filter((id) => Math.hypot(after[id].x - before[id].x, after[id].y - before[id].y) > 3);
    assert.deepEqual(moved, [], 'nodes that moved more than 3 px');
    assert.deepEqual((await view(p)).expanded, [target.id]);
    const m = await measure(p);
    assertNoOverflow(m, 'expanded');
    assert.ok(m.canvas.width > 100 && m.canvas.height > 100, 'graph canvas still non-zero');
    assert.deepEqual(await explorer(() => window.__explorer.labelOverlaps(), undefined, p), [], 'overlapping labels after expanding');
    ws.expanded = target.id;
    await shot(art('04-expanded'), p);
  });

  if (screen.width <= 600)
    test(`${tag}: touch: two fingers pinch-zoom, one finger pans`, STEP, async () => {
      const cdp = await p.context().newCDPSession(p);
      const box = await p.locator('[data-testid=graph]').boundingBox();
      const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
      const touch = (type, points) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map(([x, y], id) => ({ x, y, id })) });
      const state = () => explorer(() => ({ zoom: window.__explorer.cy.zoom(), pan: window.__explorer.cy.pan() }), undefined, p);
      const before = await state();
      await touch('touchStart', [[cx - 20, cy], [cx + 20, cy]]);
      for (let d = 30; d <= 120; d += 15) await touch('touchMove', [[cx - d, cy], [cx + d, cy]]);
      await touch('touchEnd', []);
      await idle(p);
      const zoomed = await state();
      assert.ok(zoomed.zoom > before.zoom * 1.5, `pinch zooms in: ${before.zoom} → ${zoomed.zoom}`);
      // A drag from the emptiest spot of the stage (away from every node and from the overlays).
      const [sx, sy] = await explorer(
        ({ top, h }) => {
          const cy = window.__explorer.cy;
          const w = cy.width();
          let best = null;
          for (let x = 20; x < w - 100; x += 15)
            for (let y = 50; y < h - 40; y += 15) {
              const d = Math.min(...cy.nodes().map((n) => Math.hypot(n.renderedPosition().x - x, n.renderedPosition().y - y)));
              if (!best || d > best.d) best = { x, y, d };
            }
          return [best.x, top + best.y];
        },
        { top: box.y, h: box.height },
        p,
      );
      await touch('touchStart', [[sx, sy]]);
      for (let d = 10; d <= 60; d += 10) await touch('touchMove', [[sx + d, sy + d / 2]]);
      await touch('touchEnd', []);
      await idle(p);
      const panned = await state();
      assert.ok(Math.hypot(panned.pan.x - zoomed.pan.x, panned.pan.y - zoomed.pan.y) > 30, 'a drag pans');
      await shot(art('04b-pinched'), p);
      await p.locator('[data-testid=fit]').click();
      await idle(p);
    });

  test(`${tag}: the table view lists the drawn records and relations, sortable, as CSV`, STEP, async () => {
    await p.locator('[data-testid=mode-table]').click();
    const tv = p.locator('[data-testid=table-view]');
    await tv.waitFor({ state: 'visible' });
    assert.equal(await p.locator('[data-testid=mode-table]').getAttribute('aria-pressed'), 'true');
    assert.equal(new URL(p.url()).searchParams.get('mode'), 'table', 'the URL keeps the mode');
    const drawn = (await nodes(p)).map((n) => n.id).sort();
    const listed = (await tv.locator('[data-testid=table-node]').evaluateAll((rows) => rows.map((r) => r.dataset.id))).sort();
    assert.deepEqual(listed, drawn, 'the same records as the graph');
    const edges = await explorer(() => window.__explorer.edges(), undefined, p);
    const rels = await tv.locator('[data-testid=table-edge]').evaluateAll((rows) => rows.map((r) => `${r.dataset.source}|${r.dataset.kind}|${r.dataset.target}`));
    assert.deepEqual(rels.sort(), edges.map((e) => `${e.source}|${e.kind}|${e.target}`).sort(), 'the same relations as the graph');

    // Sorting by name, both ways.
    const names = () => tv.locator('[data-testid=table-node] td:first-child').allTextContents();
    const collator = new Intl.Collator(['zh-CN', 'en'], { numeric: true });
    await tv.locator('[data-testid=sort-nodes-name]').click();
    assert.equal(await tv.locator('th:has([data-testid=sort-nodes-name])').getAttribute('aria-sort'), 'ascending');
    const up = await names();
    assert.deepEqual(up, [...up].sort(collator.compare), 'ascending by name');
    await tv.locator('[data-testid=sort-nodes-name]').click();
    assert.equal(await tv.locator('th:has([data-testid=sort-nodes-name])').getAttribute('aria-sort'), 'descending');
    const down = await names();
    assert.deepEqual(down, [...up].reverse(), 'descending by name');
    assertNoOverflow(await measure(p), 'table view');
    await shot(art('05-table'), p);
    await assertAccessible(p, 'table view');

    // CSV of the records: a header and one line per drawn record.
    const [file] = await Promise.all([p.waitForEvent('download'), tv.locator('[data-testid=csv-nodes]').click()]);
    assert.match(file.suggestedFilename(), /\.csv$/);
    const csvPath = join(ARTIFACTS, `${screen.name}-records.csv`);
    await file.saveAs(csvPath);
    const text = await readFile(csvPath, 'utf8');
    assert.ok(text.startsWith('\ufeff'), 'a byte-order mark for spreadsheets');
    const lines = text.slice(1).trim().split(/\r\n/);
    assert.equal(lines.length, drawn.length + 1, 'header + one line per record');
    for (const id of drawn) assert.ok(text.includes(id), `record ${id} in the CSV`);

    await p.locator('[data-testid=mode-graph]').click();
    await idle(p);
    assert.ok(!(await tv.isVisible()), 'back to the graph');
    const m = await measure(p);
    assert.ok(m.canvas.width > 100 && m.canvas.height > 100, 'graph canvas non-zero again');
  });

  if (screen.width > 600)
    test(`${tag}: "open in playground" carries the query behind the view, and links back`, STEP, async () => {
      const href = await p.locator('[data-testid=open-playground]').getAttribute('href');
      const q = new URL(href, BASE_URL).searchParams;
      const v = await view(p);
      assert.match(q.get('query'), new RegExp(`focus: neighborhood\\(id: "${v.focus}"`));
      // The query, run, answers with exactly the records the explorer draws.
      const res = await p.request.post(`${BASE_URL}/graphql`, { data: { query: q.get('query'), variables: JSON.parse(q.get('variables')) } });
      const body = await res.json();
      assert.ok(!body.errors, JSON.stringify(body.errors));
      const ids = new Set(Object.values(body.data).flatMap((sub) => (sub ? sub.nodes.map((n) => n.id) : [])));
      assert.deepEqual([...ids].sort(), (await nodes(p)).map((n) => n.id).sort(), 'the query returns the drawn records');

      // Twice: first with no saved tabs, then with the tabs GraphiQL saved the first time.
      for (const round of [1, 2]) {
        const pg = await p.context().newPage();
        watch(pg);
        await pg.goto(new URL(href, BASE_URL).toString());
        const editor = pg.locator('.graphiql-query-editor .CodeMirror').first();
        await editor.waitFor({ state: 'visible', timeout: 30_000 });
        await pg.waitForTimeout(300);
        const text = await editor.evaluate((el) => el.CodeMirror.getValue());
        assert.equal(text, q.get('query'), `the playground opens with the view query (round ${round})`);
        const back = await pg.locator('#baygraph-explore').getAttribute('href');
        assert.equal(back, q.get('explore'));
        assert.equal(new URL(back, BASE_URL).searchParams.get('focus'), v.focus, 'the playground links back to the view');
        await pg.screenshot({ path: join(ARTIFACTS, `${screen.name}-07-playground-${round}.png`) });
        await pg.close();
      }
    });

  test(`${tag}: the keyboard moves through nodes; Escape closes the panel`, STEP, async () => {
    await p.locator('[data-testid=graph]').focus();
    const start = (await view(p)).sel;
    let moved = start;
    for (const key of ['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp']) {
      await p.keyboard.press(key);
      await idle(p);
      moved = (await view(p)).sel;
      if (moved !== start) break;
    }
    assert.ok(moved && moved !== start, `arrow keys change the selection (${start} → ${moved})`);
    await p.locator(`[data-testid=side-panel][data-id="${moved}"]`).waitFor();
    await p.keyboard.press('Escape');
    assert.ok(!(await p.locator('[data-testid=side-panel]').isVisible()), 'Escape closes the panel');
    await p.keyboard.press('ArrowLeft');
    await idle(p);
    assert.ok(await p.locator('[data-testid=side-panel]').isVisible(), 'an arrow key opens the panel again');
    // Back to the focus record for the next steps.
    await p.locator('[data-testid=panel-close]').click();
    // The stage widens as the panel closes and the drawing is fitted again: click once it is still.
    await idle(p);
    const pos = await explorer((id) => window.__explorer.clientPosition(id), ws.focus, p);
    if (screen.width <= 600) await p.touchscreen.tap(pos.x, pos.y);
    else await p.mouse.click(pos.x, pos.y);
    await idle(p);
    await p.locator(`[data-testid=side-panel][data-id="${ws.focus}"]`).waitFor();
  });

  test(`${tag}: a citation opens the source with the quote in a <mark>`, STEP, async () => {
    const first = p.locator('[data-testid=citation-open]').first();
    const quote = (await first.textContent()).replace(/[“”]/g, '');
    await first.click();
    await idle(p);
    const reader = p.locator('[data-testid=reader]');
    await reader.waitFor({ state: 'visible' });
    const hash = new URLSearchParams(new URL(p.url()).hash.slice(1));
    assert.ok(hash.get('source'), 'the URL names the source');
    assert.equal(hash.get('rec'), ws.focus);
    const mark = reader.locator('mark[data-testid=reader-quote]');
    assert.equal(await mark.evaluate((el) => el.tagName), 'MARK');
    assert.equal(await mark.textContent(), quote, 'the quote, highlighted in the text');
    assert.ok((await reader.locator('[data-testid=reader-text]').textContent()).length > quote.length, 'the text around the quote');
    assert.ok((await reader.locator('[data-testid=reader-title]').textContent()).length > 2, 'the title');
    assert.ok((await reader.locator('[data-testid=reader-publisher]').textContent()).length > 1, 'the publisher');
    // Every other mention of the record is marked too, and listed (one button each).
    const starts = await reader.locator('mark.mention').evaluateAll((els) => [...new Set(els.map((e) => e.dataset.start))]);
    assert.ok(starts.length > 0, 'mentions of the record are marked');
    assert.equal(await reader.locator('[data-testid=reader-mention-count] button').count(), starts.length, 'each mention listed once');
    assert.match(await reader.locator('[data-testid=reader-position]').textContent(), /1 \/ \d+/);
    const inView = await mark.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    assert.ok(inView, 'the quote is scrolled into view');
    assertNoOverflow(await measure(p), 'reader open');
    await shot(art('05-reader'), p);
    await assertAccessible(p, 'source reader');

    // Forward to the next quote and back with the browser.
    await reader.locator('[data-testid=reader-next]').click();
    await idle(p);
    assert.match(await reader.locator('[data-testid=reader-position]').textContent(), /2 \/ \d+/);
    const second = await reader.locator('mark[data-testid=reader-quote]').textContent();
    assert.ok(second.length > 0, 'the next quote is marked');
    await p.goBack();
    await idle(p);
    assert.match(await reader.locator('[data-testid=reader-position]').textContent(), /1 \/ \d+/);
    assert.equal(await reader.locator('mark[data-testid=reader-quote]').textContent(), quote, 'back to the first quote');

    // The reader URL is shareable: a new page opens the same quote.
    const url = p.url();
    const again = await p.context().newPage();
    watch(again);
    await again.goto(url);
    await idle(again);
    assert.equal(await again.locator('[data-testid=reader] mark[data-testid=reader-quote]').textContent(), quote, 'shared URL opens the quote');
    await again.close();

    await reader.locator('[data-testid=reader-close]').click();
    assert.ok(!(await reader.isVisible()), 'the reader closes');
    assert.equal(new URL(p.url()).hash, '', 'and leaves the URL');
  });

  test(`${tag}: English mode shows English names, the translation badge kept`, STEP, async () => {
    await p.locator('[data-testid=lang-toggle]').click();
    await idle(p);
    assert.equal(await p.locator('[data-testid=search-input]').inputValue(), 'Huangpu District', 'the search box in English');
    assert.equal(oneLine(await explorer((id) => window.__explorer.drawnLabel(id), ws.focus, p)), 'Huangpu District', 'focus label in English, in full');
    assert.equal(await p.locator('#panel-title [data-testid=panel-name-en]').textContent(), 'Huangpu District', 'panel heading in English');
    assert.ok(await p.locator('#panel-title [data-testid=translation-mark]').isVisible(), 'still marked as a translation');
    assertNoOverflow(await measure(p), 'English');
    await shot(art('06-english'), p);
    await assertAccessible(p, 'English');
  });

  test(`${tag}: a focus with a long English name is drawn in full`, STEP, async () => {
    const long = (await nodes(p)).filter((n) => n.labelEn).sort((a, b) => b.labelEn.length - a.labelEn.length)[0];
    assert.ok(long.labelEn.length > 30, `a long English name: ${long.labelEn}`);
    await p.goto(`${BASE_URL}/explore?focus=${encodeURIComponent(long.id)}&depth=1&lang=en`);
    await idle(p);
    const drawn = await explorer((id) => window.__explorer.drawnLabel(id), long.id, p);
    assert.ok(!drawn.includes('…'), `not cut: ${drawn}`);
    assert.equal(oneLine(drawn), long.labelEn, 'the whole English name');
    assertNoOverflow(await measure(p), 'long focus');
    await shot(art('07-long-focus'), p);
    await p.context().close();
  });
}

test('360 px: no horizontal scroll with a record, the drawer, the table or the reader open', STEP, async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN', hasTouch: true });
  ctx.on('request', (r) => requests.push(r.url()));
  const p = await ctx.newPage();
  watch(p);
  const focus = encodeURIComponent(seen.huangpu);
  await p.goto(`${BASE_URL}/explore?focus=${focus}&depth=1&sel=${focus}`);
  await idle(p);
  await p.locator('[data-testid=panel-name-zh]').waitFor({ state: 'visible' });
  const check = async (what) => {
    const m = await measure(p);
    assertNoOverflow(m, what);
    return m;
  };
  const m = await check('record open');
  assert.ok(m.canvas && m.canvas.width > 100 && m.canvas.height > 100, 'graph canvas non-zero');
  await p.locator('[data-testid=controls-toggle]').click();
  await p.waitForTimeout(300);
  await check('drawer open');
  await p.keyboard.press('Escape');
  await p.locator('[data-testid=mode-table]').click();
  await check('table view');
  await p.locator('[data-testid=mode-graph]').click();
  await p.locator('[data-testid=citation-open]').first().click();
  await p.locator('[data-testid=reader] mark[data-testid=reader-quote]').waitFor();
  await check('reader open');
  await shot('360-reader', p);
  await ctx.close();
});

test('nothing was loaded from outside 127.0.0.1, and no page error', STEP, async () => {
  assert.ok(requests.length > 10, `requests were recorded (${requests.length})`);
  const outside = requests.filter((u) => {
    const url = new URL(u);
    if (url.protocol === 'data:' || url.protocol === 'blob:') return false;
    return url.hostname !== '127.0.0.1';
  });
  assert.deepEqual(outside, [], 'requests that left 127.0.0.1');
  assert.deepEqual(problems, [], 'page errors / console errors');
});
