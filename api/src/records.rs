//! Records as data partners receive them: the seed format's fields (snake_case) plus `id`, `type`,
//! `updated_at`, aliases, relations and citations. Shared by the exports, the change feed and the
//! GraphQL `changes` field, so every channel describes a record identically.
use std::cmp::Ordering;
use std::collections::HashMap;

use entity::export;
use entity::ids::{Kind, public_id};
use entity::relation::junctions;
use entity::*;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    Condition, ConnectionTrait, DbErr, EntityTrait, IdenStatic, Iterable, Order, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::{Value, json};

/// Which records to read: a keyset page (after a slug) or a set of slugs.
pub enum Select<'a> {
    After(Option<&'a str>, u64),
    Slugs(&'a [String]),
}

async fn models<C, E>(db: &C, select: &Select<'_>) -> Result<Vec<Value>, DbErr>
where
    C: ConnectionTrait,
    E: EntityTrait,
    E::Model: serde::Serialize,
{
    let mut q = E::find().order_by(Expr::col("slug"), Order::Asc);
    match select {
        Select::After(after, limit) => {
            if let Some(a) = after {
                q = q.filter(Expr::col("slug").gt(*a));
            }
            q = q.limit(*limit);
        }
        Select::Slugs(slugs) => q = q.filter(Expr::col("slug").is_in(slugs.iter().cloned())),
    }
    q.all(db).await?.into_iter().map(|m| row(&m)).collect()
}

/// A row as JSON keyed by column name.
fn row<M: serde::Serialize>(model: &M) -> Result<Value, DbErr> {
    serde_json::to_value(model).map_err(|e| DbErr::Custom(format!("cannot serialise a row: {e}")))
}

/// Adds each row of `E` that `owned` selects, in `order`, to the list of its owner (`owner`: the
/// row's owner slug) through `add`.
async fn add_owned<C, E>(
    db: &C,
    owned: Condition,
    order: fn(&E::Model, &E::Model) -> Ordering,
    owner: fn(&E::Model) -> &String,
    add: &mut impl FnMut(&str, &str, Value) -> Result<(), DbErr>,
) -> Result<(), DbErr>
where
    C: ConnectionTrait,
    E: EntityTrait + Default,
    E::Model: serde::Serialize,
{
    let mut models = E::find().filter(owned).all(db).await?;
    models.sort_by(order);
    let table = E::default().table_name();
    for m in &models {
        add(owner(m), table, row(m)?)?;
    }
    Ok(())
}

/// Reads records of `kind` with their aliases, relations and citations (a fixed number of
/// statements per call, whatever the number of records).
pub async fn read<C: ConnectionTrait>(
    db: &C,
    kind: Kind,
    select: Select<'_>,
) -> Result<Vec<Value>, DbErr> {
    let mut rows = entity::with_entity!(kind, E => models::<C, E>(db, &select).await?);
    let slugs: Vec<String> = rows
        .iter()
        .filter_map(|r| r["slug"].as_str().map(str::to_owned))
        .collect();
    if slugs.is_empty() {
        return Ok(rows);
    }
    let owned = |col: &'static str| Expr::col(col).is_in(slugs.iter().cloned());
    let mut lists: HashMap<String, export::Row> = HashMap::new();
    // Each row joins its owner's list through `export::item`, the one definition of a list's
    // items that the loader's content hash is computed from too.
    let mut add = |owner: &str, table: &str, row: Value| -> Result<(), DbErr> {
        let Value::Object(row) = row else {
            return Err(DbErr::Custom(format!("a {table} row is not an object")));
        };
        if let Some((field, item)) = export::item(table, row) {
            export::push(lists.entry(owner.to_owned()).or_default(), field, item);
        }
        Ok(())
    };
    let k = kind.as_str();
    let of_kind = |kind_column: &'static str, slug_column: &'static str| {
        Condition::all()
            .add(owned(slug_column))
            .add(Expr::col(kind_column).eq(k))
    };
    add_owned::<_, alias::Entity>(
        db,
        of_kind("entity_kind", "entity_slug"),
        // Aliases keep no position of their own: in text order, every replica and backend sends
        // them alike.
        |a, b| a.alias.cmp(&b.alias),
        |a| &a.entity_slug,
        &mut add,
    )
    .await?;
    add_owned::<_, citation::Entity>(
        db,
        of_kind("owner_kind", "owner_slug"),
        |a, b| (&a.relation, &a.target, a.ordinal).cmp(&(&b.relation, &b.target, b.ordinal)),
        |c| &c.owner_slug,
        &mut add,
    )
    .await?;
    add_owned::<_, mention::Entity>(
        db,
        of_kind("entity_kind", "entity_slug"),
        |a, b| {
            (&a.source, a.start_offset, a.end_offset).cmp(&(
                &b.source,
                b.start_offset,
                b.end_offset,
            ))
        },
        |m| &m.entity_slug,
        &mut add,
    )
    .await?;
    for (_, j) in junctions().filter(|(d, _)| d.from == kind) {
        let mut select = Query::select();
        select
            .columns([j.owner, j.target])
            .from(j.table)
            .and_where(owned(j.owner))
            .order_by(j.owner, Order::Asc)
            .order_by(j.target, Order::Asc);
        if let Some(role) = j.role {
            select.column(role).order_by(role, Order::Asc);
        }
        for r in db.query_all(&select).await? {
            let (of, to): (String, String) = (r.try_get_by_index(0)?, r.try_get_by_index(1)?);
            let mut cells = json!({ j.owner: of, j.target: to });
            if let Some(role) = j.role {
                let value: Option<String> = r.try_get_by_index(2)?;
                cells[role] = json!(value);
            }
            add(&of, j.table, cells)?;
        }
    }
    match kind {
        Kind::Project => {
            add_owned::<_, milestone::Entity>(
                db,
                Condition::all().add(owned("project")),
                |a, b| a.ordinal.cmp(&b.ordinal),
                |m| &m.project,
                &mut add,
            )
            .await?
        }
        Kind::Partnership => {
            add_owned::<_, partnership_party::Entity>(
                db,
                Condition::all().add(owned("partnership")),
                |a, b| a.ordinal.cmp(&b.ordinal),
                |p| &p.partnership,
                &mut add,
            )
            .await?
        }
        _ => {}
    }
    for record in &mut rows {
        let Value::Object(obj) = record else {
            continue;
        };
        // Every record table's key column is `slug` (the migration's `record` tables).
        let Some(slug) = obj.get("slug").and_then(Value::as_str).map(str::to_owned) else {
            return Err(DbErr::Custom(format!("a {k} row has no slug")));
        };
        // A record no list row names gets its empty lists from `finish`.
        obj.extend(lists.remove(&slug).unwrap_or_default());
        export::finish(kind, &slug, obj);
    }
    Ok(rows)
}

/// CSV lines (RFC 4180 quoting, CRLF, with the `csv` crate) written into one page.
pub struct CsvPage(csv::Writer<Vec<u8>>);

impl Default for CsvPage {
    fn default() -> Self {
        CsvPage(
            csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new()),
        )
    }
}

impl CsvPage {
    /// Appends one row of `record`'s `fields`; nested values are written as JSON.
    pub fn row(&mut self, fields: &[&str], record: &Value) -> Result<(), csv::Error> {
        self.0
            .write_record(fields.iter().map(|f| match &record[*f] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            }))
    }

    /// A header row of `fields`.
    pub fn header(&mut self, fields: &[&str]) -> Result<(), csv::Error> {
        self.0.write_record(fields)
    }

    /// The page's text.
    pub fn finish(self) -> Result<String, csv::Error> {
        let bytes = self.0.into_inner().map_err(|e| e.into_error())?;
        String::from_utf8(bytes).map_err(|e| csv::Error::from(std::io::Error::other(e)))
    }
}

fn columns<E: EntityTrait>() -> Vec<String> {
    E::Column::iter().map(|c| c.as_str().to_owned()).collect()
}

/// The fields of a record of `kind`, in CSV header order: `id`, `type`, `slug`, then the rest
/// alphabetically. Derived from the table's columns, so an empty export still has its header.
pub fn fields(kind: Kind) -> Vec<String> {
    let mut rest = entity::with_entity!(kind, E => columns::<E>());
    rest.extend(export::list_fields(kind).iter().map(|f| (*f).to_owned()));
    rest.retain(|f| !["id", "type", "slug"].contains(&f.as_str()));
    rest.sort();
    rest.dedup();
    ["id", "type", "slug"]
        .iter()
        .map(|s| (*s).to_owned())
        .chain(rest)
        .collect()
}

/// The fields of a row of the citations export, in CSV column order.
pub const CITATION_FIELDS: [&str; 14] = [
    "id",
    "type",
    "owner_type",
    "owner_id",
    "owner_slug",
    "relation",
    "target",
    "source",
    "source_url",
    "quote",
    "start",
    "end",
    "note",
    "origin",
];

/// Citations as one flat table (every quote or curator's note behind every record and relation),
/// a keyset page in key order. `id` is the citation's stable key; `owner_id` and `target` are
/// public IDs, as in the records' own `citations` lists.
pub async fn citations<C: ConnectionTrait>(
    db: &C,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<Value>, DbErr> {
    let mut q = citation::Entity::find()
        .order_by(Expr::col("key"), Order::Asc)
        .limit(limit);
    if let Some(a) = after {
        q = q.filter(Expr::col("key").gt(a));
    }
    Ok(q.all(db)
        .await?
        .into_iter()
        .map(|c| {
            let owner = Kind::parse(&c.owner_kind).map(|k| public_id(k, &c.owner_slug));
            let target = c.target.as_deref().and_then(export::target_id);
            json!({
                "id": c.key, "type": "citation", "owner_type": c.owner_kind, "owner_id": owner,
                "owner_slug": c.owner_slug, "relation": c.relation, "target": target,
                "source": c.source, "source_url": c.source_url, "quote": c.quote,
                "start": c.start_offset, "end": c.end_offset, "note": c.note, "origin": c.origin,
            })
        })
        .collect())
}
