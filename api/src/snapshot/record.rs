//! Reading one record of a snapshot: its fields, links, aliases, citations, mentions and
//! milestones, all borrowed from the snapshot.
use std::sync::LazyLock;

use entity::ids::{Key, Kind};
use entity::relation::Relation;
use entity::vocab::Vocabulary;

use super::Snapshot;
use super::chunk::{
    Chunk, Cite, DELETED, FLAG, HAS_NUMBER, HAS_YEAR, Mention, Milestone, NONE, PackedLink,
    QUOTE_IN_SOURCE, TARGET_IS_NUMBER, TEXT_IS_URL,
};
use super::data::{Dir, Id, extra_index};

/// One record of a snapshot.
#[derive(Clone, Copy)]
pub struct RecRef<'a> {
    snap: &'a Snapshot,
    chunk: &'a Chunk,
    i: usize,
    pub id: Id,
}

/// What an unknown ID reads as: one deleted, empty record.
static MISSING: LazyLock<Chunk> = LazyLock::new(|| {
    let mut record = super::data::RecordData::new(Kind::Zone, String::new(), String::new());
    record.deleted = true;
    Chunk::encode(&[record], &Snapshot::default())
});

impl<'a> RecRef<'a> {
    pub(super) fn new(snap: &'a Snapshot, chunk: &'a Chunk, i: usize, id: Id) -> RecRef<'a> {
        RecRef { snap, chunk, i, id }
    }

    pub(super) fn missing(snap: &'a Snapshot, id: Id) -> RecRef<'a> {
        RecRef {
            snap,
            chunk: &MISSING,
            i: 0,
            id,
        }
    }

    fn r(&self) -> &'a super::chunk::Rec {
        &self.chunk.recs[self.i]
    }

    pub fn kind(&self) -> Kind {
        self.r().kind
    }
    pub fn slug(&self) -> &'a str {
        self.chunk.text_of(self.r().slug)
    }
    pub fn key(&self) -> Key {
        Key::new(self.kind(), self.slug())
    }
    /// The record's public ID.
    pub fn public_id(&self) -> String {
        self.key().public_id()
    }
    pub fn is_live(&self) -> bool {
        self.r().bits & DELETED == 0
    }
    pub fn name_zh(&self) -> &'a str {
        self.chunk.text_of(self.r().zh)
    }
    pub fn name_en(&self) -> Option<&'a str> {
        self.chunk.str(self.r().en)
    }
    pub fn date(&self) -> Option<&'a str> {
        self.chunk.str(self.chunk.detail(self.i)?.date)
    }
    /// The record's own kind, as the vocabulary `V`.
    pub fn sub<V: Vocabulary>(&self) -> Option<V> {
        self.r().sub.checked_sub(1).and_then(V::from_code)
    }
    /// The record's own kind as stored (`district`, `port` …; `source`/`sector` for those):
    /// the value of the vocabulary its table's `kind` column holds (`vocab::values_of`).
    pub fn sub_str(&self) -> &'static str {
        let kind = self.kind();
        match entity::vocab::values_of(kind.table(), "kind") {
            // Out of a vocabulary only for a value the read model logged when it read it.
            Some(values) => self
                .r()
                .sub
                .checked_sub(1)
                .and_then(|code| values.get(usize::from(code)).copied())
                .unwrap_or_default(),
            None => kind.as_str(),
        }
    }
    /// Platform level or project status, as the vocabulary `V`.
    pub fn tag<V: Vocabulary>(&self) -> Option<V> {
        self.r().tag.checked_sub(1).and_then(V::from_code)
    }
    pub fn updated_at(&self) -> i64 {
        self.r().updated_at
    }
    pub fn number(&self) -> Option<f64> {
        let detail = self.chunk.detail(self.i)?;
        (self.r().bits & HAS_NUMBER != 0).then_some(detail.number)
    }
    pub fn year(&self) -> Option<i32> {
        let detail = self.chunk.detail(self.i)?;
        (self.r().bits & HAS_YEAR != 0).then_some(detail.year)
    }
    pub fn flag(&self) -> bool {
        self.r().bits & FLAG != 0
    }
    /// Partnerships it takes part in (a partnership: its parties and projects).
    pub fn degree(&self) -> u32 {
        self.r().degree
    }
    /// A kind-specific text field (`body`, `publisher`, `date_note`, `value_text` …).
    pub fn extra(&self, field: &str) -> Option<&'a str> {
        let i = extra_index(self.kind(), field)?;
        self.chunk.str(*self.chunk.extra.get(self.i).get(i)?)
    }
    pub fn aliases(self) -> impl Iterator<Item = &'a str> + 'a {
        let chunk = self.chunk;
        chunk.aliases.get(self.i).iter().map(|s| chunk.text_of(*s))
    }
    /// Every link, ordered by relation, direction, party order and other end.
    pub fn links(&self) -> &'a [PackedLink] {
        self.chunk.links.get(self.i)
    }
    /// The links of one relation in one direction.
    pub fn links_of(&self, relation: Relation, dir: Dir) -> &'a [PackedLink] {
        let all = self.links();
        let key = (relation as u8, dir == Dir::In);
        let of = |l: &PackedLink| (l.relation, l.dir_role & 0x80 != 0);
        let start = all.partition_point(|l| of(l) < key);
        let end = start + all[start..].partition_point(|l| of(l) == key);
        &all[start..end]
    }
    /// The other ends of one relation in one direction, live records only.
    pub fn targets(self, relation: Relation, dir: Dir) -> impl Iterator<Item = Id> + 'a {
        let snap = self.snap;
        self.links_of(relation, dir)
            .iter()
            .map(|l| Id(l.other))
            .filter(move |id| snap.rec(*id).is_live())
    }
    /// The one other end of a to-one relation.
    pub fn target(self, relation: Relation) -> Option<Id> {
        self.targets(relation, Dir::Out).next()
    }
    pub fn cites(self) -> impl Iterator<Item = CiteRef<'a>> + 'a {
        let (snap, chunk) = (self.snap, self.chunk);
        let range = chunk.cites.range(self.i);
        chunk
            .cites
            .get(self.i)
            .iter()
            .zip(range)
            .map(move |(c, at)| CiteRef { snap, chunk, c, at })
    }
    /// Where the record's names occur (for a source: every name occurring in it), in order.
    pub fn mentions(self) -> impl Iterator<Item = MentionRef<'a>> + 'a {
        let (snap, kind, id) = (self.snap, self.kind(), self.id);
        self.chunk
            .mentions
            .get(self.i)
            .iter()
            .map(move |m| MentionRef {
                snap,
                m,
                source: if kind == Kind::Source {
                    id
                } else {
                    Id(m.other)
                },
            })
    }
    pub fn milestones(self) -> impl Iterator<Item = MilestoneRef<'a>> + 'a {
        let chunk = self.chunk;
        chunk
            .milestones
            .get(self.i)
            .iter()
            .map(move |m| MilestoneRef { chunk, m })
    }
}

/// One citation of a record.
#[derive(Clone, Copy)]
pub struct CiteRef<'a> {
    snap: &'a Snapshot,
    chunk: &'a Chunk,
    c: &'a Cite,
    /// Its position among the chunk's citations.
    at: usize,
}

fn slot(v: u32) -> Option<u32> {
    (v != NONE).then_some(v)
}

impl<'a> CiteRef<'a> {
    /// The relation it evidences (`zone`, `party` …), `None` for the record itself.
    pub fn relation(&self) -> Option<&'static str> {
        super::chunk::evidence_name(self.c.relation)
    }
    /// The record at the other end of the relation.
    pub fn target(&self) -> Option<Id> {
        slot(self.c.target)
            .filter(|_| self.c.bits & TARGET_IS_NUMBER == 0)
            .map(Id)
    }
    /// The other end when it is a number (a milestone's ordinal).
    pub fn target_number(&self) -> Option<u32> {
        slot(self.c.target).filter(|_| self.c.bits & TARGET_IS_NUMBER != 0)
    }
    pub fn source(&self) -> Option<Id> {
        slot(self.c.source).map(Id)
    }
    pub fn start(&self) -> Option<i32> {
        slot(self.c.start).map(|v| v as i32)
    }
    pub fn end(&self) -> Option<i32> {
        slot(self.c.end).map(|v| v as i32)
    }
    fn texts(&self) -> Option<&'a super::chunk::CiteText> {
        self.chunk.cite_texts(self.c, self.at)
    }
    pub fn quote(&self) -> Option<&'a str> {
        if self.c.bits & QUOTE_IN_SOURCE == 0 {
            return self.texts().and_then(|t| self.chunk.str(t.quote));
        }
        self.snap
            .source_slice(self.source()?, self.c.start, self.c.end)
    }
    pub fn note(&self) -> Option<&'a str> {
        (self.c.bits & TEXT_IS_URL == 0)
            .then(|| self.texts().and_then(|t| self.chunk.str(t.text)))
            .flatten()
    }
    pub fn source_url(&self) -> Option<&'a str> {
        (self.c.bits & TEXT_IS_URL != 0)
            .then(|| self.texts().and_then(|t| self.chunk.str(t.text)))
            .flatten()
    }
}

/// One mention: a name at a place in a source.
#[derive(Clone, Copy)]
pub struct MentionRef<'a> {
    snap: &'a Snapshot,
    m: &'a Mention,
    source: Id,
}

impl<'a> MentionRef<'a> {
    /// The other end: the source (on an entity) or the entity (on a source).
    pub fn other(&self) -> Id {
        Id(self.m.other)
    }
    pub fn source(&self) -> Id {
        self.source
    }
    pub fn start(&self) -> u32 {
        self.m.start
    }
    pub fn end(&self) -> u32 {
        self.m.end
    }
    /// The surface form found, as it stands in the source.
    pub fn surface(&self) -> &'a str {
        // The loader found the mention at these offsets of this text.
        self.snap
            .source_slice(self.source, self.m.start, self.m.end)
            .unwrap_or_default()
    }
}

/// One milestone of a project.
#[derive(Clone, Copy)]
pub struct MilestoneRef<'a> {
    chunk: &'a Chunk,
    m: &'a Milestone,
}

impl<'a> MilestoneRef<'a> {
    pub fn ordinal(&self) -> i32 {
        self.m.ordinal
    }
    pub fn date(&self) -> &'a str {
        self.chunk.text_of(self.m.date)
    }
    pub fn event_zh(&self) -> &'a str {
        self.chunk.text_of(self.m.zh)
    }
    pub fn event_en(&self) -> Option<&'a str> {
        self.chunk.str(self.m.en)
    }
    pub fn date_note(&self) -> Option<&'a str> {
        self.chunk.str(self.m.note)
    }
}
