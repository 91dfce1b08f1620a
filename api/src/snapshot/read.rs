//! Reading the graph's rows from the database in the read model's owned form: records with the
//! relations they state (as keys, resolved to IDs later), and the rows they own (aliases,
//! citations, mentions, milestones). Used whole by the build and for a few records by `apply`.
use entity::columns::{Columns, FromColumns};
use entity::ids::{Key, Kind, KindOf};
use entity::relation::{PARTY_COLUMNS, Relation, SUBJECT_COLUMNS, Storage};
use entity::vocab::{self, Vocabulary};
use entity::*;
use futures_util::StreamExt;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{
    ConnectionTrait, DbErr, EntityTrait, ModelTrait, QueryFilter, QueryResult, StreamTrait, Value,
};

use super::data::{CiteData, Dir, Id, Link, MilestoneData, RecordData, extra_index};

/// Which rows to read: all of them, or those owned by these slugs (or sources).
#[derive(Clone, Copy)]
pub enum Which<'a> {
    All,
    Slugs(&'a [String]),
}

/// Most slugs in one `IN (…)` list.
const BATCH: usize = 500;

/// Where rows read from the database go. Keys arrive as `(kind, slug)`, borrowed from the row:
/// the full build resolves them to IDs at once, an update keeps them (`Raw`).
pub trait Sink: Send {
    fn record(&mut self, data: RecordData);
    /// A relation a record states, its ends as the row names them.
    fn link(&mut self, link: Ref<(Kind, &str)>);
    fn alias(&mut self, owner: (Kind, &str), alias: String);
    /// A citation; `source` is the source's slug.
    fn cite(&mut self, owner: (Kind, &str), source: Option<&str>, data: CiteData);
    fn mention(&mut self, entity: (Kind, &str), source: &str, start: u32, end: u32);
    fn milestone(&mut self, project: &str, data: MilestoneData);
}

/// A relation a record states, before its ends are resolved to IDs: its ends as keys (`K`), or
/// as a row names them (`(Kind, &str)`, what a read hands its sink).
#[derive(Clone, Debug)]
pub struct Ref<K = Key> {
    pub owner: K,
    pub relation: Relation,
    pub target: K,
    pub role: u8,
    pub ordinal: u16,
}

impl<K> Ref<K> {
    /// Both ends of the relation, once its owner is `from` and its target `to`.
    pub fn ends(&self, from: Id, to: Id) -> (Link, Link) {
        let link = |dir, other| Link {
            relation: self.relation,
            dir,
            ordinal: self.ordinal,
            other,
            role: self.role,
        };
        (link(Dir::Out, to), link(Dir::In, from))
    }
}

/// A citation before its source is resolved.
pub struct RawCite {
    pub owner: Key,
    pub source: Option<String>,
    pub data: CiteData,
}

/// A mention before its ends are resolved (character offsets).
pub struct RawMention {
    pub entity: Key,
    pub source: String,
    pub start: u32,
    pub end: u32,
}

/// Rows read for a few records, kept with their keys.
#[derive(Default)]
pub struct Raw {
    pub records: Vec<RecordData>,
    pub refs: Vec<Ref>,
    pub aliases: Vec<(Key, String)>,
    pub cites: Vec<RawCite>,
    pub mentions: Vec<RawMention>,
    pub milestones: Vec<(String, MilestoneData)>,
}

fn key((kind, slug): (Kind, &str)) -> Key {
    Key::new(kind, slug)
}

impl Sink for Raw {
    fn record(&mut self, data: RecordData) {
        self.records.push(data);
    }
    fn link(&mut self, link: Ref<(Kind, &str)>) {
        self.refs.push(Ref {
            owner: key(link.owner),
            relation: link.relation,
            target: key(link.target),
            role: link.role,
            ordinal: link.ordinal,
        });
    }
    fn alias(&mut self, owner: (Kind, &str), alias: String) {
        self.aliases.push((key(owner), alias));
    }
    fn cite(&mut self, owner: (Kind, &str), source: Option<&str>, data: CiteData) {
        self.cites.push(RawCite {
            owner: key(owner),
            source: source.map(str::to_owned),
            data,
        });
    }
    fn mention(&mut self, entity: (Kind, &str), source: &str, start: u32, end: u32) {
        self.mentions.push(RawMention {
            entity: key(entity),
            source: source.to_owned(),
            start,
            end,
        });
    }
    fn milestone(&mut self, project: &str, data: MilestoneData) {
        self.milestones.push((project.to_owned(), data));
    }
}

/// Which slugs `which` names, in `IN (…)`-sized batches (`None`: all rows, one batch).
fn batches<'a>(which: Which<'a>) -> Vec<Option<&'a [String]>> {
    match which {
        Which::All => vec![None],
        Which::Slugs(slugs) => slugs.chunks(BATCH).map(Some).collect(),
    }
}

/// Calls `each` with every model of `E` whose `column` is in `which` (and `also` holds).
async fn rows<E, C>(
    db: &C,
    column: &'static str,
    which: Which<'_>,
    also: Option<SimpleExpr>,
    mut each: impl FnMut(E::Model),
) -> Result<(), DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait + StreamTrait,
{
    for batch in batches(which) {
        let mut find = E::find();
        if let Some(slugs) = batch {
            find = find.filter(Expr::col(column).is_in(slugs.iter().cloned()));
        }
        if let Some(cond) = &also {
            find = find.filter(cond.clone());
        }
        let mut stream = find.stream(db).await?;
        while let Some(model) = stream.next().await {
            each(model?);
        }
    }
    Ok(())
}

fn code<V: Vocabulary>(kind: Kind, slug: &str, stored: Option<&str>) -> u8 {
    match stored {
        None => 0,
        Some(s) => V::parse(s).map_or_else(
            || {
                tracing::error!(%kind, slug, value = s, vocabulary = V::NAME, "a stored value is outside its vocabulary");
                0
            },
            |v| v.code() + 1,
        ),
    }
}

fn nanos(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_nanos_opt().unwrap_or(i64::MAX)
}

/// A record with its last change.
fn record(sink: &mut dyn Sink, mut data: RecordData, updated: chrono::DateTime<chrono::Utc>) {
    data.updated_at = nanos(updated);
    sink.record(data);
}

fn set_extra(data: &mut RecordData, field: &str, value: Option<String>) {
    if let Some(i) = extra_index(data.kind, field) {
        data.extra[i] = value;
    }
}

/// The relations a record states in its own columns, read as the relation table declares them
/// (`Storage::Column`, and a metric's subject columns).
fn column_refs<M>(sink: &mut dyn Sink, kind: Kind, slug: &str, model: &M)
where
    M: ModelTrait,
    <M::Entity as EntityTrait>::Column: std::str::FromStr,
{
    for def in Relation::from_kind(kind) {
        let columns: Vec<(Kind, &str)> = match def.storage {
            Storage::Column(column) => vec![(def.to[0], column)],
            Storage::Subject => SUBJECT_COLUMNS.to_vec(),
            _ => continue,
        };
        for (target_kind, column) in columns {
            let Ok(column) = column.parse() else {
                tracing::error!(%kind, column, "the relation table names a column the entity lacks");
                continue;
            };
            if let Value::String(Some(target)) = model.get(column) {
                sink.link(Ref {
                    owner: (kind, slug),
                    relation: def.relation,
                    target: (target_kind, target.as_str()),
                    role: 0,
                    ordinal: 0,
                });
            }
        }
    }
}

/// A record model into the read model's form: the record, and the relations its own columns
/// state, into `sink`. The same whether the model came from a query or a build's COPY.
pub trait IntoRecord: ModelTrait + FromColumns + Send {
    fn into_record(self, sink: &mut dyn Sink);
}

impl IntoRecord for source::Model {
    fn into_record(self, sink: &mut dyn Sink) {
        let m = self;
        let mut d = RecordData::new(Kind::Source, m.slug, m.title);
        d.date = m.date;
        set_extra(&mut d, "publisher", Some(m.publisher));
        set_extra(&mut d, "reporter", m.reporter);
        set_extra(&mut d, "date_note", m.date_note);
        set_extra(&mut d, "original_file", Some(m.original_file));
        set_extra(&mut d, "url", m.url);
        set_extra(&mut d, "url_note", m.url_note);
        set_extra(&mut d, "sha256", Some(m.sha256));
        set_extra(&mut d, "body", Some(m.body));
        record(sink, d, m.updated_at);
    }
}

/// A named record of `$module`: the relations its columns state, its slug and names (from the
/// columns `$zh`, `$en`) and its last change, around what `$fill` reads for its kind.
macro_rules! named {
    ($module:ident, $zh:ident, $en:ident, |$kind:ident, $d:ident, $m:ident| $fill:block) => {
        impl IntoRecord for $module::Model {
            fn into_record(self, sink: &mut dyn Sink) {
                let $m = self;
                let $kind = <$module::Entity as KindOf>::KIND;
                column_refs(sink, $kind, &$m.slug, &$m);
                #[allow(unused_mut)] // a sector adds nothing
                let mut $d = RecordData::new($kind, $m.slug, $m.$zh);
                $d.name_en = $m.$en;
                $fill
                record(sink, $d, $m.updated_at);
            }
        }
    };
}

named!(zone, name_zh, name_en, |kind, d, m| {
    d.sub = code::<vocab::ZoneKind>(kind, &d.slug, Some(&m.kind));
});
named!(platform, name_zh, name_en, |kind, d, m| {
    d.sub = code::<vocab::PlatformKind>(kind, &d.slug, Some(&m.kind));
    d.tag = code::<vocab::PlatformLevel>(kind, &d.slug, m.level.as_deref());
    d.number = m.area_km2;
});
named!(project, name_zh, name_en, |kind, d, m| {
    d.sub = code::<vocab::ProjectKind>(kind, &d.slug, Some(&m.kind));
    d.tag = code::<vocab::ProjectStatus>(kind, &d.slug, m.status.as_deref());
});
named!(organization, name_zh, name_en, |kind, d, m| {
    d.sub = code::<vocab::OrganizationKind>(kind, &d.slug, Some(&m.kind));
});
named!(document, title_zh, title_en, |kind, d, m| {
    d.sub = code::<vocab::DocumentKind>(kind, &d.slug, Some(&m.kind));
    d.date = m.date;
    set_extra(&mut d, "date_note", m.date_note);
});
named!(sector, name_zh, name_en, |kind, d, m| {});
named!(partnership, name_zh, name_en, |kind, d, m| {
    d.sub = code::<vocab::PartnershipKind>(kind, &d.slug, Some(&m.kind));
    d.flag = m.descriptive_name;
    d.date = m.date;
    set_extra(&mut d, "date_note", m.date_note);
});
named!(metric, name_zh, name_en, |kind, d, m| {
    d.number = Some(m.value);
    d.year = m.year;
    d.flag = m.is_target;
    d.tag = code::<vocab::Qualifier>(kind, &d.slug, Some(&m.qualifier));
    set_extra(&mut d, "value_text", Some(m.value_text));
    set_extra(&mut d, "unit", Some(m.unit));
    // Display of an f64 is the shortest text that parses back to the same number.
    set_extra(&mut d, "value_max", m.value_max.map(|v| v.to_string()));
    set_extra(&mut d, "as_of", m.as_of);
});

/// Where rows are read from, and which: what every read below takes.
pub struct Reader<'a, C> {
    pub db: &'a C,
    pub which: Which<'a>,
}

// Copied whatever `C` is (derived, it would be only for a `C` that is `Copy`).
impl<C> Clone for Reader<'_, C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C> Copy for Reader<'_, C> {}

impl<C> Reader<'_, C>
where
    C: ConnectionTrait + StreamTrait,
{
    /// Reads the records of `kind` in `which`, with the relations they state and the rows they
    /// own.
    pub async fn kind(self, kind: Kind, raw: &mut dyn Sink) -> Result<(), DbErr> {
        self.records(kind, &mut *raw).await?;
        self.owned(kind, raw).await
    }

    /// Reads the records of `kind` in `which`.
    pub async fn records(self, kind: Kind, raw: &mut dyn Sink) -> Result<(), DbErr> {
        let Reader { db, which } = self;
        entity::with_entity!(kind, E => rows::<E, _>(db, "slug", which, None, |m| m.into_record(raw)).await)
    }

    /// The rows records of `kind` in `which` own: their junction rows, parties, milestones,
    /// aliases, citations and mentions.
    pub async fn owned(self, kind: Kind, raw: &mut dyn Sink) -> Result<(), DbErr> {
        self.relations(kind, &mut *raw).await?;
        self.annotations(Some(kind), raw).await
    }

    /// The junction rows, parties and milestones of the records of `kind` in `which`.
    pub async fn relations(self, kind: Kind, raw: &mut dyn Sink) -> Result<(), DbErr> {
        for relation in junctions(kind) {
            self.junction(relation, raw).await?;
        }
        if kind == Kind::Partnership {
            self.parties(raw).await?;
        }
        if kind == Kind::Project {
            self.milestones(raw).await?;
        }
        Ok(())
    }

    /// The parties of the partnerships in `which`.
    pub async fn parties(self, raw: &mut dyn Sink) -> Result<(), DbErr> {
        rows::<partnership_party::Entity, _>(self.db, "partnership", self.which, None, |p| {
        let party = PARTY_COLUMNS
            .iter()
            .zip([&p.zone, &p.platform, &p.organization])
            .find_map(|((k, _), s)| s.as_deref().map(|s| (*k, s)));
        let Some(target) = party else {
            tracing::error!(partnership = %p.partnership, "a party row names no party");
            return;
        };
        let role = code::<vocab::PartyRole>(Kind::Partnership, &p.partnership, Some(&p.role));
        let ordinal = u16::try_from(p.ordinal).unwrap_or_else(|_| {
            tracing::error!(partnership = %p.partnership, ordinal = p.ordinal, "a party's order is out of range");
            u16::MAX
        });
        let owner = (Kind::Partnership, p.partnership.as_str());
        raw.link(Ref { owner, relation: Relation::PartnershipParty, target, role, ordinal });
    })
    .await
    }

    /// The milestones of the projects in `which`.
    pub async fn milestones(self, raw: &mut dyn Sink) -> Result<(), DbErr> {
        rows::<milestone::Entity, _>(self.db, "project", self.which, None, |m| {
            raw.milestone(
                &m.project,
                MilestoneData {
                    ordinal: m.ordinal,
                    date: m.date,
                    event_zh: m.event_zh,
                    event_en: m.event_en,
                    date_note: m.date_note,
                },
            );
        })
        .await
    }

    /// The aliases, citations and mentions of the records of `kind` in `which`; with no kind, of
    /// every record (`which` is then `All`): one scan of each table for a whole build instead of
    /// one per kind, which on SQLite also walked the kind's index row by row.
    pub async fn annotations(self, kind: Option<Kind>, raw: &mut dyn Sink) -> Result<(), DbErr> {
        self.aliases(kind, &mut *raw).await?;
        self.citations(kind, &mut *raw).await?;
        self.mentions(kind, raw).await
    }

    /// The aliases of the records of `kind` (every kind when `None`) in `which`.
    pub async fn aliases(self, kind: Option<Kind>, raw: &mut dyn Sink) -> Result<(), DbErr> {
        let Reader { db, which } = self;
        let columns = ["entity_kind", "entity_slug", "alias"];
        owned_rows(db, kind, which, "aliases", &columns, |owner, row, at| {
            raw.alias(owner, row.try_get_by_index(at + 1)?);
            Ok(())
        })
        .await
    }

    /// The citations of the records of `kind` (every kind when `None`) in `which`.
    pub async fn citations(self, kind: Option<Kind>, raw: &mut dyn Sink) -> Result<(), DbErr> {
        let Reader { db, which } = self;
        // The largest tables are read column by column (only what the read model keeps), not as
        // whole models: most of a citation row is its key hash and origin.
        owned_rows(
            db,
            kind,
            which,
            "citations",
            &CITATION_COLUMNS,
            |owner, row, at| cite(raw, owner, row, at),
        )
        .await
    }

    /// The mentions of the records of `kind` (every kind when `None`) in `which`.
    pub async fn mentions(self, kind: Option<Kind>, raw: &mut dyn Sink) -> Result<(), DbErr> {
        let Reader { db, which } = self;
        owned_rows(
            db,
            kind,
            which,
            "mentions",
            &MENTION_COLUMNS,
            |owner, row, at| mention(raw, owner, row, at),
        )
        .await
    }

    /// The mentions found in the sources `which` (for a changed source).
    pub async fn mentions_in(self, raw: &mut dyn Sink) -> Result<(), DbErr> {
        select_rows(
            self.db,
            ("mentions", &MENTION_COLUMNS),
            "source",
            self.which,
            None,
            |row| match owner(&row)? {
                Some(owner) => mention(raw, owner, &row, 1),
                None => Ok(()),
            },
        )
        .await
    }

    /// A junction relation's rows (`Storage::Junction`), read by the table and columns the
    /// relation table names.
    pub async fn junction(self, relation: Relation, raw: &mut dyn Sink) -> Result<(), DbErr> {
        let def = relation.def();
        let Storage::Junction(table, owner, target, role) = def.storage else {
            return Ok(());
        };
        let mut columns = vec![owner, target];
        columns.extend(role);
        select_rows(
            self.db,
            (table, &columns[..]),
            owner,
            self.which,
            None,
            |row| {
                let from = row.required_text(0)?;
                let to = row.required_text(1)?;
                let role = match role {
                    // The one junction with a role: an organization's part in a project.
                    Some(_) => {
                        code::<vocab::ProjectRole>(def.from, from, Some(row.required_text(2)?))
                    }
                    None => 0,
                };
                raw.link(Ref {
                    owner: (def.from, from),
                    relation,
                    target: (def.to[0], to),
                    role,
                    ordinal: 0,
                });
                Ok(())
            },
        )
        .await?;
        Ok(())
    }
}

/// The junction relations records of `kind` state.
fn junctions(kind: Kind) -> Vec<Relation> {
    Relation::from_kind(kind)
        .filter(|d| matches!(d.storage, Storage::Junction(..)))
        .map(|d| d.relation)
        .collect()
}

/// Every junction relation, for a whole build.
pub fn all_junctions() -> impl Iterator<Item = Relation> {
    Kind::ALL.into_iter().flat_map(junctions)
}

/// How rows of a table every kind shares are read: with no kind, the kind column comes first
/// and is read per row; with one, it filters the rows and the columns start at the owner's slug.
#[derive(Clone, Copy)]
struct Owners {
    kind: Option<Kind>,
}

impl Owners {
    /// Where the owner's slug is; the columns after it follow.
    fn at(self) -> usize {
        usize::from(self.kind.is_none())
    }

    fn columns(self, kind_column: &'static str, rest: &[&'static str]) -> Vec<&'static str> {
        let own = self.kind.is_none().then_some(kind_column);
        own.into_iter().chain(rest.iter().copied()).collect()
    }

    fn only(self, col: &'static str) -> Option<SimpleExpr> {
        self.kind.map(|k| Expr::col(col).eq(k.as_str()))
    }

    fn owner(self, row: &QueryResult) -> Result<Option<(Kind, &str)>, DbErr> {
        match self.kind {
            Some(kind) => Ok(Some((kind, row.required_text(0)?))),
            None => owner(row),
        }
    }
}

/// Streams the rows of `table` that belong to records of `kind` (every kind when `None`) in
/// `which`. `columns` are the owner's kind and slug columns, then the rest; `each` gets the
/// owner, the row, and where the owner's slug is in it (the rest follow). A row naming an unknown
/// kind is skipped (and logged).
async fn owned_rows<C>(
    db: &C,
    kind: Option<Kind>,
    which: Which<'_>,
    table: &'static str,
    columns: &[&'static str],
    mut each: impl FnMut((Kind, &str), &QueryResult, usize) -> Result<(), DbErr>,
) -> Result<(), DbErr>
where
    C: ConnectionTrait + StreamTrait,
{
    let o = Owners { kind };
    let [kind_column, slug_column, ..] = columns else {
        return Err(DbErr::Custom(format!("{table}: no owner columns")));
    };
    let selected = o.columns(kind_column, &columns[1..]);
    select_rows(
        db,
        (table, &selected),
        slug_column,
        which,
        o.only(kind_column),
        |row| match o.owner(&row)? {
            Some(owner) => each(owner, &row, o.at()),
            None => Ok(()),
        },
    )
    .await
}

/// A mention's columns: the entity's kind, then slug, source and offsets.
pub const MENTION_COLUMNS: [&str; 5] = [
    "entity_kind",
    "entity_slug",
    "source",
    "start_offset",
    "end_offset",
];

/// A citation's columns: the owner's kind, then slug, and what the read model keeps of it.
pub const CITATION_COLUMNS: [&str; 11] = [
    "owner_kind",
    "owner_slug",
    "relation",
    "target",
    "ordinal",
    "source",
    "source_url",
    "quote",
    "start_offset",
    "end_offset",
    "note",
];

/// The owner of a row whose first two columns are a record's kind and slug; `None` (and logged)
/// for a kind this build does not know.
pub fn owner(row: &impl Columns) -> Result<Option<(Kind, &str)>, DbErr> {
    let text = row.required_text(0)?;
    let Some(kind) = Kind::parse(text) else {
        tracing::error!(kind = %text, "a row names an unknown kind");
        return Ok(None);
    };
    Ok(Some((kind, row.required_text(1)?)))
}

/// A citation of `owner`, whose slug is column `at` of `row` (the rest of `CITATION_COLUMNS`
/// follow).
pub fn cite(
    sink: &mut dyn Sink,
    owner: (Kind, &str),
    row: &impl Columns,
    at: usize,
) -> Result<(), DbErr> {
    let owned = |i: usize| row.text(at + i).map(|t| t.map(str::to_owned));
    let data = CiteData {
        relation: owned(1)?,
        target: owned(2)?,
        ordinal: row.required_int(at + 3)?,
        source: None,
        source_url: owned(5)?,
        quote: owned(6)?,
        start: row.int(at + 7)?,
        end: row.int(at + 8)?,
        note: owned(9)?,
    };
    sink.cite(owner, row.text(at + 4)?, data);
    Ok(())
}

/// A mention of `owner`, whose slug is column `at` of `row` (source, start and end follow it).
pub fn mention(
    sink: &mut dyn Sink,
    owner: (Kind, &str),
    row: &impl Columns,
    at: usize,
) -> Result<(), DbErr> {
    // Offsets are character positions the loader computed; a negative one is a broken row.
    let offset = |i: usize| -> Result<u32, DbErr> {
        let value = row.required_int(at + i)?;
        u32::try_from(value)
            .map_err(|_| DbErr::Custom(format!("a mention offset is negative: {value}")))
    };
    sink.mention(owner, row.required_text(at + 1)?, offset(2)?, offset(3)?);
    Ok(())
}

/// Calls `each` with the `columns` of every row of `table` whose `column` is in `which` (and
/// `also` holds).
async fn select_rows<C>(
    db: &C,
    (table, columns): (&'static str, &[&'static str]),
    column: &'static str,
    which: Which<'_>,
    also: Option<SimpleExpr>,
    mut each: impl FnMut(QueryResult) -> Result<(), DbErr>,
) -> Result<(), DbErr>
where
    C: ConnectionTrait + StreamTrait,
{
    for batch in batches(which) {
        let mut select = Query::select();
        select.columns(columns.iter().copied()).from(table);
        if let Some(slugs) = batch {
            select.and_where(Expr::col(column).is_in(slugs.iter().cloned()));
        }
        if let Some(cond) = &also {
            select.and_where(cond.clone());
        }
        let stmt = ConnectionTrait::get_database_backend(db).build(&select);
        let mut stream = std::pin::pin!(db.stream_raw(stmt).await?);
        while let Some(row) = stream.next().await {
            each(row?)?;
        }
    }
    Ok(())
}
