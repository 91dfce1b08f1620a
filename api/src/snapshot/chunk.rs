//! A chunk: up to [`CHUNK`] consecutive records in compact form. All their text lives in one
//! arena, every list (links, aliases, citations, mentions, milestones, extra fields) in one
//! offsets-and-items table per kind of list, and the chunk carries its own name index. A change
//! rebuilds only the chunks it touches (decode → edit → encode); the rest are shared between
//! snapshots through `Arc`.
use entity::ids::{Key, Kind};
use entity::relation::{RELATIONS, Relation};

use super::data::{CiteData, Dir, Id, Link, MentionData, MilestoneData, RecordData};
use super::names::ChunkNames;
use super::text::CharIndex;

/// Records per chunk: a change copies one chunk (~100 KB), a lookup is two indexings.
pub const CHUNK: usize = 1024;

/// "No record" in a `u32` slot.
pub const NONE: u32 = u32::MAX;

/// A byte range of a chunk's text arena; `len == NONE` stands for "absent".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
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

/// Offsets-and-items lists, one list per record of the chunk.
#[derive(Clone, Debug)]
pub struct Lists<T> {
    at: Vec<u32>,
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
            at: vec![0],
            items: vec![],
        }
    }

    fn close(&mut self) {
        self.at.push(self.items.len() as u32);
    }

    pub fn get(&self, i: usize) -> &[T] {
        match (self.at.get(i), self.at.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.items[a as usize..b as usize],
            _ => &[],
        }
    }

    fn shrink(&mut self) {
        self.at.shrink_to_fit();
        self.items.shrink_to_fit();
    }
}

/// A record's fixed-size part.
#[derive(Clone, Copy, Debug)]
pub struct Rec {
    pub kind: Kind,
    pub sub: u8,
    pub tag: u8,
    pub bits: u8,
    pub year: i32,
    pub slug: Span,
    pub zh: Span,
    pub en: Span,
    pub date: Span,
    pub updated_at: i64,
    pub number: f64,
    pub degree: u32,
}

pub const FLAG: u8 = 1;
pub const DELETED: u8 = 2;
pub const HAS_NUMBER: u8 = 4;
pub const HAS_YEAR: u8 = 8;

/// A link in 8 bytes: the other end, the relation, direction and role, the party order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

/// A citation. When its quote stands in its source at its character offsets
/// (`QUOTE_IN_SOURCE`), the quote is read from there and not stored again; otherwise it is text
/// of this chunk. `text` is the note or the external URL.
#[derive(Clone, Copy, Debug)]
pub struct Cite {
    pub target: u32,
    pub source: u32,
    pub start: u32,
    pub end: u32,
    pub quote: Span,
    pub text: Span,
    pub relation: Span,
    pub ordinal: i32,
    pub bits: u8,
}

pub const QUOTE_IN_SOURCE: u8 = 1;
pub const TEXT_IS_URL: u8 = 2;
/// `target` is a number (a milestone's ordinal), not a record.
pub const TARGET_IS_NUMBER: u8 = 4;

/// A mention: `other` (the source, or on a source's side the entity) and character offsets; the
/// surface form is read from the source's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mention {
    pub other: u32,
    pub start: u32,
    pub end: u32,
}

#[derive(Clone, Copy, Debug)]
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
    fn id_of(&self, key: &Key) -> Option<Id>;
    /// The key of a record (deleted records keep theirs).
    fn key_of(&self, id: Id) -> Option<Key>;
    /// A source's text and its character index.
    fn source_text(&self, source: Id) -> Option<(&str, &CharIndex)>;
}

/// Up to [`CHUNK`] records.
#[derive(Clone, Debug, Default)]
pub struct Chunk {
    pub recs: Vec<Rec>,
    pub text: String,
    pub extra: Lists<Span>,
    pub links: Lists<PackedLink>,
    pub aliases: Lists<Span>,
    pub cites: Lists<Cite>,
    pub mentions: Lists<Mention>,
    pub milestones: Lists<Milestone>,
    pub names: ChunkNames,
}

struct Arena<'a>(&'a mut String);

impl Arena<'_> {
    fn put(&mut self, s: &str) -> Span {
        let start = self.0.len() as u32;
        self.0.push_str(s);
        Span {
            start,
            len: s.len() as u32,
        }
    }

    fn put_opt(&mut self, s: Option<&str>) -> Span {
        s.map_or(Span::ABSENT, |s| self.put(s))
    }
}

impl Chunk {
    /// Encodes `records` into a chunk.
    pub fn encode(records: &[RecordData], resolve: &dyn Resolve) -> Chunk {
        let mut c = Chunk {
            recs: Vec::with_capacity(records.len()),
            text: String::new(),
            extra: Lists::new(),
            links: Lists::new(),
            aliases: Lists::new(),
            cites: Lists::new(),
            mentions: Lists::new(),
            milestones: Lists::new(),
            names: ChunkNames::default(),
        };
        let mut arena = Arena(&mut c.text);
        for r in records {
            let bits = (if r.flag { FLAG } else { 0 })
                | (if r.deleted { DELETED } else { 0 })
                | (if r.number.is_some() { HAS_NUMBER } else { 0 })
                | (if r.year.is_some() { HAS_YEAR } else { 0 });
            c.recs.push(Rec {
                kind: r.kind,
                sub: r.sub,
                tag: r.tag,
                bits,
                year: r.year.unwrap_or_default(),
                slug: arena.put(&r.slug),
                zh: arena.put(&r.name_zh),
                en: arena.put_opt(r.name_en.as_deref()),
                date: arena.put_opt(r.date.as_deref()),
                updated_at: r.updated_at,
                number: r.number.unwrap_or_default(),
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
                c.cites.items.push(encode_cite(cite, &mut arena, resolve));
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
        c.text.shrink_to_fit();
        c.recs.shrink_to_fit();
        for l in [&mut c.extra, &mut c.aliases] {
            l.shrink();
        }
        c.links.shrink();
        c.cites.shrink();
        c.mentions.shrink();
        c.milestones.shrink();
        c.names = ChunkNames::build(&c);
        c
    }

    /// The text of a span of this chunk (`None` for an absent span).
    pub fn str(&self, span: Span) -> Option<&str> {
        if span.is_absent() {
            return None;
        }
        self.text
            .get(span.start as usize..(span.start + span.len) as usize)
    }

    /// Like [`Chunk::str`], empty for an absent span.
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
        data.date = own(r.date);
        data.updated_at = r.updated_at;
        data.number = (r.bits & HAS_NUMBER != 0).then_some(r.number);
        data.year = (r.bits & HAS_YEAR != 0).then_some(r.year);
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
        data.cites = self
            .cites
            .get(i)
            .iter()
            .map(|c| self.decode_cite(c, resolve))
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

    fn decode_cite(&self, c: &Cite, resolve: &dyn Resolve) -> CiteData {
        let opt = |v: u32| (v != NONE).then_some(v);
        let quote = if c.bits & QUOTE_IN_SOURCE != 0 {
            opt(c.source)
                .and_then(|s| resolve.source_text(Id(s)))
                .and_then(|(text, index)| index.slice(text, c.start, c.end))
                .map(str::to_owned)
        } else {
            self.str(c.quote).map(str::to_owned)
        };
        let text = self.str(c.text).map(str::to_owned);
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
            relation: self.str(c.relation).map(str::to_owned),
            target,
            ordinal: c.ordinal,
            source: opt(c.source).map(Id),
            source_url,
            quote,
            start: opt(c.start).map(|v| v as i32),
            end: opt(c.end).map(|v| v as i32),
            note,
        }
    }
}

fn encode_cite(c: &CiteData, arena: &mut Arena<'_>, resolve: &dyn Resolve) -> Cite {
    let slot = |v: Option<i32>| v.and_then(|v| u32::try_from(v).ok()).unwrap_or(NONE);
    let mut bits = 0;
    let target = match c.target.as_deref() {
        None => NONE,
        Some(text) => match (text.parse::<u32>(), text.parse::<Key>()) {
            (Ok(n), _) => {
                bits |= TARGET_IS_NUMBER;
                n
            }
            (_, Ok(key)) => resolve.id_of(&key).map_or(NONE, |id| id.0),
            _ => NONE,
        },
    };
    if target == NONE && c.target.is_some() {
        tracing::error!(target = ?c.target, "a citation names a target the graph does not hold");
    }
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
    Cite {
        target,
        source: c.source.map_or(NONE, |s| s.0),
        start: slot(c.start),
        end: slot(c.end),
        quote,
        text,
        relation: arena.put_opt(c.relation.as_deref()),
        ordinal: c.ordinal,
        bits,
    }
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
        self.at.capacity() * 4 + self.items.capacity() * std::mem::size_of::<T>()
    }
}
