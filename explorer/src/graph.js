// The graph view: Cytoscape.js with a style per record type and relation kind.
import cytoscape from 'cytoscape';
import { NODE_KINDS, EDGE_KINDS, EDGE_KIND, edgeLabel } from './kinds.js';

const FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", sans-serif';
const PATH_COLOR = '#d62728';
const MAX_FIT_ZOOM = 1.4;

const BASE_STYLE = [
  {
    selector: 'node',
    style: {
      label: 'data(display)',
      'font-family': FONT,
      'font-size': 11,
      color: '#1d2733',
      'text-valign': 'bottom',
      'text-halign': 'center',
      'text-margin-y': 3,
      'text-wrap': 'ellipsis',
      'text-max-width': 150,
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.75,
      'text-background-padding': 1,
      'min-zoomed-font-size': 6,
      width: 24,
      height: 24,
      'border-width': 1,
      'border-color': '#33404d',
    },
  },
  ...NODE_KINDS.map((k) => ({
    selector: `node[kind = "${k.kind}"]`,
    style: { shape: k.shape, 'background-color': k.color },
  })),
  { selector: 'node[kind = "platform"], node[kind = "document"]', style: { width: 30, height: 20 } },
  { selector: 'node.expanded', style: { 'border-width': 4, 'border-style': 'double' } },
  {
    selector: 'node.focus',
    style: {
      width: 38,
      height: 38,
      'border-width': 3,
      'border-color': '#111',
      'font-weight': 'bold',
      'font-size': 13,
      'min-zoomed-font-size': 0,
    },
  },
  {
    selector: 'node:selected',
    style: { 'underlay-color': '#0072B2', 'underlay-opacity': 0.25, 'underlay-padding': 8 },
  },
  {
    selector: 'edge',
    style: {
      width: 1.5,
      'curve-style': 'bezier',
      'line-color': 'data(color)',
      'target-arrow-color': 'data(color)',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 0.8,
      label: '',
      'font-family': FONT,
      'font-size': 10,
      color: '#33404d',
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.8,
      'text-background-padding': 1,
      'min-zoomed-font-size': 0,
      opacity: 0.85,
    },
  },
  { selector: 'edge.hover, edge.near', style: { width: 2.5, opacity: 1, 'z-index': 5 } },
  { selector: '.faded', style: { opacity: 0.18 } },
  { selector: 'node.date-out', style: { display: 'none' } },
  {
    selector: 'node.on-path',
    style: {
      'border-color': PATH_COLOR,
      'border-width': 4,
      'border-style': 'solid',
      opacity: 1,
      'z-index': 10,
      'font-size': 14,
      'font-weight': 'bold',
      'min-zoomed-font-size': 0,
      'text-background-opacity': 0.9,
    },
  },
  {
    selector: 'edge.on-path',
    style: {
      'line-color': PATH_COLOR,
      'target-arrow-color': PATH_COLOR,
      width: 4,
      opacity: 1,
      'z-index': 10,
      color: PATH_COLOR,
      'font-size': 11,
      'font-weight': 'bold',
      'min-zoomed-font-size': 0,
    },
  },
];

// Level of detail: below LOD_ZOOM only the hubs and the marked nodes keep a label; from
// FULL_ZOOM on every label is drawn in full; edge labels appear from EDGE_LABEL_ZOOM on, and at
// any zoom on the relations of the hovered or selected node and of the path.
const LOD_ZOOM = 0.6;
const FULL_ZOOM = 1.3;
const EDGE_LABEL_ZOOM = 1.1;
const MARKED = 'node.focus, node:selected, node.hover, node.on-path';
const FULL_LABEL = { 'text-wrap': 'wrap', 'text-max-width': 220, 'min-zoomed-font-size': 0 };

/**
 * The style sheet at zoom level `zoom` (`edgeLabels`: whether edge labels are shown where
 * legible): labels of the marked nodes are drawn in full and keep a readable size on screen
 * however far the drawing is zoomed out.
 */
function style(zoom, edgeLabels = true) {
  const px = (onScreen) => Math.max(onScreen / zoom, onScreen);
  const edgeLabel = { label: 'data(display)', 'font-size': px(10), 'text-background-opacity': 0.9 };
  return [
    ...BASE_STYLE,
    // Every label drawn is legible: at least 10 px on screen (11 for hubs), cut at 130 px; the
    // declutter pass then drops those that would overlap.
    { selector: 'node', style: { 'font-size': px(10), 'text-max-width': px(130) } },
    zoom < LOD_ZOOM ? { selector: 'node[[degree < 3]]', style: { label: '' } } : null,
    { selector: 'node[[degree >= 6]]', style: { 'font-size': px(11), 'text-max-width': px(150) } },
    zoom >= FULL_ZOOM ? { selector: 'node', style: { ...FULL_LABEL, 'text-max-width': px(220) } } : null,
    edgeLabels && zoom >= EDGE_LABEL_ZOOM ? { selector: 'edge', style: edgeLabel } : null,
    { selector: 'edge.hover, edge.on-path', style: edgeLabel },
    // Labels the declutter pass found overlapping a more important one.
    { selector: 'node.label-hidden', style: { label: '' } },
    { selector: 'edge.on-path', style: { 'font-size': px(11) } },
    { selector: MARKED, style: { ...FULL_LABEL, label: 'data(display)', 'text-max-width': px(220), 'z-index': 20, 'text-background-opacity': 0.92 } },
    { selector: 'node:selected, node.hover', style: { 'font-size': px(12), 'font-weight': 'bold' } },
    { selector: 'node.focus', style: { 'font-size': px(13) } },
    { selector: 'node.on-path', style: { 'font-size': px(13) } },
  ].filter(Boolean);
}

/** The years a subgraph node is dated by (its date, or its milestones'), sorted. */
export function yearsOf(n) {
  const r = n.node || {};
  const dates = [r.date, ...(r.milestones || []).map((m) => m.date)].filter(Boolean);
  return [...new Set(dates.map((d) => Number.parseInt(String(d).slice(0, 4), 10)).filter(Number.isFinite))].sort((a, b) => a - b);
}

export const edgeId = (e) => `${e.source}|${e.kind}|${e.target}`;

const layoutOptions = (randomize, box) => ({
  name: 'cose',
  boundingBox: box,
  initialTemp: randomize ? 1000 : 200,
  animate: false,
  randomize,
  fit: false, // fitView() instead, which does not blow a small graph up
  padding: 40,
  nodeDimensionsIncludeLabels: true,
  nodeRepulsion: () => 9000,
  idealEdgeLength: () => 70,
  edgeElasticity: () => 80,
  nestingFactor: 1.2,
  gravity: 0.6,
  numIter: 1500,
  componentSpacing: 60,
});

const overlaps = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

/** The box of a node's own label (model coordinates), or null when it has none. */
function labelBox(n) {
  const b = n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false, includeUnderlays: false });
  return b.w > 0 && b.h > 0 ? b : null;
}

/** Whether a node's label is drawn at `zoom` (shown, not blank, not below its legible size). */
function labelDrawn(n, zoom) {
  if (!n.visible() || !n.pstyle('label').strValue) return false;
  return n.pstyle('font-size').pfValue * zoom >= n.pstyle('min-zoomed-font-size').pfValue;
}

/** Creates the view in `container`. `onTap(id)` runs on a click on a node. */
export function createGraph(container, { onTap, onHover, onMoved }) {
  let lang = 'zh';
  let showEdgeLabels = true;
  const cy = cytoscape({
    container,
    style: style(1),
    minZoom: 0.1,
    maxZoom: 4,
    boxSelectionEnabled: false,
    selectionType: 'single',
  });
  // Collision-free labels: the marked nodes' labels always show; every other label shows only
  // where it overlaps no label already placed (hubs first). Runs after each layout, zoom,
  // selection or filter change.
  let declutterTimer = 0;
  function declutter() {
    declutterTimer = 0;
    const zoom = cy.zoom();
    cy.nodes().removeClass('label-hidden');
    const rank = (n) => (n.is(MARKED) ? 1e6 : 0) + n.degree(false);
    const ordered = cy
      .nodes()
      .filter((n) => labelDrawn(n, zoom))
      .sort((a, b) => rank(b) - rank(a));
    const kept = [];
    const hide = [];
    ordered.forEach((n) => {
      const box = labelBox(n);
      if (!box) return;
      if (!n.is(MARKED) && kept.some((k) => overlaps(k, box))) hide.push(n);
      else kept.push(box);
    });
    cy.batch(() => hide.forEach((n) => n.addClass('label-hidden')));
  }
  const scheduleDeclutter = () => {
    clearTimeout(declutterTimer);
    declutterTimer = setTimeout(declutter, 40);
  };
  const restyle = () => {
    cy.style().fromJson(style(cy.zoom(), showEdgeLabels)).update();
    scheduleDeclutter();
  };
  cy.on('tap', 'node', (e) => onTap(e.target.id()));
  let zoomTimer = 0;
  cy.on('zoom', () => {
    clearTimeout(zoomTimer);
    zoomTimer = setTimeout(() => {
      zoomTimer = 0;
      restyle();
    }, 80);
  });
  // The stage changes size when the side panel opens or closes: keep the drawing in view.
  let resizeTimer = 0;
  new ResizeObserver(() => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      resizeTimer = 0;
      cy.resize();
      fitView();
    }, 60);
  }).observe(container);
  // Hovering a node draws its full label and the labels of its relations; hovering a relation,
  // its own label.
  cy.on('mouseover', 'node', (e) => {
    e.target.addClass('hover');
    e.target.connectedEdges().addClass('hover');
    scheduleDeclutter();
    if (onHover) onHover(e.target, e.renderedPosition);
  });
  const unhover = () => {
    const on = cy.elements('.hover');
    if (!on.length) return;
    on.removeClass('hover');
    scheduleDeclutter();
    if (onHover) onHover(null);
  };
  cy.on('mouseout', 'node', unhover);
  // Leaving the stage straight from a node sends no mouseout.
  container.addEventListener('mouseleave', unhover);
  cy.on('mouseover', 'edge', (e) => e.target.addClass('hover'));
  cy.on('mouseout', 'edge', (e) => e.target.removeClass('hover'));
  cy.on('dragfree', 'node', () => onMoved && onMoved());

  /** Fits the drawing to the stage, but never zooms in past MAX_FIT_ZOOM. */
  function fitView() {
    if (!cy.nodes().length) return;
    scheduleDeclutter();
    cy.fit(undefined, 40);
    if (cy.zoom() > MAX_FIT_ZOOM) {
      cy.zoom(MAX_FIT_ZOOM);
      cy.center();
    }
  }

  /** Fits only when part of the drawing lies outside the stage (so an expansion keeps the view). */
  function keepInView() {
    const bb = cy.nodes().renderedBoundingBox({ includeLabels: false });
    if (bb.x1 < 4 || bb.y1 < 4 || bb.x2 > cy.width() - 4 || bb.y2 > cy.height() - 4) fitView();
  }

  const display = (n) => (lang === 'en' && n.labelEn ? n.labelEn : n.label);

  const nodeEl = (n) => ({
    group: 'nodes',
    data: {
      years: yearsOf(n),
      id: n.id,
      kind: n.kind,
      subKind: n.subKind,
      label: n.label,
      labelEn: n.labelEn || null,
      display: display(n),
    },
  });
  const edgeEl = (e) => ({
    group: 'edges',
    data: {
      id: edgeId(e),
      source: e.source,
      target: e.target,
      kind: e.kind,
      rel: e.label,
      display: edgeLabel(e.label, lang),
      color: (EDGE_KIND[e.kind] || EDGE_KINDS[0]).color,
    },
  });

  /**
   * Lays the drawing out. `randomize`: from scratch, in a box shaped like the stage. Otherwise
   * only the nodes in `free` move; every other node is locked where it is.
   */
  const runLayout = (randomize, free = cy.nodes()) =>
    new Promise((resolve) => {
      if (cy.nodes().length === 0 || free.length === 0) return resolve();
      const n = cy.nodes().length;
      const scale = Math.max(1, Math.sqrt(n / 40));
      const box = randomize ? { x1: 0, y1: 0, w: cy.width() * scale, h: cy.height() * scale } : undefined;
      const fixed = randomize ? cy.collection() : cy.nodes().not(free).filter((x) => !x.locked());
      fixed.lock();
      const layout = cy.layout(layoutOptions(randomize, box));
      layout.one('layoutstop', () => {
        fixed.unlock();
        if (randomize) fitView();
        else keepInView();
        scheduleDeclutter();
        if (onMoved) onMoved();
        resolve();
      });
      layout.run();
    });

  /**
   * Places each node of `fresh` next to an already placed neighbour (or around `centre`), on a
   * ring pointing away from the middle of the drawing, so the layout only has to settle them.
   */
  function placeNear(fresh, centre) {
    const mid = cy.nodes().not(fresh).length ? cy.nodes().not(fresh).boundingBox() : null;
    const middle = mid ? { x: (mid.x1 + mid.x2) / 2, y: (mid.y1 + mid.y2) / 2 } : { x: 0, y: 0 };
    const groups = new Map();
    fresh.forEach((node) => {
      const anchor = node.neighborhood('node').not(fresh)[0];
      const key = anchor ? anchor.id() : '';
      if (!groups.has(key)) groups.set(key, { anchor, nodes: [] });
      groups.get(key).nodes.push(node);
    });
    for (const { anchor, nodes } of groups.values()) {
      const c = anchor ? anchor.position() : centre || middle;
      const away = Math.atan2(c.y - middle.y, c.x - middle.x) || 0;
      const spread = anchor && (c.x !== middle.x || c.y !== middle.y) ? Math.PI : 2 * Math.PI;
      const r = 70 + 5 * nodes.length;
      nodes.forEach((node, i) => {
        const a = away - spread / 2 + (spread * (i + 0.5)) / nodes.length;
        node.position({ x: c.x + r * Math.cos(a), y: c.y + r * Math.sin(a) });
      });
    }
  }

  return {
    cy,

    /**
     * Replaces everything with `nodes`/`edges`. Nodes with a position in `keep` (ID → {x, y})
     * stay there and only the others are laid out; with no kept node the layout starts afresh.
     */
    async replace(nodes, edges, keep = new Map()) {
      let fresh;
      cy.batch(() => {
        cy.elements().remove();
        cy.add(nodes.map((n) => (keep.has(n.id) ? { ...nodeEl(n), position: { ...keep.get(n.id) } } : nodeEl(n))));
        cy.add(edges.filter((e) => cy.getElementById(e.source).length && cy.getElementById(e.target).length).map(edgeEl));
        fresh = cy.nodes().filter((n) => !keep.has(n.id()));
      });
      if (fresh.length === cy.nodes().length) return runLayout(true);
      placeNear(fresh);
      if (fresh.length) await runLayout(false, fresh);
      else fitView();
    },

    /**
     * Adds what is new in `nodes`/`edges`, placing new records around `around` (an ID); only
     * they are laid out, every node already drawn stays where it is. Returns how many were added.
     */
    async merge(nodes, edges, around) {
      const ids = new Set();
      cy.batch(() => {
        for (const n of nodes) {
          if (cy.getElementById(n.id).length) continue;
          cy.add(nodeEl(n));
          ids.add(n.id);
        }
        for (const e of edges) {
          if (cy.getElementById(edgeId(e)).length) continue;
          if (!cy.getElementById(e.source).length || !cy.getElementById(e.target).length) continue;
          cy.add(edgeEl(e));
        }
      });
      const fresh = cy.nodes().filter((n) => ids.has(n.id()));
      const centre = around && cy.getElementById(around).length ? cy.getElementById(around).position() : null;
      placeNear(fresh, centre);
      if (fresh.length) await runLayout(false, fresh);
      return fresh.length;
    },

    relayout: () => runLayout(true),
    fit: fitView,

    /** Every node's position, ID → {x, y} (rounded). */
    positions() {
      const out = new Map();
      cy.nodes().forEach((n) => {
        const p = n.position();
        out.set(n.id(), { x: Math.round(p.x), y: Math.round(p.y) });
      });
      return out;
    },

    /** Marks the focus, the expanded records and the selection. */
    mark({ focus, expanded, selected }) {
      cy.batch(() => {
        cy.nodes().removeClass('focus expanded');
        cy.edges().removeClass('near');
        if (focus) cy.getElementById(focus).addClass('focus');
        for (const id of expanded) cy.getElementById(id).addClass('expanded');
        cy.nodes(':selected').unselect();
        if (selected) cy.getElementById(selected).select().connectedEdges().addClass('near');
      });
      scheduleDeclutter();
    },

    /** Highlights a path (ordered node IDs and its edge IDs) and fades the rest; null clears it. */
    highlight(pathNodes, pathEdges) {
      cy.batch(() => {
        cy.elements().removeClass('on-path faded');
        if (!pathNodes) return;
        const on = cy.collection();
        for (const id of pathNodes) on.merge(cy.getElementById(id));
        for (const id of pathEdges) on.merge(cy.getElementById(id));
        on.addClass('on-path');
        cy.elements().not(on).addClass('faded');
      });
    },

    setLang(l) {
      lang = l;
      cy.batch(() => {
        cy.nodes().forEach((n) => n.data('display', display(n.data())));
        cy.edges().forEach((e) => e.data('display', edgeLabel(e.data('rel'), lang)));
      });
      scheduleDeclutter();
    },

    /**
     * Hides the dated records with no year in `[from, to]` (either end may be null); records
     * without a date stay. Nothing moves.
     */
    setYears(from, to) {
      cy.batch(() =>
        cy.nodes().forEach((n) => {
          const years = n.data('years') || [];
          const inside = years.some((y) => (from == null || y >= from) && (to == null || y <= to));
          n.toggleClass('date-out', (from != null || to != null) && years.length > 0 && !inside);
        }),
      );
      scheduleDeclutter();
    },

    /** Every year some drawn record is dated by, sorted. */
    years() {
      const all = new Set();
      cy.nodes().forEach((n) => (n.data('years') || []).forEach((y) => all.add(y)));
      return [...all].sort((a, b) => a - b);
    },

    setEdgeLabels(on) {
      showEdgeLabels = on;
      restyle();
    },

    has: (id) => cy.getElementById(id).length > 0,
    firstNode: () => (cy.nodes().length ? cy.nodes()[0].id() : null),

    /** The node nearest to `id` in direction `[dx, dy]` (within 60° of it), or null. */
    nearestInDirection(id, [dx, dy]) {
      const from = cy.getElementById(id).position();
      let best = null;
      let bestScore = Infinity;
      cy.nodes().forEach((n) => {
        if (n.id() === id) return;
        const p = n.position();
        const [vx, vy] = [p.x - from.x, p.y - from.y];
        const dist = Math.hypot(vx, vy);
        if (dist === 0) return;
        const cos = (vx * dx + vy * dy) / dist;
        if (cos < 0.5) return;
        const score = dist * (2 - cos);
        if (score < bestScore) [best, bestScore] = [n.id(), score];
      });
      return best;
    },

    /** Pans so the node `id` is on screen. */
    reveal(id) {
      const n = cy.getElementById(id);
      if (!n.length) return;
      const p = n.renderedPosition();
      const m = 30;
      if (p.x < m || p.y < m || p.x > cy.width() - m || p.y > cy.height() - m) cy.center(n);
    },

    zoomBy(f) {
      cy.zoom({ level: cy.zoom() * f, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    },

    /** The label text as drawn (wrapped or cut), for the test handle. */
    drawnLabel(id) {
      const n = cy.getElementById(id);
      if (!n.length) return null;
      const label = n.pstyle('label').strValue;
      if (n.pstyle('text-wrap').strValue === 'none') return label;
      return n._private.rscratch.labelWrapCachedText ?? label;
    },

    /** True while a resize is about to move the drawing. */
    settling: () => resizeTimer !== 0 || declutterTimer !== 0 || zoomTimer !== 0,

    /** Edge labels as drawn: [{id, label, px}] (px: font size on screen, to 0.01 px, so that
     * 10 / zoom × zoom reads 10 and not 9.999…), for the test handle. */
    edgeLabels() {
      const zoom = cy.zoom();
      return cy.edges(':visible').map((e) => ({ id: e.id(), label: e.pstyle('label').strValue, px: Math.round(e.pstyle('font-size').pfValue * zoom * 100) / 100 }));
    },

    /** Pairs of drawn labels that overlap (except two marked ones), for the test handle. */
    labelOverlaps() {
      const zoom = cy.zoom();
      const drawn = cy.nodes().filter((n) => labelDrawn(n, zoom)).map((n) => [n, labelBox(n)]).filter(([, b]) => b);
      const out = [];
      for (let i = 0; i < drawn.length; i++)
        for (let j = i + 1; j < drawn.length; j++) {
          const [[a, ba], [b, bb]] = [drawn[i], drawn[j]];
          if (a.is(MARKED) && b.is(MARKED)) continue;
          if (overlaps(ba, bb)) out.push([a.data('display'), b.data('display')]);
        }
      return out;
    },

    /**
     * What is on screen, for export and the test handle: every record the year filter keeps and
     * the relations between them (read from the filter's own classes, not from cytoscape's
     * computed styles, which can lag a class change until the next frame).
     */
    snapshot() {
      const shown = cy.nodes().not('.date-out');
      const ids = new Set(shown.map((n) => n.id()));
      const visible = shown.union(cy.edges().filter((e) => ids.has(e.source().id()) && ids.has(e.target().id())));
      return {
        nodes: visible.nodes().map((n) => {
          const d = n.data();
          return { id: d.id, kind: d.kind, subKind: d.subKind, label: d.label, labelEn: d.labelEn, years: d.years };
        }),
        edges: visible.edges().map((e) => {
          const d = e.data();
          return { source: d.source, target: d.target, kind: d.kind, label: d.rel };
        }),
      };
    },

    png: () => cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff', maxWidth: 8000, maxHeight: 8000 }),
  };
}
