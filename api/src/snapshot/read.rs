//! Reading the graph's rows from the database in the read model's owned form: records with the
//! relations they state (as keys, resolved to IDs later), and the rows they own (aliases,
//! citations, mentions, milestones). Used whole by the build and for a few records by `apply`.
use entity::ids::{Key, Kind};
use entity::relation::{PARTY_COLUMNS, Relation, SUBJECT_COLUMNS, Storage};
use entity::vocab::{self, Vocabulary};
use entity::*;
use futures_util::StreamExt;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, ModelTrait, QueryFilter, StreamTrait, Value};

use super::data::{CiteData, MilestoneData, RecordData, extra_index};

/// Which rows to read: all of them, or those owned by these slugs (or sources).
#[derive(Clone, Copy)]
pub enum Which<'a> {
    All,
    Slugs(&'a [String]),
}

/// Most slugs in one `IN (…)` list.
const BATCH: usize = 500;

/// A relation a record states, before its ends are resolved to IDs.
#[derive(Clone, Debug)]
pub struct Ref {
    pub owner: Key,
    pub relation: Relation,
    pub target: Key,
    pub role: u8,
    pub ordinal: u16,
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

/// Rows read for a set of records.
#[derive(Default)]
pub struct Raw {
    pub records: Vec<RecordData>,
    pub refs: Vec<Ref>,
    pub aliases: Vec<(Key, String)>,
    pub cites: Vec<RawCite>,
    pub mentions: Vec<RawMention>,
    pub milestones: Vec<(String, MilestoneData)>,
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
    let batches: Vec<Option<&[String]>> = match which {
        Which::All => vec![None],
        Which::Slugs(slugs) => slugs.chunks(BATCH).map(Some).collect(),
    };
    for batch in batches {
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

impl Raw {
    fn record(&mut self, mut data: RecordData, updated: chrono::DateTime<chrono::Utc>) {
        data.updated_at = nanos(updated);
        self.records.push(data);
    }

    /// The relations a record states in its own columns, read as the relation table declares
    /// them (`Storage::Column`, and a metric's subject columns).
    fn column_refs<M>(&mut self, kind: Kind, slug: &str, model: &M)
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
                    self.refs.push(Ref {
                        owner: Key::new(kind, slug),
                        relation: def.relation,
                        target: Key::new(target_kind, target.as_str()),
                        role: 0,
                        ordinal: 0,
                    });
                }
            }
        }
    }

    fn set_extra(data: &mut RecordData, field: &str, value: Option<String>) {
        if let Some(i) = extra_index(data.kind, field) {
            data.extra[i] = value;
        }
    }
}

/// Reads the records of `kind` in `which`, with the relations they state and the rows they
/// own.
pub async fn read_kind<C>(db: &C, kind: Kind, which: Which<'_>, raw: &mut Raw) -> Result<(), DbErr>
where
    C: ConnectionTrait + StreamTrait,
{
    read_records(db, kind, which, raw).await?;
    read_owned(db, kind, which, raw).await
}

async fn read_records<C>(db: &C, kind: Kind, which: Which<'_>, raw: &mut Raw) -> Result<(), DbErr>
where
    C: ConnectionTrait + StreamTrait,
{
    match kind {
        Kind::Source => {
            rows::<source::Entity, _>(db, "slug", which, None, |m| {
                let mut d = RecordData::new(kind, m.slug, m.title);
                d.date = m.date;
                Raw::set_extra(&mut d, "publisher", Some(m.publisher));
                Raw::set_extra(&mut d, "reporter", m.reporter);
                Raw::set_extra(&mut d, "date_note", m.date_note);
                Raw::set_extra(&mut d, "original_file", Some(m.original_file));
                Raw::set_extra(&mut d, "sha256", Some(m.sha256));
                Raw::set_extra(&mut d, "body", Some(m.body));
                raw.record(d, m.updated_at);
            })
            .await
        }
        Kind::Zone => {
            rows::<zone::Entity, _>(db, "slug", which, None, |m| {
                let key = Key::new(kind, &m.slug);
                raw.column_refs(kind, &m.slug, &m);
                let mut d = RecordData::new(kind, m.slug, m.name_zh);
                d.name_en = m.name_en;
                d.sub = code::<vocab::ZoneKind>(kind, &key.slug, Some(&m.kind));
                raw.record(d, m.updated_at);
            })
            .await
        }
        Kind::Platform => {
            rows::<platform::Entity, _>(db, "slug", which, None, |m| {
                let key = Key::new(kind, &m.slug);
                raw.column_refs(kind, &m.slug, &m);
                let mut d = RecordData::new(kind, m.slug, m.name_zh);
                d.name_en = m.name_en;
                d.sub = code::<vocab::PlatformKind>(kind, &key.slug, Some(&m.kind));
                d.tag = code::<vocab::PlatformLevel>(kind, &key.slug, m.level.as_deref());
                d.number = m.area_km2;
                raw.record(d, m.updated_at);
            })
            .await
        }
        Kind::Project => {
            rows::<project::Entity, _>(db, "slug", which, None, |m| {
                let key = Key::new(kind, &m.slug);
                raw.column_refs(kind, &m.slug, &m);
                let mut d = RecordData::new(kind, m.slug, m.name_zh);
                d.name_en = m.name_en;
                d.sub = code::<vocab::ProjectKind>(kind, &key.slug, Some(&m.kind));
                d.tag = code::<vocab::ProjectStatus>(kind, &key.slug, m.status.as_deref());
                raw.record(d, m.updated_at);
            })
            .await
        }
        Kind::Organization => {
            rows::<organization::Entity, _>(db, "slug", which, None, |m| {
                let key = Key::new(kind, &m.slug);
                raw.column_refs(kind, &m.slug, &m);
                let mut d = RecordData::new(kind, m.slug, m.name_zh);
                d.name_en = m.name_en;
                d.sub = code::<vocab::OrganizationKind>(kind, &key.slug, Some(&m.kind));
                raw.record(d, m.updated_at);
            })
            .await
        }
        Kind::Document => {
            rows::<document::Entity, _>(db, "slug", which, None, |m| {
                let key = Key::new(kind, &m.slug);
                raw.column_refs(kind, &m.slug, &m);
                let mut d = RecordData::new(kind, m.slug, m.title_zh);
                d.name_en = m.title_en;
                d.sub = code::<vocab::DocumentKind>(kind, &key.slug, Some(&m.kind));
                d.date = m.date;
                Raw::set_extra(&mut d, "date_note", m.date_note);
                raw.record(d, m.updated_at);
            })
            .await
        }
        Kind::Sector => {
            rows::<sector::Entity, _>(db, "slug", which, None, |m| {
                let mut d = RecordData::new(kind, m.slug, m.name_zh);
                d.name_en = m.name_en;
                raw.record(d, m.updated_at);
            })
            .await
        }
        Kind::Partnership => {
            rows::<partnership::Entity, _>(db, "slug", which, None, |m| {
                let key = Key::new(kind, &m.slug);
                raw.column_refs(kind, &m.slug, &m);
                let mut d = RecordData::new(kind, m.slug, m.name_zh);
                d.name_en = m.name_en;
                d.sub = code::<vocab::PartnershipKind>(kind, &key.slug, Some(&m.kind));
                d.flag = m.descriptive_name;
                d.date = m.date;
                Raw::set_extra(&mut d, "date_note", m.date_note);
                raw.record(d, m.updated_at);
            })
            .await
        }
        Kind::Metric => {
            rows::<metric::Entity, _>(db, "slug", which, None, |m| {
                raw.column_refs(kind, &m.slug, &m);
                let mut d = RecordData::new(kind, m.slug, m.name_zh);
                d.name_en = m.name_en;
                d.number = Some(m.value);
                d.year = m.year;
                d.flag = m.is_target;
                Raw::set_extra(&mut d, "value_text", Some(m.value_text));
                Raw::set_extra(&mut d, "unit", Some(m.unit));
                raw.record(d, m.updated_at);
            })
            .await
        }
    }
}

/// The junction relations records of `kind` state.
fn junctions(kind: Kind) -> Vec<Relation> {
    Relation::from_kind(kind)
        .filter(|d| matches!(d.storage, Storage::Junction(..)))
        .map(|d| d.relation)
        .collect()
}

async fn read_owned<C>(db: &C, kind: Kind, which: Which<'_>, raw: &mut Raw) -> Result<(), DbErr>
where
    C: ConnectionTrait + StreamTrait,
{
    for relation in junctions(kind) {
        read_junction(db, relation, which, raw).await?;
    }
    if kind == Kind::Partnership {
        rows::<partnership_party::Entity, _>(db, "partnership", which, None, |p| {
            let party = PARTY_COLUMNS
                .iter()
                .zip([&p.zone, &p.platform, &p.organization])
                .find_map(|((k, _), s)| s.as_ref().map(|s| Key::new(*k, s)));
            let Some(target) = party else {
                tracing::error!(partnership = %p.partnership, "a party row names no party");
                return;
            };
            raw.refs.push(Ref {
                owner: Key::new(Kind::Partnership, &p.partnership),
                relation: Relation::PartnershipParty,
                target,
                role: code::<vocab::PartyRole>(kind, &p.partnership, Some(&p.role)),
                ordinal: u16::try_from(p.ordinal).unwrap_or(u16::MAX),
            });
        })
        .await?;
    }
    if kind == Kind::Project {
        rows::<milestone::Entity, _>(db, "project", which, None, |m| {
            raw.milestones.push((
                m.project,
                MilestoneData {
                    ordinal: m.ordinal,
                    date: m.date,
                    event_zh: m.event_zh,
                    event_en: m.event_en,
                    date_note: m.date_note,
                },
            ));
        })
        .await?;
    }
    let of_kind = |col: &'static str| Some(Expr::col(col).eq(kind.as_str()));
    rows::<alias::Entity, _>(db, "entity_slug", which, of_kind("entity_kind"), |a| {
        raw.aliases.push((Key::new(kind, a.entity_slug), a.alias));
    })
    .await?;
    rows::<citation::Entity, _>(db, "owner_slug", which, of_kind("owner_kind"), |c| {
        raw.cites.push(RawCite {
            owner: Key::new(kind, c.owner_slug),
            source: c.source,
            data: CiteData {
                relation: c.relation,
                target: c.target,
                ordinal: c.ordinal,
                source: None,
                source_url: c.source_url,
                quote: c.quote,
                start: c.start_offset,
                end: c.end_offset,
                note: c.note,
            },
        });
    })
    .await?;
    rows::<mention::Entity, _>(db, "entity_slug", which, of_kind("entity_kind"), |m| {
        raw.mentions.push(mention(kind, m));
    })
    .await
}

fn mention(kind: Kind, m: mention::Model) -> RawMention {
    RawMention {
        entity: Key::new(kind, m.entity_slug),
        source: m.source,
        start: u32::try_from(m.start_offset).unwrap_or_default(),
        end: u32::try_from(m.end_offset).unwrap_or_default(),
    }
}

/// The mentions found in the sources `which` (for a changed source).
pub async fn read_mentions_in<C>(db: &C, which: Which<'_>, raw: &mut Raw) -> Result<(), DbErr>
where
    C: ConnectionTrait + StreamTrait,
{
    rows::<mention::Entity, _>(db, "source", which, None, |m| {
        if let Some(kind) = Kind::parse(&m.entity_kind) {
            raw.mentions.push(mention(kind, m));
        }
    })
    .await
}

/// A junction relation's rows (`Storage::Junction`), read by the table and columns the
/// relation table names.
async fn read_junction<C>(
    db: &C,
    relation: Relation,
    which: Which<'_>,
    raw: &mut Raw,
) -> Result<(), DbErr>
where
    C: ConnectionTrait + StreamTrait,
{
    let def = relation.def();
    let Storage::Junction(table, owner, target) = def.storage else {
        return Ok(());
    };
    let batches: Vec<Option<&[String]>> = match which {
        Which::All => vec![None],
        Which::Slugs(slugs) => slugs.chunks(BATCH).map(Some).collect(),
    };
    for batch in batches {
        let mut select = Query::select();
        select.columns([owner, target]).from(table);
        if let Some(slugs) = batch {
            select.and_where(Expr::col(owner).is_in(slugs.iter().cloned()));
        }
        let stmt = ConnectionTrait::get_database_backend(db).build(&select);
        let mut stream = std::pin::pin!(db.stream_raw(stmt).await?);
        while let Some(row) = stream.next().await {
            let row = row?;
            raw.refs.push(Ref {
                owner: Key::new(def.from, row.try_get_by_index::<String>(0)?),
                relation,
                target: Key::new(def.to[0], row.try_get_by_index::<String>(1)?),
                role: 0,
                ordinal: 0,
            });
        }
    }
    Ok(())
}
