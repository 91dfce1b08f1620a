// A search box with suggestions as you type: debounced `search` queries, newest answer wins,
// arrow keys / Enter / Escape, and a click or Enter picks a record.
import { search } from './api.js';
import { h, shapeIcon } from './dom.js';
import { NODE_KIND, kindOfType } from './kinds.js';
import { t, getLang } from './i18n.js';

const DEBOUNCE_MS = 200;

/**
 * Wires `input` (a text box) to `list` (an empty <ul>). `onPick({id, kind, nameZh, nameEn})`
 * runs when a suggestion is chosen. `track` counts pending requests (for the test handle).
 */
export function attachSuggest(input, list, onPick, track = (p) => p) {
  let timer = 0;
  let seq = 0;
  let hits = [];
  let active = -1;
  let controller = null;

  const close = () => {
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };

  const highlight = (i) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0 && list.children[i]) {
      input.setAttribute('aria-activedescendant', list.children[i].id);
      list.children[i].scrollIntoView({ block: 'nearest' });
    }
  };

  const pick = (hit) => {
    close();
    input.value = getLang() === 'en' && hit.nameEn ? hit.nameEn : hit.nameZh;
    input.dataset.id = hit.id;
    onPick({ id: hit.id, kind: kindOfType(hit.type), nameZh: hit.nameZh, nameEn: hit.nameEn });
  };

  const render = (q) => {
    list.replaceChildren();
    if (!hits.length) {
      list.append(h('li', { class: 'suggest-empty', 'data-testid': 'suggestion-empty' }, t('noHits')));
    }
    hits.forEach((hit, i) => {
      const kind = NODE_KIND[kindOfType(hit.type)];
      list.append(
        h(
          'li',
          {
            id: `${list.id}-${i}`,
            role: 'option',
            class: 'suggestion',
            'aria-selected': 'false',
            'data-testid': 'suggestion',
            dataset: { id: hit.id, nameZh: hit.nameZh, kind: kind ? kind.kind : '' },
            onmousedown: (e) => e.preventDefault(), // keep focus in the input
            onclick: () => pick(hit),
          },
          kind ? shapeIcon(kind.shape, kind.color, 14) : null,
          h('span', { class: 'sg-zh', lang: 'zh' }, hit.nameZh),
          hit.nameEn ? h('span', { class: 'sg-en', lang: 'en' }, hit.nameEn) : null,
          h('span', { class: 'sg-type' }, kind ? kind[getLang()] : hit.type),
        ),
      );
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    list.dataset.query = q;
  };

  const run = async (q) => {
    const mine = ++seq;
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const found = await track(search(q, { signal: controller.signal }));
      if (mine !== seq || input.value.trim() !== q) return; // a newer query is under way
      hits = found;
      active = -1;
      render(q);
    } catch (e) {
      if (e.name !== 'AbortError' && mine === seq) {
        list.replaceChildren(h('li', { class: 'suggest-empty' }, `${t('error')}: ${e.message}`));
        list.hidden = false;
      }
    }
  };

  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', list.id);
  list.setAttribute('role', 'listbox');
  list.hidden = true;

  input.addEventListener('input', () => {
    delete input.dataset.id;
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q) {
      seq++;
      close();
      return;
    }
    timer = setTimeout(() => run(q), DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (e) => {
    const n = list.hidden ? 0 : hits.length;
    if (e.key === 'ArrowDown' && n) {
      e.preventDefault();
      highlight((active + 1) % n);
    } else if (e.key === 'ArrowUp' && n) {
      e.preventDefault();
      highlight((active - 1 + n) % n);
    } else if (e.key === 'Enter' && n) {
      e.preventDefault();
      pick(hits[Math.max(active, 0)]);
    } else if (e.key === 'Escape') {
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));

  return {
    /** Shows a chosen record in the box without searching. */
    set(id, name) {
      input.value = name || '';
      if (id) input.dataset.id = id;
      else delete input.dataset.id;
    },
    get id() {
      return input.dataset.id || null;
    },
    close,
  };
}
