// The source reader: one source document with a quote highlighted in a <mark>, every other
// mention of the record in it, and back / forward between the record's quotes. Its state is the
// page hash, so a reader view can be shared:
//   #source=<slug>&quote=<start>-<end>&rec=<id>
import * as api from './api.js';
import { $, h } from './dom.js';
import { t, getLang } from './i18n.js';
import { quotesOf, sourceHash } from './panel.js';

/** Reads the reader state from a hash; null when the hash names no source. */
export function parseHash(hash) {
  const p = new URLSearchParams(String(hash || '').replace(/^#/, ''));
  const slug = p.get('source');
  if (!slug) return null;
  const m = /^(\d+)-(\d+)$/.exec(p.get('quote') || '');
  return { slug, start: m ? Number(m[1]) : null, end: m ? Number(m[2]) : null, rec: p.get('rec') || null };
}

/**
 * Splits `chars` (the text as code points) at the quote and the mentions: the quote becomes one
 * <mark class="quote">, each mention a <mark class="mention"> (inside the quote when it falls in it).
 */
function markedText(chars, quote, mentions) {
  const cuts = new Set([0, chars.length]);
  const spans = mentions.filter((m) => m.start < m.end && m.end <= chars.length);
  if (quote) cuts.add(quote.start).add(quote.end);
  for (const m of spans) cuts.add(m.start).add(m.end);
  const points = [...cuts].filter((x) => x >= 0 && x <= chars.length).sort((a, b) => a - b);
  const out = [];
  let quoteMark = null;
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const text = chars.slice(a, b).join('');
    const mention = spans.find((m) => m.start <= a && b <= m.end);
    const piece = mention
      ? h('mark', { class: 'mention', 'data-testid': 'reader-mention', dataset: { start: mention.start } }, text)
      : document.createTextNode(text);
    if (quote && a >= quote.start && b <= quote.end) {
      if (!quoteMark) {
        quoteMark = h('mark', { class: 'quote', id: 'reader-quote', 'data-testid': 'reader-quote', tabindex: '-1' });
        out.push(quoteMark);
      }
      quoteMark.append(piece);
    } else out.push(piece);
  }
  return out;
}

/**
 * Creates the reader in `el`. `onClose()` runs when the user closes it (the caller clears the
 * hash); `track` counts pending requests.
 */
export function createReader(el, { onClose, track = (p) => p }) {
  let seq = 0;
  let state = null;
  let returnFocus = null;
  const sources = new Map(); // slug → source (texts do not change while the page is open)
  const quotesByRec = new Map(); // record ID → its quotes in panel order

  const source = (slug) => {
    if (!sources.has(slug)) sources.set(slug, api.source(slug).catch((e) => (sources.delete(slug), Promise.reject(e))));
    return sources.get(slug);
  };

  async function quotes(rec) {
    if (!rec) return null;
    if (!quotesByRec.has(rec)) {
      const d = await api.details(rec);
      quotesByRec.set(rec, { rec: d, list: d ? quotesOf(d) : [] });
    }
    return quotesByRec.get(rec);
  }

  async function render(s) {
    const mine = ++seq;
    const [src, q] = await Promise.all([source(s.slug), quotes(s.rec)]);
    if (mine !== seq) return;
    if (!src) throw new Error(`no source ${s.slug}`);
    const chars = Array.from(src.text);
    const quote = s.start != null && s.end != null && s.start < s.end && s.end <= chars.length ? { start: s.start, end: s.end } : null;
    const mentions = s.rec ? src.mentions.filter((m) => m.entityId === s.rec) : [];
    const list = q ? q.list : [];
    const at = list.findIndex((c) => c.slug === s.slug && c.start === s.start && c.end === s.end);
    const rec = q && q.rec;
    const recName = rec ? (getLang() === 'en' && rec.nameEn ? rec.nameEn : rec.nameZh) : null;
    const go = (c) => h('a', { href: sourceHash(c.slug, c.start, c.end, s.rec) });
    const nav = (i, label, testid) => {
      const a = i >= 0 && i < list.length ? go(list[i]) : h('span', { 'aria-disabled': 'true' });
      a.classList.add('reader-step');
      a.dataset.testid = testid;
      a.textContent = label;
      return a;
    };

    el.replaceChildren(
      h(
        'div',
        { class: 'reader-box' },
        h(
          'header',
          { class: 'reader-head' },
          h(
            'div',
            {},
            h('h2', { id: 'reader-title', lang: 'zh', 'data-testid': 'reader-title' }, src.titleZh),
            h(
              'p',
              { class: 'reader-meta', 'data-testid': 'reader-meta' },
              h('span', { 'data-testid': 'reader-publisher' }, src.publisher),
              src.reporter ? ` · ${src.reporter}` : '',
              src.date ? h('span', { 'data-testid': 'reader-date' }, ` · ${src.date}`) : '',
              src.dateNote ? h('span', { class: 'muted', title: src.dateNote }, ` (${t('dateInferred')})`) : '',
            ),
          ),
          h('button', { class: 'icon', type: 'button', 'data-testid': 'reader-close', 'aria-label': t('close'), title: t('close'), onclick: onClose }, '×'),
        ),
        h(
          'nav',
          { class: 'reader-nav', 'aria-label': t('quotes') },
          list.length
            ? [
                nav(at - 1, `← ${t('prevQuote')}`, 'reader-prev'),
                h('span', { class: 'muted', 'data-testid': 'reader-position' }, at >= 0 ? `${t('quote')} ${at + 1} / ${list.length}` : `${list.length} ${t('quotes')}`),
                nav(at + 1, `${t('nextQuote')} →`, 'reader-next'),
              ]
            : null,
          recName
            ? h(
                'span',
                { class: 'reader-mentions', 'data-testid': 'reader-mention-count' },
                `${t('mentionsOf')} ${recName}: ${mentions.length}`,
                mentions.map((m, i) =>
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'linklike',
                      'aria-label': `${t('mention')} ${i + 1}`,
                      onclick: () => {
                        const mark = el.querySelector(`mark.mention[data-start="${m.start}"]`);
                        if (mark) mark.scrollIntoView({ block: 'center' });
                      },
                    },
                    String(i + 1),
                  ),
                ),
              )
            : null,
        ),
        h('div', { class: 'reader-text', lang: 'zh', 'data-testid': 'reader-text', tabindex: '0' }, markedText(chars, quote, mentions)),
      ),
    );
    el.hidden = false;
    const mark = $('#reader-quote', el);
    if (mark) {
      mark.scrollIntoView({ block: 'center' });
      mark.focus({ preventScroll: true });
    } else $('#reader-title', el).focus?.();
  }

  el.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
    }
  });

  return {
    /** Shows the state `s` (from parseHash), or closes the reader when `s` is null. */
    async show(s) {
      if (!s) {
        seq++;
        state = null;
        if (!el.hidden) {
          el.hidden = true;
          el.replaceChildren();
          if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
        }
        return;
      }
      if (!state) returnFocus = document.activeElement;
      state = s;
      await track(render(s));
    },
    get open() {
      return state !== null;
    },
    /** Re-renders in the current language. */
    refresh() {
      if (state) return track(render(state));
    },
  };
}
