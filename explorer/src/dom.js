// A tiny element builder: text always goes in as text, never as HTML.

/**
 * h('div', {class: 'x', dataset: {id}, onclick}, child, …) → HTMLElement.
 * Children may be strings, numbers, elements, or null/false (skipped), or arrays of those.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

/** Appends children to `el`, skipping null/false and flattening arrays. */
export function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

export const $ = (sel, root = document) => root.querySelector(sel);

/** Each node shape as one SVG element in a 16 × 16 view box: its tag and attributes (a circle for any other shape). */
const SHAPE_SVG = new Map([
  ['ellipse', ['circle', { cx: 8, cy: 8, r: 7 }]],
  ['round-rectangle', ['rect', { x: 1, y: 3, width: 14, height: 10, rx: 3 }]],
  ['rectangle', ['rect', { x: 2, y: 1, width: 12, height: 14 }]],
  ['diamond', ['polygon', { points: '8,1 15,8 8,15 1,8' }]],
  ['hexagon', ['polygon', { points: '4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8' }]],
  ['triangle', ['polygon', { points: '8,1 15,14.5 1,14.5' }]],
  ['star', ['polygon', { points: '8,0.5 10,6 15.5,6 11,9.5 12.8,15 8,11.7 3.2,15 5,9.5 0.5,6 6,6' }]],
  // Shapes no record type uses yet, ready for the next one (the graph draws any of them).
  ['pentagon', ['polygon', { points: '8,0.5 15.5,6 12.6,15 3.4,15 0.5,6' }]],
  ['octagon', ['polygon', { points: '5,1 11,1 15,5 15,11 11,15 5,15 1,11 1,5' }]],
  ['vee', ['polygon', { points: '1,1 8,6 15,1 8,15' }]],
  ['tag', ['polygon', { points: '1,2 11,2 15,8 11,14 1,14' }]],
]);

/** An SVG element with `attrs` set in order (SVG attributes are not properties, so `h` does not fit). */
function svgElement(tag, attrs) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/** An inline SVG of a legend symbol: the node shape in its colour. */
export function shapeIcon(shape, color, size = 16) {
  const svg = svgElement('svg', { width: size, height: size, viewBox: '0 0 16 16', 'aria-hidden': 'true' });
  const [tag, attrs] = SHAPE_SVG.get(shape) ?? SHAPE_SVG.get('ellipse');
  const el = svgElement(tag, { ...attrs, fill: color, stroke: '#333', 'stroke-width': '0.8' });
  svg.append(el);
  return svg;
}
