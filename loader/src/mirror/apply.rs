//! Writing one exported record (the feed format, `docs/feeds.md`) into the mirror's tables: its
//! own columns, typed from the entity, and its relation and provenance rows rebuilt with the keys
//! the loader gives them, so the mirror's rows are the source's rows.
use entity::ids::{Kind, parse_public_id, record_key};
use entity::relation::junctions;
use sea_orm::sea_query::{ColumnType, Expr, ExprTrait, OnConflict, Query, Value};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IdenStatic, Iterable};
use serde_json::{Map, Value as Json};

use crate::node::Cell;
use crate::rows::{content_key, owned_columns};

/// The columns of a record table, with their types.
fn columns(kind: Kind) -> Vec<(&'static str, ColumnType)> {
    fn of<E: EntityTrait>() -> Vec<(&'static str, ColumnType)> {
        E::Column::iter()
            .map(|c| (c.as_str(), c.def().get_column_type().clone()))
            .collect()
    }
    entity::with_entity!(kind, E => of::<E>())
}

/// A JSON field as a value of column type `ty`; `Err` names what does not fit.
fn typed(ty: &ColumnType, v: &Json) -> Result<Value, String> {
    let bad = || format!("{v} is not a {ty:?}");
    Ok(match ty {
        ColumnType::Integer | ColumnType::SmallInteger => match v {
            Json::Null => Value::Int(None),
            _ => Value::Int(Some(
                v.as_i64()
                    .and_then(|x| i32::try_from(x).ok())
                    .ok_or_else(bad)?,
            )),
        },
        ColumnType::BigInteger => Value::BigInt(match v {
            Json::Null => None,
            _ => Some(v.as_i64().ok_or_else(bad)?),
        }),
        ColumnType::Double | ColumnType::Float | ColumnType::Decimal(_) => Value::Double(match v {
            Json::Null => None,
            _ => Some(v.as_f64().ok_or_else(bad)?),
        }),
        ColumnType::Boolean => Value::Bool(match v {
            Json::Null => None,
            _ => Some(v.as_bool().ok_or_else(bad)?),
        }),
        ColumnType::TimestampWithTimeZone | ColumnType::Timestamp | ColumnType::DateTime => {
            Value::ChronoDateTimeUtc(match v {
                Json::Null => None,
                _ => Some(
                    chrono::DateTime::parse_from_rfc3339(v.as_str().ok_or_else(bad)?)
                        .map_err(|_| bad())?
                        .with_timezone(&chrono::Utc),
                ),
            })
        }
        _ => Value::String(match v {
            Json::Null => None,
            Json::String(s) => Some(s.clone()),
            _ => return Err(bad()),
        }),
    })
}

/// The provenance tables and the relation tables outside the relation table's junctions, with
/// the column naming a row's owner (and, for the polymorphic ones, the column naming its kind).
const OWNED: &[(&str, &str, Option<&str>)] = &[
    ("aliases", "entity_slug", Some("entity_kind")),
    ("citations", "owner_slug", Some("owner_kind")),
    ("mentions", "entity_slug", Some("entity_kind")),
    ("milestones", "project", None),
    ("partnership_parties", "partnership", None),
];

/// Removes a record and every relation or provenance row it owns.
pub async fn delete<C: ConnectionTrait>(txn: &C, kind: Kind, slug: &str) -> Result<(), DbErr> {
    delete_owned(txn, kind, slug).await?;
    let delete = Query::delete()
        .from_table(kind.table())
        .and_where(Expr::col("slug").eq(slug))
        .to_owned();
    txn.execute(&delete).await?;
    Ok(())
}

/// Removes the relation and provenance rows a record owns (not the record: deleting it would
/// cascade to the rows of other records that refer to it).
async fn delete_owned<C: ConnectionTrait>(txn: &C, kind: Kind, slug: &str) -> Result<(), DbErr> {
    let junction_owners = junctions().map(|(_, j)| (j.table, j.owner, None));
    for (table, owner, kind_col) in OWNED.iter().copied().chain(junction_owners) {
        let mut delete = Query::delete();
        delete
            .from_table(table)
            .and_where(Expr::col(owner).eq(slug));
        if let Some(k) = kind_col {
            delete.and_where(Expr::col(k).eq(kind.as_str()));
        }
        txn.execute(&delete).await?;
    }
    Ok(())
}

/// Columns of record tables that reference other records (foreign keys).
const REFERENCES: &[&str] = &[
    "parent",
    "zone",
    "platform",
    "project",
    "partnership",
    "organization",
    "document",
    "issuer_zone",
    "issuer_organization",
    "broader",
];

/// A record's references held back: kind, slug, and (column, referenced slug) pairs.
type References = (Kind, String, Vec<(&'static str, String)>);

/// What a page's records refer to, written once every record of the page is in: a feed lists a
/// record at its latest change, which may come before the records it refers to, and foreign keys
/// are checked at once.
#[derive(Default)]
pub struct Pending {
    references: Vec<References>,
    /// (table, cells before `origin`, origin).
    rows: Vec<(&'static str, Vec<Cell>, String)>,
    /// Records written whole at the end: a metric must name exactly one subject (a CHECK), so
    /// its references cannot wait.
    records: Vec<sea_orm::sea_query::InsertStatement>,
}

/// Writes (inserts or replaces) `record` of `kind`; its references and relation rows go to
/// `pending`, for [`finish`].
pub async fn upsert<C: ConnectionTrait>(
    txn: &C,
    kind: Kind,
    slug: &str,
    record: &Map<String, Json>,
    pending: &mut Pending,
) -> Result<(), String> {
    let cols = columns(kind);
    let mut names = vec![];
    let mut values = vec![];
    let mut references = vec![];
    for (name, ty) in &cols {
        let v = record.get(*name).unwrap_or(&Json::Null);
        names.push(*name);
        if kind != Kind::Metric
            && REFERENCES.contains(name)
            && let Some(target) = v.as_str()
        {
            references.push((*name, target.to_owned()));
            values.push(Value::String(None).into());
            continue;
        }
        values.push(typed(ty, v).map_err(|e| format!("{name}: {e}"))?.into());
    }
    delete_owned(txn, kind, slug)
        .await
        .map_err(|e| e.to_string())?;
    let mut insert = Query::insert();
    insert
        .into_table(kind.table())
        .columns(names.iter().copied());
    insert.values(values).map_err(|e| e.to_string())?;
    insert.on_conflict(
        OnConflict::column("slug")
            .update_columns(names.iter().copied().filter(|n| *n != "slug"))
            .to_owned(),
    );
    if kind == Kind::Metric {
        pending.records.push(insert);
    } else {
        txn.execute(&insert).await.map_err(|e| e.to_string())?;
    }
    let origin = record
        .get("origin")
        .and_then(Json::as_str)
        .ok_or("no origin")?;
    if !references.is_empty() {
        pending.references.push((kind, slug.to_owned(), references));
    }
    for (table, cells) in relation_rows(kind, slug, record)? {
        pending.rows.push((table, cells, origin.to_owned()));
    }
    Ok(())
}

/// Writes what [`upsert`] held back: references first, then relation rows.
pub async fn finish<C: ConnectionTrait>(txn: &C, pending: Pending) -> Result<(), DbErr> {
    for (kind, slug, references) in pending.references {
        let mut update = Query::update();
        update.table(kind.table());
        for (column, target) in references {
            update.value(column, target);
        }
        update.and_where(Expr::col("slug").eq(slug));
        txn.execute(&update).await?;
    }
    for insert in pending.records {
        txn.execute(&insert).await?;
    }
    for (table, cells, origin) in pending.rows {
        insert_row(txn, table, cells, &origin).await?;
    }
    Ok(())
}

fn text(v: Option<&Json>) -> Cell {
    Cell::Text(v.and_then(Json::as_str).map(str::to_owned))
}

fn int(v: Option<&Json>) -> Cell {
    Cell::Int(v.and_then(Json::as_i64))
}

fn list<'r>(record: &'r Map<String, Json>, field: &str) -> &'r [Json] {
    record
        .get(field)
        .and_then(Json::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The rows (table, cells before `origin`) a record's lists stand for, as `rows` makes them.
fn relation_rows(
    kind: Kind,
    slug: &str,
    record: &Map<String, Json>,
) -> Result<Vec<(&'static str, Vec<Cell>)>, String> {
    let own = || Cell::Text(Some(slug.to_owned()));
    let kind_cell = || Cell::Text(Some(kind.as_str().to_owned()));
    let mut out = vec![];
    for a in list(record, "aliases") {
        out.push(("aliases", vec![kind_cell(), own(), text(Some(a))]));
    }
    let (mut ordinal, mut milestone) = (0, 0);
    // Milestone quotes are stored under the milestone's index as text and exported in that
    // text's order (0, 1, 10, 11, 2 …): the n-th one met belongs to the n-th index so sorted.
    let mut milestone_targets: Vec<String> = (0..list(record, "milestones").len())
        .map(|i| i.to_string())
        .collect();
    milestone_targets.sort();
    for c in list(record, "citations") {
        let relation = c.get("relation").and_then(Json::as_str);
        let (target, ord) = match relation {
            None => {
                ordinal += 1;
                (None, ordinal - 1)
            }
            Some("milestone") => {
                let t = milestone_targets.get(milestone).cloned();
                milestone += 1;
                (t, 0)
            }
            Some(_) => {
                let id = c
                    .get("target")
                    .and_then(Json::as_str)
                    .ok_or("a relation citation without a target")?;
                let (k, s) = parse_public_id(id).ok_or_else(|| format!("bad target id {id}"))?;
                (Some(record_key(k, &s)), 0)
            }
        };
        out.push((
            "citations",
            vec![
                kind_cell(),
                own(),
                Cell::Text(relation.map(str::to_owned)),
                Cell::Text(target),
                Cell::Int(Some(ord)),
                text(c.get("source")),
                text(c.get("source_url")),
                text(c.get("quote")),
                int(c.get("start")),
                int(c.get("end")),
                text(c.get("note")),
            ],
        ));
    }
    for m in list(record, "mentions") {
        out.push((
            "mentions",
            vec![
                kind_cell(),
                own(),
                text(m.get("source")),
                int(m.get("start")),
                int(m.get("end")),
                text(m.get("surface")),
            ],
        ));
    }
    // The ordered lists: each item a row of `table`, the owner and the item's place, then its
    // text `fields`.
    let ordered = [
        (
            "milestones",
            "milestones",
            ["date", "event_zh", "event_en", "date_note"],
        ),
        (
            "parties",
            "partnership_parties",
            ["role", "zone", "platform", "organization"],
        ),
    ];
    for (field, table, fields) in ordered {
        for (i, item) in list(record, field).iter().enumerate() {
            let mut row = vec![own(), Cell::Int(Some(i as i64))];
            row.extend(fields.iter().map(|f| text(item.get(*f))));
            out.push((table, row));
        }
    }
    // Each junction is exported as the owner's list named by its GraphQL field (`sectors`,
    // `organizations`): slugs, or `{<target column>, role}` where the junction has a role.
    for (def, j) in junctions().filter(|(d, _)| d.from == kind) {
        for item in list(record, def.forward) {
            let mut row = vec![own()];
            match j.role {
                None => row.push(text(Some(item))),
                Some(role) => {
                    row.push(text(item.get(j.target)));
                    row.push(text(item.get(role)));
                }
            }
            out.push((j.table, row));
        }
    }
    Ok(out)
}

async fn insert_row<C: ConnectionTrait>(
    txn: &C,
    table: &'static str,
    mut cells: Vec<Cell>,
    origin: &str,
) -> Result<(), DbErr> {
    cells.push(Cell::Text(Some(origin.to_owned())));
    let key = content_key(table, &cells);
    let mut columns = vec!["key"];
    // The columns `rows` makes for this table (every table this module writes is one of them).
    let Some(owned) = owned_columns(table) else {
        return Err(DbErr::Custom(format!("no row layout for table {table}")));
    };
    columns.extend(owned);
    columns.push("origin");
    let mut values = vec![Value::String(Some(key)).into()];
    values.extend(cells.into_iter().map(|c| {
        match c {
            Cell::Text(v) => Value::String(v),
            Cell::Int(v) => Value::Int(v.map(|x| x as i32)),
            Cell::Float(v) => Value::Double(v),
            Cell::Bool(v) => Value::Bool(Some(v)),
        }
        .into()
    }));
    let mut insert = Query::insert();
    insert.into_table(table).columns(columns);
    insert
        .values(values)
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    // The same row twice in one record (a repeated alias) is one row, as in a load.
    insert.on_conflict(OnConflict::column("key").do_nothing().to_owned());
    txn.execute(&insert).await?;
    Ok(())
}
