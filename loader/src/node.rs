//! The normalised form every record takes before validation: one `Node` per record, whatever its
//! kind, so that names, citations and relation evidence are checked by one piece of code.
use std::fmt;
use std::sync::Arc;

use entity::ids::Kind;
use serde::Serialize;

use crate::seed::CitationSeed;

/// Where a record or value was written: file and 1-based line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loc {
    pub file: Arc<str>,
    pub line: usize,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// A problem found in the seeds, reported as `file:line: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub at: Loc,
    pub message: String,
    /// A whole file is missing, unreadable or unparseable: reported first, since problems
    /// elsewhere (references to its records) usually follow from it.
    pub file_level: bool,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

impl Problem {
    pub fn new(at: &Loc, message: impl Into<String>) -> Self {
        Problem {
            at: at.clone(),
            message: message.into(),
            file_level: false,
        }
    }

    /// A problem with a whole file (see `file_level`).
    pub fn file(at: &Loc, message: impl Into<String>) -> Self {
        Problem {
            file_level: true,
            ..Problem::new(at, message)
        }
    }
}

/// A column value; serialisable so it takes part in a relation row's key (`rows::content_key`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Cell {
    Text(Option<String>),
    Int(Option<i64>),
    Float(Option<f64>),
    Bool(bool),
}

impl Cell {
    /// The value as JSON, as the column's model serialises it (a non-finite float is null).
    pub fn json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Cell::Text(s) => s.clone().map_or(Value::Null, Value::String),
            Cell::Int(i) => i.map_or(Value::Null, Value::from),
            Cell::Float(f) => f.map_or(Value::Null, Value::from),
            Cell::Bool(b) => Value::Bool(*b),
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(Some(s.to_owned()))
    }
}
impl From<&String> for Cell {
    fn from(s: &String) -> Self {
        Cell::Text(Some(s.clone()))
    }
}
impl From<&Option<String>> for Cell {
    fn from(s: &Option<String>) -> Self {
        Cell::Text(s.clone())
    }
}
impl From<&f64> for Cell {
    fn from(f: &f64) -> Self {
        Cell::Float(Some(*f))
    }
}
impl From<&Option<f64>> for Cell {
    fn from(f: &Option<f64>) -> Self {
        Cell::Float(*f)
    }
}
impl From<&Option<i32>> for Cell {
    fn from(i: &Option<i32>) -> Self {
        Cell::Int(i.map(i64::from))
    }
}
impl From<&bool> for Cell {
    fn from(b: &bool) -> Self {
        Cell::Bool(*b)
    }
}

/// `columns!(seed; a, b)`: the columns `a` and `b` with the values of `seed`'s fields of the same
/// names, in that order.
macro_rules! columns {
    ($seed:expr; $($field:ident),* $(,)?) => {
        vec![$((stringify!($field), $crate::node::Cell::from(&$seed.$field))),*]
    };
}
pub(crate) use columns;

/// A citation as written plus, after validation, where its quote lies in the source (characters).
#[derive(Clone, Debug)]
pub struct Quote {
    pub at: Loc,
    pub source: String,
    /// An external provenance URL (partner feeds), instead of `source`.
    pub source_url: Option<String>,
    pub quote: String,
    pub start: Option<i64>,
    pub end: Option<i64>,
}

impl Quote {
    pub fn new(at: Loc, seed: &CitationSeed) -> Self {
        Quote {
            at,
            source: seed.source.clone(),
            source_url: seed.source_url.clone(),
            quote: seed.quote.clone(),
            start: None,
            end: None,
        }
    }

    /// A quote from one of Baygraph's sources given by its own fields rather than as a
    /// `citations` entry (a milestone's, a party's own evidence): never an external URL.
    pub fn in_source(at: Loc, source: &str, quote: &str) -> Self {
        Quote {
            at,
            source: source.to_owned(),
            source_url: None,
            quote: quote.to_owned(),
            start: None,
            end: None,
        }
    }
}

/// What makes a relation true: one of the record's own quotes, a quote of its own, or a note.
#[derive(Clone, Debug)]
pub enum Evidence {
    /// Not yet resolved (only before validation).
    Pending,
    /// Index into the record's citations.
    Citation(usize),
    /// A quote given for this relation alone (boxed: most relations have none, and a relation is
    /// then a third of the size).
    Own(Box<Quote>),
    /// A curator's note (administrative fact not stated in the sources).
    Note(String),
    /// The relation needs no separate evidence (a metric's subject is what its quote is about).
    Record,
}

/// A relation from this record to another: a foreign key, a party, a covered project, a sector.
#[derive(Clone, Debug)]
pub struct Relation {
    /// `parent`, `zone`, `platform`, `document`, `issuer_zone`, `issuer_organization`, `party`,
    /// `project`, `sector` or `subject`.
    pub name: &'static str,
    pub target_kind: Kind,
    pub target: String,
    /// A party's role.
    pub role: Option<String>,
    pub at: Loc,
    pub evidence: Evidence,
    /// The abbreviation (`abbreviations.toml`) or defined term (`defined_terms.toml`) through
    /// which the evidence names the target, if the evidence names it only that way.
    pub via: Option<String>,
    /// Why the evidence names only the target, not the record (seeds/README.md, rule 7), and
    /// where that was written.
    pub contextual: Option<(String, Loc)>,
}

impl Relation {
    /// A relation of the relation table, `of`, to a record of `target_kind` (one of its ends),
    /// with no role, written directly (not through an abbreviation or defined term) and not
    /// marked contextual: what a seed field states before `contextual` markers and validation
    /// refine it. Its name is the table's seed field.
    pub fn new(
        of: entity::relation::Relation,
        target_kind: Kind,
        target: String,
        at: Loc,
        evidence: Evidence,
    ) -> Self {
        let def = of.def();
        debug_assert!(
            def.to.contains(&target_kind),
            "{of:?} does not lead to {target_kind}"
        );
        Relation {
            name: def.field,
            target_kind,
            target,
            role: None,
            at,
            evidence,
            via: None,
            contextual: None,
        }
    }
}

/// A project milestone with its own quote.
#[derive(Clone, Debug)]
pub struct Milestone {
    pub date: String,
    pub event_zh: String,
    pub event_en: Option<String>,
    pub quote: Quote,
    pub date_note: Option<String>,
}

/// A record as the name matchers (abbreviations, defined terms, mentions) see it: its kind, its
/// slug and the strings that name it. A whole [`Node`] is one; a load that streams its records
/// keeps only `validate::Stub`s of the others.
pub trait Named {
    fn kind(&self) -> Kind;
    fn slug(&self) -> &str;
    fn surface_forms(&self) -> impl Iterator<Item = &str>;
}

impl Named for Node {
    fn kind(&self) -> Kind {
        self.kind
    }
    fn slug(&self) -> &str {
        &self.slug
    }
    fn surface_forms(&self) -> impl Iterator<Item = &str> {
        Node::surface_forms(self)
    }
}

/// One record of any kind, normalised.
#[derive(Clone, Debug)]
pub struct Node {
    pub kind: Kind,
    pub slug: String,
    pub at: Loc,
    /// The name as written in the sources (for documents, the title without 《》).
    pub name_zh: String,
    pub descriptive_name: bool,
    pub aliases: Vec<String>,
    pub citations: Vec<Quote>,
    /// The record table's own columns (besides `slug` and the shared tail).
    pub columns: Vec<(&'static str, Cell)>,
    pub relations: Vec<Relation>,
    pub milestones: Vec<Milestone>,
    /// For metrics: the figure as written, which must occur in a quote.
    pub value_text: Option<String>,
    /// A record already in the database, present only so references to it resolve (never written).
    pub external: bool,
    /// Why a platform or project has no location (seed field `unlocated`); reported, not stored.
    pub unlocated: Option<String>,
    /// The content hash, when it was taken before a large column was set aside (a source's
    /// `body`, kept once in `Graph::sources`); otherwise computed when the row is made.
    pub content_hash: Option<String>,
}

impl Node {
    /// A record of `kind` with its name and nothing else yet: every kind's node starts here, so
    /// a field added to `Node` is given its empty value in one place.
    pub fn new(kind: Kind, slug: String, at: Loc, name_zh: String) -> Node {
        Node {
            kind,
            slug,
            at,
            name_zh,
            descriptive_name: false,
            aliases: vec![],
            citations: vec![],
            columns: vec![],
            relations: vec![],
            milestones: vec![],
            value_text: None,
            external: false,
            unlocated: None,
            content_hash: None,
        }
    }

    /// A record stored elsewhere (in the database, or in another part of a feed), present only
    /// so references to it resolve and evidence can name it; `name_zh`, when empty, is not a
    /// form (descriptive).
    pub fn external(
        kind: Kind,
        slug: String,
        at: Loc,
        name_zh: String,
        aliases: Vec<String>,
    ) -> Node {
        Node {
            descriptive_name: name_zh.is_empty(),
            aliases,
            external: true,
            ..Node::new(kind, slug, at, name_zh)
        }
    }

    /// The sources this record's quotes point into (its citations, milestones and relation
    /// evidence of its own); partner quotes of an external page have none.
    pub fn quoted_sources(&self) -> impl Iterator<Item = &str> {
        let own = self.relations.iter().filter_map(|r| match &r.evidence {
            Evidence::Own(q) => Some(&**q),
            _ => None,
        });
        self.citations
            .iter()
            .chain(self.milestones.iter().map(|m| &m.quote))
            .chain(own)
            .map(|q| q.source.as_str())
            .filter(|s| !s.is_empty())
    }

    /// The strings that count as this record being named: the name (unless descriptive) and aliases.
    pub fn surface_forms(&self) -> impl Iterator<Item = &str> {
        let name =
            (!self.descriptive_name && self.kind != Kind::Metric && self.kind != Kind::Source)
                .then_some(self.name_zh.as_str());
        name.into_iter()
            .chain(self.aliases.iter().map(String::as_str))
            .filter(|s| !s.is_empty())
    }
}
