//! A chunk: up to [`CHUNK`] consecutive records in compact form. All their text lives in one
//! arena, every list (links, aliases, citations, mentions, milestones, extra fields) in one
//! offsets-and-items table per kind of list, and the chunk carries its own name index. A change
//! rebuilds only the chunks it touches (decode → edit → encode); the rest are shared between
//! snapshots through `Arc`.
use entity::ids::{Key, Kind, parse_record_key};
use entity::relation::{EVIDENCE, RELATIONS, Relation};

use super::data::{CiteData, Dir, Id, Link, MentionData, MilestoneData, RecordData};
use super::names::ChunkNames;
use super::text::CharIndex;

/// Records per chunk: a change copies one chunk (~100 KB), a lookup is two indexings.
pub const CHUNK: usize = 1024;

/// "No record" in a `u32` slot.
pub const NONE: u32 = u32::MAX;

/// A byte range of a chunk's text arena; `len == NONE` stands for "absent".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub start: u32,
    pub len: u32,
}

impl Span {
    pub const ABSENT: Span = Span {
        start: 0,
        len: NONE,
    };

    pub fn is_absent(self) -> bool {
        self.len == NONE
    }
}

/// Where each record's list starts: 16 bits while a chunk's items fit (nearly always), else 32.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
enum Offsets {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl Offsets {
    fn get(&self, i: usize) -> Option<usize> {
        match self {
            Offsets::Narrow(v) => v.get(i).map(|x| usize::from(*x)),
            Offsets::Wide(v) => v.get(i).map(|x| *x as usize),
        }
    }

    fn push(&mut self, at: usize) {
        match self {
            Offsets::Narrow(v) => match u16::try_from(at) {
                Ok(at) => v.push(at),
                Err(_) => {
                    let mut wide: Vec<u32> = v.iter().map(|x| u32::from(*x)).collect();
                    wide.push(at as u32);
                    *self = Offsets::Wide(wide);
                }
            },
            Offsets::Wide(v) => v.push(at as u32),
        }
    }

    fn bytes(&self) -> usize {
        match self {
            Offsets::Narrow(v) => v.capacity() * 2,
            Offsets::Wide(v) => v.capacity() * 4,
        }
    }

    fn shrink(&mut self) {
        match self {
            Offsets::Narrow(v) => v.shrink_to_fit(),
            Offsets::Wide(v) => v.shrink_to_fit(),
        }
    }
}

/// Offsets-and-items lists, one list per record of the chunk.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "T: serde::Deserialize<'de>"))]
pub struct Lists<T> {
    at: Offsets,
    #[serde(deserialize_with = "super::checkpoint::exact")]
    items: Vec<T>,
}

impl<T> Default for Lists<T> {
    fn default() -> Self {
        Lists::new()
    }
}

impl<T> Lists<T> {
    fn new() -> Self {
        Lists {
            at: Offsets::Narrow(vec![0]),
            items: vec![],
        }
    }

    fn close(&mut self) {
        self.at.push(self.items.len());
    }

    pub fn get(&self, i: usize) -> &[T] {
        // A record past the chunk's end has no list.
        self.items.get(self.range(i)).unwrap_or_default()
    }

    /// Where record `i`'s list lies among all items.
    pub fn range(&self, i: usize) -> std::ops::Range<usize> {
        match (self.at.get(i), self.at.get(i + 1)) {
            (Some(a), Some(b)) => a..b,
            _ => 0..0,
        }
    }

    fn shrink(&mut self) {
        self.at.shrink();
        self.items.shrink_to_fit();
    }
}

/// A record's fixed-size part.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct Rec {
    pub kind: Kind,
    pub sub: u8,
    pub tag: u8,
    pub bits: u8,
    pub degree: u32,
    pub slug: Span,
    pub zh: Span,
    pub en: Span,
    pub updated_at: i64,
}

/// What only some records have (a date, a number, a year), kept apart so a record is 40 bytes.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct Detail {
    pub date: Span,
    pub number: f64,
    pub year: i32,
}

pub const FLAG: u8 = 1;
pub const DELETED: u8 = 2;
pub const HAS_NUMBER: u8 = 4;
pub const HAS_YEAR: u8 = 8;
/// The record has a `Detail` (a date, number or year) in the chunk's `details`.
pub const HAS_DETAIL: u8 = 16;

/// A link in 8 bytes: the other end, the relation, direction and role, the party order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PackedLink {
    pub other: u32,
    pub relation: u8,
    /// Bit 7: inbound; bits 0–6: role code + 1 (0 = none).
    pub dir_role: u8,
    pub ordinal: u16,
}

impl PackedLink {
    fn pack(l: &Link) -> PackedLink {
        PackedLink {
            other: l.other.0,
            relation: l.relation as u8,
            dir_role: (if l.dir == Dir::In { 0x80 } else { 0 }) | (l.role & 0x7f),
            ordinal: l.ordinal,
        }
    }

    pub fn unpack(self) -> Link {
        Link {
            relation: RELATIONS[usize::from(self.relation)].relation,
            dir: if self.dir_role & 0x80 != 0 {
                Dir::In
            } else {
                Dir::Out
            },
            ordinal: self.ordinal,
            other: Id(self.other),
            role: self.dir_role & 0x7f,
        }
    }

    pub fn is(self, relation: Relation, dir: Dir) -> bool {
        self.relation == relation as u8 && ((self.dir_role & 0x80 != 0) == (dir == Dir::In))
    }
}

/// A citation in 20 bytes. When its quote stands in its source at its character offsets
/// (`QUOTE_IN_SOURCE`), the quote is read from there and not stored again; a quote found nowhere
/// else, a note or an external URL is text of this chunk, listed in `cite_texts` under the
/// citation's position (`HAS_TEXTS`).
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct Cite {
    pub target: u32,
    pub source: u32,
    pub start: u32,
    pub end: u32,
    pub ordinal: u16,
    /// `EVIDENCE` index + 1; 0 for the record itself.
    pub relation: u8,
    pub bits: u8,
}

/// A citation's own texts: a quote not found in a source, and a note or URL.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct CiteText {
    pub quote: Span,
    pub text: Span,
}

pub const QUOTE_IN_SOURCE: u8 = 1;
pub const TEXT_IS_URL: u8 = 2;
/// `target` is a number (a milestone's ordinal), not a record.
pub const TARGET_IS_NUMBER: u8 = 4;
/// The citation has texts of its own in `cite_texts`.
pub const HAS_TEXTS: u8 = 8;

/// A mention: `other` (the source, or on a source's side the entity) and character offsets; the
/// surface form is read from the source's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mention {
    pub other: u32,
    pub start: u32,
    pub end: u32,
}

#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct Milestone {
    pub ordinal: i32,
    pub date: Span,
    pub zh: Span,
    pub en: Span,
    pub note: Span,
}

/// What encoding and decoding need from outside the chunk.
pub trait Resolve {
    /// The record a key names.
    fn id_of(&self, kind: Kind, slug: &str) -> Option<Id>;
    /// The key of a record (deleted records keep theirs).
    fn key_of(&self, id: Id) -> Option<Key>;
    /// A source's text and its character index.
    fn source_text(&self, source: Id) -> Option<(&str, &CharIndex)>;
}

/// Up to [`CHUNK`] records.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Chunk {
    #[serde(deserialize_with = "super::checkpoint::exact")]
    pub recs: Vec<Rec>,
    /// The details of the records that have one, by position.
    #[serde(deserialize_with = "super::checkpoint::exact")]
    pub details: Vec<(u32, Detail)>,
    pub text: String,
    pub extra: Lists<Span>,
    pub links: Lists<PackedLink>,
    pub aliases: Lists<Span>,
    pub cites: Lists<Cite>,
    /// The texts of the citations that have some (`HAS_TEXTS`), by their position in `cites`.
    #[serde(deserialize_with = "super::checkpoint::exact")]
    pub cite_texts: Vec<(u32, CiteText)>,
    pub mentions: Lists<Mention>,
    pub milestones: Lists<Milestone>,
    pub names: ChunkNames,
}

/// A chunk's text as it is written: each distinct string once (records of one chunk share
/// English names, kinds of notes, relation names).
struct Arena<'a, 'r> {
    text: &'a mut String,
    /// Texts already in the arena (foldhash: SipHash, the default, was a tenth of encoding).
    seen: foldhash::HashMap<&'r str, Span>,
}

impl<'r> Arena<'_, 'r> {
    fn put(&mut self, s: &'r str) -> Span {
        if let Some(span) = self.seen.get(s) {
            return *span;
        }
        let span = Span {
            start: self.text.len() as u32,
            len: s.len() as u32,
        };
        self.text.push_str(s);
        self.seen.insert(s, span);
        span
    }

    fn put_opt(&mut self, s: Option<&'r str>) -> Span {
        s.map_or(Span::ABSENT, |s| self.put(s))
    }
}

impl Chunk {
    /// Encodes `records` into a chunk.
    pub fn encode(records: &[RecordData], resolve: &dyn Resolve) -> Chunk {
        let mut c = Chunk {
            recs: Vec::with_capacity(records.len()),
            details: vec![],
            text: String::new(),
            extra: Lists::new(),
            links: Lists::new(),
            aliases: Lists::new(),
            cites: Lists::new(),
            cite_texts: vec![],
            mentions: Lists::new(),
            milestones: Lists::new(),
            names: ChunkNames::default(),
        };
        let mut arena = Arena {
            text: &mut c.text,
            seen: foldhash::HashMap::default(),
        };
        for r in records {
            let bits = (if r.flag { FLAG } else { 0 })
                | (if r.deleted { DELETED } else { 0 })
                | (if r.number.is_some() { HAS_NUMBER } else { 0 })
                | (if r.year.is_some() { HAS_YEAR } else { 0 })
                | (if r.date.is_some() || r.number.is_some() || r.year.is_some() {
                    HAS_DETAIL
                } else {
                    0
                });
            if bits & HAS_DETAIL != 0 {
                let detail = Detail {
                    date: arena.put_opt(r.date.as_deref()),
                    // Read only when HAS_NUMBER / HAS_YEAR say they are there.
                    number: r.number.unwrap_or_default(),
                    year: r.year.unwrap_or_default(),
                };
                c.details.push((c.recs.len() as u32, detail));
            }
            c.recs.push(Rec {
                kind: r.kind,
                sub: r.sub,
                tag: r.tag,
                bits,
                slug: arena.put(&r.slug),
                zh: arena.put(&r.name_zh),
                en: arena.put_opt(r.name_en.as_deref()),
                updated_at: r.updated_at,
                degree: 0,
            });
            for e in &r.extra {
                c.extra.items.push(arena.put_opt(e.as_deref()));
            }
            c.extra.close();
            c.links.items.extend(r.links.iter().map(PackedLink::pack));
            c.links.close();
            for a in &r.aliases {
                c.aliases.items.push(arena.put(a));
            }
            c.aliases.close();
            for cite in &r.cites {
                let (encoded, texts) = encode_cite(cite, &mut arena, resolve);
                if let Some(texts) = texts {
                    c.cite_texts.push((c.cites.items.len() as u32, texts));
                }
                c.cites.items.push(encoded);
            }
            c.cites.close();
            c.mentions.items.extend(r.mentions.iter().map(|m| Mention {
                other: m.other.0,
                start: m.start,
                end: m.end,
            }));
            c.mentions.close();
            for m in &r.milestones {
                c.milestones.items.push(Milestone {
                    ordinal: m.ordinal,
                    date: arena.put(&m.date),
                    zh: arena.put(&m.event_zh),
                    en: arena.put_opt(m.event_en.as_deref()),
                    note: arena.put_opt(m.date_note.as_deref()),
                });
            }
            c.milestones.close();
        }
        for (i, rec) in c.recs.iter_mut().enumerate() {
            rec.degree = degree(rec.kind, c.links.get(i));
        }
        c.shrink();
        c.names = ChunkNames::build(&c);
        c
    }

    /// Gives back what its vectors hold beyond their length (after a build or a read from
    /// disk, whose vectors grow by doubling).
    pub fn shrink(&mut self) {
        self.text.shrink_to_fit();
        self.recs.shrink_to_fit();
        self.details.shrink_to_fit();
        self.extra.shrink();
        self.aliases.shrink();
        self.links.shrink();
        self.cites.shrink();
        self.cite_texts.shrink_to_fit();
        self.mentions.shrink();
        self.milestones.shrink();
    }

    /// The text of a span of this chunk (`None` for an absent span).
    pub fn str(&self, span: Span) -> Option<&str> {
        if span.is_absent() {
            return None;
        }
        self.text
            .get(span.start as usize..(span.start + span.len) as usize)
    }

    /// Like [`Chunk::str`], empty for an absent span (for fields every record has: slug, name).
    pub fn text_of(&self, span: Span) -> &str {
        self.str(span).unwrap_or_default()
    }

    /// Decodes every record back into owned form.
    pub fn decode(&self, resolve: &dyn Resolve) -> Vec<RecordData> {
        (0..self.recs.len())
            .map(|i| self.decode_one(i, resolve))
            .collect()
    }

    fn decode_one(&self, i: usize, resolve: &dyn Resolve) -> RecordData {
        let r = &self.recs[i];
        let own = |s: Span| self.str(s).map(str::to_owned);
        let mut data = RecordData::new(
            r.kind,
            self.text_of(r.slug).to_owned(),
            self.text_of(r.zh).to_owned(),
        );
        data.name_en = own(r.en);
        data.sub = r.sub;
        data.tag = r.tag;
        let detail = self.detail(i);
        data.date = detail.and_then(|d| own(d.date));
        data.updated_at = r.updated_at;
        data.number = detail
            .filter(|_| r.bits & HAS_NUMBER != 0)
            .map(|d| d.number);
        data.year = detail.filter(|_| r.bits & HAS_YEAR != 0).map(|d| d.year);
        data.flag = r.bits & FLAG != 0;
        data.deleted = r.bits & DELETED != 0;
        data.extra = self.extra.get(i).iter().map(|s| own(*s)).collect();
        data.aliases = self
            .aliases
            .get(i)
            .iter()
            .map(|s| self.text_of(*s).to_owned())
            .collect();
        data.links = self.links.get(i).iter().map(|l| l.unpack()).collect();
        let range = self.cites.range(i);
        data.cites = self
            .cites
            .get(i)
            .iter()
            .zip(range)
            .map(|(c, at)| self.decode_cite(c, at, resolve))
            .collect();
        data.mentions = self
            .mentions
            .get(i)
            .iter()
            .map(|m| MentionData {
                other: Id(m.other),
                start: m.start,
                end: m.end,
            })
            .collect();
        data.milestones = self
            .milestones
            .get(i)
            .iter()
            .map(|m| MilestoneData {
                ordinal: m.ordinal,
                date: self.text_of(m.date).to_owned(),
                event_zh: self.text_of(m.zh).to_owned(),
                event_en: own(m.en),
                date_note: own(m.note),
            })
            .collect();
        data
    }

    /// The detail of the record at position `i` (see [`HAS_DETAIL`]).
    pub fn detail(&self, i: usize) -> Option<&Detail> {
        if self.recs.get(i)?.bits & HAS_DETAIL == 0 {
            return None;
        }
        let found = self
            .details
            .binary_search_by_key(&(i as u32), |(at, _)| *at);
        found.ok().map(|at| &self.details[at].1)
    }

    /// The texts of the citation at position `at` (see [`HAS_TEXTS`]).
    pub fn cite_texts(&self, c: &Cite, at: usize) -> Option<&CiteText> {
        if c.bits & HAS_TEXTS == 0 {
            return None;
        }
        let found = self
            .cite_texts
            .binary_search_by_key(&(at as u32), |(i, _)| *i);
        found.ok().map(|i| &self.cite_texts[i].1)
    }

    fn decode_cite(&self, c: &Cite, at: usize, resolve: &dyn Resolve) -> CiteData {
        let opt = |v: u32| (v != NONE).then_some(v);
        let texts = self.cite_texts(c, at);
        let quote = if c.bits & QUOTE_IN_SOURCE != 0 {
            opt(c.source)
                .and_then(|s| resolve.source_text(Id(s)))
                .and_then(|(text, index)| index.slice(text, c.start, c.end))
        } else {
            texts.and_then(|t| self.str(t.quote))
        };
        let text = texts.and_then(|t| self.str(t.text)).map(str::to_owned);
        let (note, source_url) = if c.bits & TEXT_IS_URL != 0 {
            (None, text)
        } else {
            (text, None)
        };
        let target = opt(c.target).and_then(|t| {
            if c.bits & TARGET_IS_NUMBER != 0 {
                Some(t.to_string())
            } else {
                resolve.key_of(Id(t)).map(|k| k.to_string())
            }
        });
        CiteData {
            relation: evidence_name(c.relation).map(str::to_owned),
            target,
            ordinal: i32::from(c.ordinal),
            source: opt(c.source).map(Id),
            source_url,
            quote: quote.map(str::to_owned),
            start: opt(c.start).map(|v| v as i32),
            end: opt(c.end).map(|v| v as i32),
            note,
        }
    }
}

/// The relation a citation's code names (see [`Cite::relation`]).
pub fn evidence_name(code: u8) -> Option<&'static str> {
    code.checked_sub(1)
        .and_then(|i| EVIDENCE.get(usize::from(i)))
        .copied()
}

fn encode_cite<'r>(
    c: &'r CiteData,
    arena: &mut Arena<'_, 'r>,
    resolve: &dyn Resolve,
) -> (Cite, Option<CiteText>) {
    let slot = |v: Option<i32>| v.and_then(|v| u32::try_from(v).ok()).unwrap_or(NONE);
    let mut bits = 0;
    let target = match c.target.as_deref() {
        None => NONE,
        Some(text) => match (text.parse::<u32>(), parse_record_key(text)) {
            (Ok(n), _) => {
                bits |= TARGET_IS_NUMBER;
                n
            }
            (_, Some((kind, slug))) => resolve.id_of(kind, slug).map_or(NONE, |id| id.0),
            _ => NONE,
        },
    };
    if target == NONE && c.target.is_some() {
        tracing::error!(target = ?c.target, "a citation names a target the graph does not hold");
    }
    let relation = match c.relation.as_deref() {
        None => 0,
        Some(name) => EVIDENCE.iter().position(|e| *e == name).map_or_else(
            || {
                tracing::error!(relation = name, "a citation names an unknown relation");
                0
            },
            |i| i as u8 + 1,
        ),
    };
    let ordinal = u16::try_from(c.ordinal).unwrap_or_else(|_| {
        tracing::error!(ordinal = c.ordinal, "a citation's ordinal is out of range");
        u16::MAX
    });
    // A quote that stands in its source at its offsets is read from there, not stored again.
    let in_source = match (c.source, &c.quote, c.start, c.end) {
        (Some(s), Some(q), Some(start), Some(end)) => resolve
            .source_text(s)
            .and_then(|(text, index)| index.slice(text, start as u32, end as u32))
            .is_some_and(|found| found == q),
        _ => false,
    };
    let quote = if in_source {
        bits |= QUOTE_IN_SOURCE;
        Span::ABSENT
    } else {
        arena.put_opt(c.quote.as_deref())
    };
    let text = match (&c.note, &c.source_url) {
        (Some(note), _) => arena.put(note),
        (None, Some(url)) => {
            bits |= TEXT_IS_URL;
            arena.put(url)
        }
        (None, None) => Span::ABSENT,
    };
    let texts = if quote.is_absent() && text.is_absent() {
        None
    } else {
        bits |= HAS_TEXTS;
        Some(CiteText { quote, text })
    };
    let cite = Cite {
        target,
        source: c.source.map_or(NONE, |s| s.0),
        start: slot(c.start),
        end: slot(c.end),
        ordinal,
        relation,
        bits,
    };
    (cite, texts)
}

/// Partnerships a record takes part in (for a partnership: its parties and covered projects),
/// each counted once.
fn degree(kind: Kind, links: &[PackedLink]) -> u32 {
    let counted = |l: &&PackedLink| {
        if kind == Kind::Partnership {
            l.is(Relation::PartnershipParty, Dir::Out)
                || l.is(Relation::PartnershipProject, Dir::Out)
        } else {
            l.is(Relation::PartnershipParty, Dir::In) || l.is(Relation::PartnershipProject, Dir::In)
        }
    };
    let mut others: Vec<u32> = links.iter().filter(counted).map(|l| l.other).collect();
    others.sort_unstable();
    others.dedup();
    others.len() as u32
}

impl<T> Lists<T> {
    /// Bytes held by the offsets and the items.
    pub fn footprint(&self) -> usize {
        self.at.bytes() + self.items.capacity() * std::mem::size_of::<T>()
    }
}
