// The side panel: one record's names (English marked as a translation), kind, metrics and the
// quotes that state it, each with its source.
import { append, h, shapeIcon } from './dom.js';
import { NODE_KIND, kindOfType } from './kinds.js';
import { OWN_FIELDS } from './vocab.js';
import { t, getLang } from './i18n.js';

const row = (label, value, testid) =>
  value == null || value === '' ? null : [h('dt', {}, label), h('dd', { 'data-testid': testid }, value)];

// Kinds, levels, statuses and roles are GraphQL enums (COOPERATION_ZONE); shown as words.
const vocab = (v) => (v == null ? v : String(v).toLowerCase().replace(/_/g, ' '));

// Own fields the facts list draws in its own way; any other a record type has (OWN_FIELDS) gets
// a row of its own, labelled by i18n when it knows the field, else by the field's name.
const DRAWN_FIELDS = new Set(['kind', 'level', 'areaKm2', 'status', 'date', 'descriptiveName']);

function ownRows(rec, kind) {
  const own = kind && OWN_FIELDS[kind.kind];
  if (!own) return [];
  return own.scalars
    .filter((f) => !DRAWN_FIELDS.has(f))
    .map((f) => {
      const v = rec[f];
      const shown = own.enums.includes(f) ? vocab(v) : typeof v === 'boolean' ? t(v ? 'yes' : 'no') : v;
      return row(t(f), shown == null ? null : String(shown), `panel-field-${f}`);
    });
}

function nameOf(rec) {
  return getLang() === 'en' && rec.nameEn ? rec.nameEn : rec.nameZh;
}

/** The reader URL (a hash) of citation `c` of record `recId`. */
export const sourceHash = (slug, start, end, recId) =>
  `#source=${encodeURIComponent(slug)}&quote=${start}-${end}${recId ? `&rec=${encodeURIComponent(recId)}` : ''}`;

function citationItem(c, relationLabel, recId) {
  if (!c.quote) {
    return h(
      'li',
      { class: 'citation note', 'data-testid': 'citation-note' },
      h('span', { class: 'note-tag' }, `${t('note')}: `),
      c.note || '',
      relationLabel ? h('span', { class: 'cite-rel' }, ` [${relationLabel}]`) : null,
    );
  }
  const src = c.source || {};
  return h(
    'li',
    { class: 'citation', 'data-testid': 'citation' },
    h(
      'blockquote',
      { lang: 'zh', 'data-testid': 'citation-quote' },
      src.slug && c.start != null
        ? h('a', { class: 'quote-link', href: sourceHash(src.slug, c.start, c.end, recId), 'data-testid': 'citation-open', title: t('openSource') }, `“${c.quote}”`)
        : `“${c.quote}”`,
    ),
    h(
      'div',
      { class: 'cite-src', 'data-testid': 'citation-source', dataset: { slug: src.slug || '' } },
      '— ',
      h('cite', { lang: 'zh' }, `《${src.titleZh || src.slug || '?'}》`),
      src.publisher ? ` · ${src.publisher}` : '',
      src.date ? ` · ${src.date}` : '',
      c.start != null ? ` · ${t('chars')} ${c.start}–${c.end}` : '',
      relationLabel || c.relation ? h('span', { class: 'cite-rel' }, ` [${t('relation')}: ${relationLabel || c.relation}]`) : null,
    ),
  );
}

/**
 * Renders `rec` (a `details` answer) into `el`. `actions` holds callbacks:
 * focus(id), from(rec), to(rec), select(id), close().
 */
export function renderPanel(el, rec, actions) {
  el.replaceChildren();
  el.hidden = false;
  el.dataset.id = rec.id;
  const kind = NODE_KIND[kindOfType(rec.__typename)];
  const lang = getLang();

  const badge = rec.nameEnIsTranslation
    ? h('span', { class: 'translation-mark', 'data-testid': 'translation-mark', title: t('translationTitle') }, `${t('nameEn')} · ${t('translation')}`)
    : null;
  // In English the English name leads (still marked as a translation); the Chinese follows.
  const enFirst = lang === 'en' && rec.nameEn;
  const zhName = (tag, attrs) => h(tag, { lang: 'zh', 'data-testid': 'panel-name-zh', ...attrs }, rec.nameZh);
  const enName = (tag, attrs) => h(tag, { lang: 'en', 'data-testid': 'panel-name-en', ...attrs }, rec.nameEn);
  const heading = enFirst
    ? [h('h2', { id: 'panel-title' }, enName('span'), ' ', badge), h('p', { class: 'name-en' }, zhName('span'))]
    : [zhName('h2', { id: 'panel-title' }), rec.nameEn ? h('p', { class: 'name-en' }, enName('span'), ' ', badge) : null];

  append(el, [
    h('button', {
      class: 'sheet-toggle',
      type: 'button',
      'data-testid': 'sheet-toggle',
      'aria-label': t('sheetToggle'),
      'aria-expanded': String(el.dataset.sheet === 'full'),
      onclick: (e) => {
        el.dataset.sheet = el.dataset.sheet === 'full' ? 'half' : 'full';
        e.currentTarget.setAttribute('aria-expanded', String(el.dataset.sheet === 'full'));
      },
    }),
    h(
      'div',
      { class: 'panel-head' },
      h(
        'span',
        { class: 'type-badge', 'data-testid': 'panel-type' },
        kind ? shapeIcon(kind.shape, kind.color, 14) : null,
        kind ? `${kind.zh} · ${kind.en}` : rec.__typename,
      ),
      h('button', { class: 'icon', 'data-testid': 'panel-close', title: t('close'), 'aria-label': t('close'), onclick: actions.close }, '×'),
    ),
    heading,
    rec.descriptiveName ? h('p', { class: 'muted' }, t('descriptive')) : null,
    h(
      'dl',
      { class: 'facts' },
      row(t('type'), kind ? kind[lang] : rec.__typename, 'panel-kind-type'),
      row(t('kind'), vocab(rec.kind), 'panel-kind'),
      row(t('aliases'), rec.aliases && rec.aliases.length ? rec.aliases.join('、') : null, 'panel-aliases'),
      row(t('level'), vocab(rec.level)),
      row(t('area'), rec.areaKm2 != null ? `${rec.areaKm2} km²` : null),
      row(t('status'), vocab(rec.status)),
      row(t('date'), rec.date),
      ...ownRows(rec, kind),
    ),
    h(
      'div',
      { class: 'panel-actions' },
      h('button', { 'data-testid': 'panel-focus', onclick: () => actions.focus(rec.id) }, t('focusHere')),
      h('button', { 'data-testid': 'panel-path-from', onclick: () => actions.from(rec) }, t('setFrom')),
      h('button', { 'data-testid': 'panel-path-to', onclick: () => actions.to(rec) }, t('setTo')),
    ),
  ]);

  if (rec.metrics && rec.metrics.length) {
    el.append(
      h('h3', {}, t('metrics')),
      h(
        'table',
        { class: 'metrics', 'data-testid': 'panel-metrics' },
        h(
          'tbody',
          {},
          rec.metrics.map((m) =>
            h(
              'tr',
              { 'data-testid': 'metric' },
              h('th', { scope: 'row' }, h('span', { lang: 'zh' }, m.nameZh), m.nameEn ? h('small', { lang: 'en' }, m.nameEn) : null),
              h(
                'td',
                { lang: 'zh' },
                m.valueText,
                m.qualifier && m.qualifier !== 'EXACT' ? h('small', { lang: 'en', class: 'reading', 'data-testid': 'metric-reading' }, m.reading) : null,
              ),
              h('td', {}, m.year ?? (m.asOf ? `${t('asOf')} ${m.asOf}` : '')),
              h('td', { class: m.isTarget ? 'tag target' : 'tag' }, m.isTarget ? t('target') : t('reported')),
            ),
          ),
        ),
      ),
    );
  }

  if (rec.parties && rec.parties.length) {
    el.append(
      h('h3', {}, t('parties')),
      h(
        'ul',
        { class: 'parties' },
        rec.parties.map((p) =>
          p.party
            ? h(
                'li',
                {},
                h('a', { href: '#', onclick: (e) => (e.preventDefault(), actions.select(p.party.id)) }, nameOf(p.party)),
                h('span', { class: 'muted' }, ` — ${vocab(p.role)}`),
              )
            : null,
        ),
      ),
    );
  }

  if (rec.milestones && rec.milestones.length) {
    el.append(
      h('h3', {}, t('milestones')),
      h(
        'ul',
        { class: 'milestones' },
        rec.milestones.map((m) => h('li', {}, h('b', {}, m.date), ' ', lang === 'en' && m.eventEn ? m.eventEn : m.eventZh)),
      ),
    );
  }

  const cites = citationsOf(rec);
  el.append(
    h('h3', {}, `${t('citations')} (${cites.filter(([c]) => c.quote).length})`),
    cites.length
      ? h('ol', { class: 'citations', 'data-testid': 'panel-citations' }, cites.map(([c, rel]) => citationItem(c, rel, rec.id)))
      : h('p', { class: 'muted' }, t('noCitations')),
  );
  return quotesOf(rec);
}

/** The record's citations and those of its relations, each once: [[citation, relation | null]]. */
function citationsOf(rec) {
  const relationCites = [
    ...(rec.parentCitations || []).map((c) => [c, 'parent']),
    ...(rec.zoneCitations || []).map((c) => [c, 'located_in']),
    ...(rec.hostCitations || []).map((c) => [c, 'hosted_by']),
  ];
  // A quote may state both the record and one of its relations: list it once.
  const key = (c) => (c.quote ? `${c.source && c.source.slug}:${c.start}:${c.end}` : `note:${c.note}`);
  const seen = new Set();
  return (rec.citations || [])
    .map((c) => [c, null])
    .concat(relationCites)
    .filter(([c]) => !seen.has(key(c)) && seen.add(key(c)));
}

/** The record's quotes in panel order (for the source reader's back / forward). */
export function quotesOf(rec) {
  return citationsOf(rec)
    .map(([c]) => c)
    .filter((c) => c.quote && c.source && c.source.slug && c.start != null)
    .map((c) => ({ slug: c.source.slug, start: c.start, end: c.end }));
}
