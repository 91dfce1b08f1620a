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

/** An inline SVG of a legend symbol: the node shape in its colour. */
export function shapeIcon(shape, color, size = 16) {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('width', size);
  svg.setAttribute('height', size);
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  const poly = (pts) => {
    const p = document.createElementNS(NS, 'polygon');
    p.setAttribute('points', pts);
    return p;
  };
  let el;
  switch (shape) {
    case 'ellipse':
      el = document.createElementNS(NS, 'circle');
      el.setAttribute('cx', 8);
      el.setAttribute('cy', 8);
      el.setAttribute('r', 7);
      break;
    case 'round-rectangle':
      el = document.createElementNS(NS, 'rect');
      Object.entries({ x: 1, y: 3, width: 14, height: 10, rx: 3 }).forEach(([k, v]) => el.setAttribute(k, v));
      break;
    case 'rectangle':
      el = document.createElementNS(NS, 'rect');
      Object.entries({ x: 2, y: 1, width: 12, height: 14 }).forEach(([k, v]) => el.setAttribute(k, v));
      break;
    case 'diamond':
      el = poly('8,1 15,8 8,15 1,8');
      break;
    case 'hexagon':
      el = poly('4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8');
      break;
    case 'triangle':
      el = poly('8,1 15,14.5 1,14.5');
      break;
    case 'star':
      el = poly('8,0.5 10,6 15.5,6 11,9.5 12.8,15 8,11.7 3.2,15 5,9.5 0.5,6 6,6');
      break;
    default:
      el = document.createElementNS(NS, 'circle');
      el.setAttribute('cx', 8);
      el.setAttribute('cy', 8);
      el.setAttribute('r', 7);
  }
  el.setAttribute('fill', color);
  el.setAttribute('stroke', '#333');
  el.setAttribute('stroke-width', '0.8');
  svg.append(el);
  return svg;
}
