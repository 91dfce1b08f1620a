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
      'text-max-width': 120,
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
      label: 'data(display)',
      'font-family': FONT,
      'font-size': 8,
      color: '#4a5561',
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.8,
      'text-background-padding': 1,
      'min-zoomed-font-size': 7,
      opacity: 0.85,
    },
  },
  { selector: 'edge.nolabel', style: { label: '' } },
  { selector: '.faded', style: { opacity: 0.18 } },
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

/**
 * The style sheet at zoom level `zoom`: labels of the focus and of the path keep a readable size
 * on screen however far the drawing is zoomed out.
 */
function style(zoom) {
  const px = (onScreen) => Math.max(onScreen / zoom, onScreen);
  return [
    ...BASE_STYLE,
    { selector: 'node:selected', style: { 'font-size': px(12), 'font-weight': 'bold', 'min-zoomed-font-size': 0 } },
    { selector: 'node.focus', style: { 'font-size': px(13) } },
    { selector: 'node.on-path', style: { 'font-size': px(13) } },
    { selector: 'edge.on-path', style: { 'font-size': px(11) } },
  ];
}

export const edgeId = (e) => `${e.source}|${e.kind}|${e.target}`;

const layoutOptions = (randomize, box) => ({
  name: 'cose',
  boundingBox: box,
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

/** Creates the view in `container`. `onTap(id)` runs on a click on a node. */
export function createGraph(container, { onTap, onHover }) {
  const cy = cytoscape({
    container,
    style: style(1),
    minZoom: 0.1,
    maxZoom: 4,
    boxSelectionEnabled: false,
    selectionType: 'single',
  });
  cy.on('tap', 'node', (e) => onTap(e.target.id()));
  let zoomTimer = 0;
  cy.on('zoom', () => {
    clearTimeout(zoomTimer);
    zoomTimer = setTimeout(() => cy.style().fromJson(style(cy.zoom())).update(), 80);
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
  if (onHover) {
    cy.on('mouseover', 'node', (e) => onHover(e.target, e.renderedPosition));
    cy.on('mouseout', 'node', () => onHover(null));
  }

  /** Fits the drawing to the stage, but never zooms in past MAX_FIT_ZOOM. */
  function fitView() {
    if (!cy.nodes().length) return;
    cy.fit(undefined, 40);
    if (cy.zoom() > MAX_FIT_ZOOM) {
      cy.zoom(MAX_FIT_ZOOM);
      cy.center();
    }
  }

  let lang = 'zh';
  let showEdgeLabels = true;
  const display = (n) => (lang === 'en' && n.labelEn ? n.labelEn : n.label);

  const nodeEl = (n) => ({
    group: 'nodes',
    data: {
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
    classes: showEdgeLabels ? '' : 'nolabel',
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

  const runLayout = (randomize) =>
    new Promise((resolve) => {
      if (cy.nodes().length === 0) return resolve();
      // Lay out in a box shaped like the stage, so the drawing uses its width.
      const n = cy.nodes().length;
      const scale = Math.max(1, Math.sqrt(n / 40));
      const box = { x1: 0, y1: 0, w: cy.width() * scale, h: cy.height() * scale };
      const layout = cy.layout(layoutOptions(randomize, box));
      layout.one('layoutstop', () => {
        fitView();
        resolve();
      });
      layout.run();
    });

  return {
    cy,

    /** Replaces everything with `nodes`/`edges` and lays them out afresh. */
    async replace(nodes, edges) {
      cy.batch(() => {
        cy.elements().remove();
        cy.add(nodes.map(nodeEl));
        cy.add(edges.filter((e) => cy.getElementById(e.source).length && cy.getElementById(e.target).length).map(edgeEl));
      });
      await runLayout(true);
    },

    /**
     * Adds what is new in `nodes`/`edges`, placing new records around `around` (an ID) before a
     * layout that starts from the current positions. Returns how many records were added.
     */
    async merge(nodes, edges, around) {
      const fresh = nodes.filter((n) => !cy.getElementById(n.id).length);
      const centre = around && cy.getElementById(around).length ? cy.getElementById(around).position() : { x: 0, y: 0 };
      cy.batch(() => {
        fresh.forEach((n, i) => {
          const a = (2 * Math.PI * i) / Math.max(fresh.length, 1);
          const r = 60 + 6 * fresh.length;
          cy.add({ ...nodeEl(n), position: { x: centre.x + r * Math.cos(a), y: centre.y + r * Math.sin(a) } });
        });
        for (const e of edges) {
          if (cy.getElementById(edgeId(e)).length) continue;
          if (!cy.getElementById(e.source).length || !cy.getElementById(e.target).length) continue;
          cy.add(edgeEl(e));
        }
      });
      if (fresh.length) await runLayout(false);
      return fresh.length;
    },

    relayout: () => runLayout(true),
    fit: fitView,

    /** Marks the focus, the expanded records and the selection. */
    mark({ focus, expanded, selected }) {
      cy.batch(() => {
        cy.nodes().removeClass('focus expanded');
        if (focus) cy.getElementById(focus).addClass('focus');
        for (const id of expanded) cy.getElementById(id).addClass('expanded');
        cy.nodes(':selected').unselect();
        if (selected) cy.getElementById(selected).select();
      });
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
    },

    setEdgeLabels(on) {
      showEdgeLabels = on;
      cy.edges().toggleClass('nolabel', !on);
    },

    has: (id) => cy.getElementById(id).length > 0,

    /** True while a resize is about to move the drawing. */
    settling: () => resizeTimer !== 0,

    /** What is on screen, for export and the test handle. */
    snapshot() {
      const visible = cy.elements(':visible');
      return {
        nodes: visible.nodes().map((n) => {
          const d = n.data();
          return { id: d.id, kind: d.kind, subKind: d.subKind, label: d.label, labelEn: d.labelEn };
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
