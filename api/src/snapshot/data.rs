//! A record in owned form: what the database says about it, plus the links that point at it.
//! Chunks are encoded from these and decoded back into them when a change touches them, so the
//! full build and an incremental update share one encoder.
use entity::ids::Kind;
use entity::relation::Relation;

/// A record's position in a snapshot; dense, assigned at build, never reused within a snapshot
/// lineage (a deleted record leaves a hole until the next full build).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Id(pub u32);

impl Id {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Which way a link is read from the record holding it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dir {
    /// The record states the relation (`platform.zone`).
    Out,
    /// Another record states it about this one (`zone.platforms`).
    In,
}

/// One end of a relation as seen from one record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Link {
    pub relation: Relation,
    pub dir: Dir,
    /// The party's order within its partnership; 0 for other relations.
    pub ordinal: u16,
    pub other: Id,
    /// The party's role (`PartyRole` code + 1); 0 for other relations.
    pub role: u8,
}

/// A citation: a quote located in a source, an external quote, or a curator's note.
#[derive(Clone, Debug, PartialEq)]
pub struct CiteData {
    /// The relation it evidences (`citations.relation`), `None` for the record itself.
    pub relation: Option<String>,
    /// The other end of that relation: a record key (`zone:huangpu`), or for a milestone its
    /// ordinal.
    pub target: Option<String>,
    pub ordinal: i32,
    pub source: Option<Id>,
    pub source_url: Option<String>,
    pub quote: Option<String>,
    /// Character offsets of the quote in the source.
    pub start: Option<i32>,
    pub end: Option<i32>,
    pub note: Option<String>,
}

/// Where a name occurs in a source (characters); `other` is the source on an entity's side and
/// the entity on the source's side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MentionData {
    pub other: Id,
    pub start: u32,
    pub end: u32,
}

/// A dated event of a project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MilestoneData {
    pub ordinal: i32,
    pub date: String,
    pub event_zh: String,
    pub event_en: Option<String>,
    pub date_note: Option<String>,
}

/// Everything the read model holds about one record.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordData {
    pub kind: Kind,
    pub slug: String,
    /// The Chinese name (a source's or document's title).
    pub name_zh: String,
    pub name_en: Option<String>,
    /// The record's own kind (`ZoneKind` … code + 1); 0 when the kind has none.
    pub sub: u8,
    /// Platform level or project status (code + 1); 0 when none.
    pub tag: u8,
    pub date: Option<String>,
    pub updated_at: i64,
    /// A platform's area or a metric's value.
    pub number: Option<f64>,
    /// A metric's year.
    pub year: Option<i32>,
    /// A partnership's `descriptive_name`, a metric's `is_target`.
    pub flag: bool,
    /// Kind-specific texts, in the order of [`extra_fields`].
    pub extra: Vec<Option<String>>,
    pub aliases: Vec<String>,
    pub links: Vec<Link>,
    pub cites: Vec<CiteData>,
    pub mentions: Vec<MentionData>,
    pub milestones: Vec<MilestoneData>,
    pub deleted: bool,
}

impl RecordData {
    pub fn new(kind: Kind, slug: String, name_zh: String) -> RecordData {
        RecordData {
            kind,
            slug,
            name_zh,
            name_en: None,
            sub: 0,
            tag: 0,
            date: None,
            updated_at: 0,
            number: None,
            year: None,
            flag: false,
            extra: vec![None; extra_fields(kind).len()],
            aliases: vec![],
            links: vec![],
            cites: vec![],
            mentions: vec![],
            milestones: vec![],
            deleted: false,
        }
    }

    /// Sorts the lists into the order readers expect: links by relation, direction, ordinal
    /// and other end; citations by relation, target and ordinal; mentions by position.
    pub fn normalise(&mut self) {
        self.links.sort_unstable();
        self.links.dedup();
        fn key(c: &CiteData) -> (Option<&str>, Option<&str>, i32) {
            (c.relation.as_deref(), c.target.as_deref(), c.ordinal)
        }
        self.cites.sort_by(|a, b| key(a).cmp(&key(b)));
        self.mentions
            .sort_unstable_by_key(|m| (m.other, m.start, m.end));
        self.mentions.dedup();
        self.milestones
            .sort_by(|a, b| (&a.date, a.ordinal).cmp(&(&b.date, b.ordinal)));
    }
}

impl RecordData {
    /// A kind-specific text field (see [`extra_fields`]).
    pub fn extra(&self, field: &str) -> Option<&str> {
        self.extra.get(extra_index(self.kind, field)?)?.as_deref()
    }
}

/// The kind-specific text fields of a record of `kind`, in storage order.
pub fn extra_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Source => &[
            "publisher",
            "reporter",
            "date_note",
            "original_file",
            "url",
            "url_note",
            "sha256",
            "body",
        ],
        Kind::Partnership | Kind::Document => &["date_note"],
        Kind::Metric => &["value_text", "unit", "value_max", "as_of"],
        _ => &[],
    }
}

/// The position of `field` among `kind`'s extra fields.
pub fn extra_index(kind: Kind, field: &str) -> Option<usize> {
    extra_fields(kind).iter().position(|f| *f == field)
}
