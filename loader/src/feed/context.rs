//! What a feed is checked against: only the stored records and sources it references (its
//! relation targets, the slugs it claims, the sources it quotes), read by key in batches, so an
//! import costs what the feed holds, not what the database holds.
use std::collections::{HashMap, HashSet};

use entity::ids::Kind;
use entity::*;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::LoadError;

use crate::node::{Loc, Node};
use crate::read::SourceDoc;
use crate::seed::SourceMeta;

/// Keys per `IN (…)` list, far below every backend's bind limit.
const KEYS_PER_QUERY: usize = 1_000;

/// The records and sources a feed's nodes refer to.
#[derive(Default)]
pub struct Wanted {
    pub records: HashMap<Kind, HashSet<String>>,
    pub sources: HashSet<String>,
}

impl Wanted {
    /// Everything `nodes` reference: their own keys (a clash with another origin is an error),
    /// their relation targets and the sources of their quotes.
    pub fn of(nodes: &[Node]) -> Self {
        let mut w = Wanted::default();
        for n in nodes {
            w.records.entry(n.kind).or_default().insert(n.slug.clone());
            for r in &n.relations {
                w.records
                    .entry(r.target_kind)
                    .or_default()
                    .insert(r.target.clone());
            }
            w.sources.extend(n.quoted_sources().map(str::to_owned));
        }
        w
    }
}

/// A stored record as the feed's validation sees it: key, name, origin.
struct Stored {
    slug: String,
    name: String,
    origin: String,
}

async fn records_of<C: ConnectionTrait>(
    db: &C,
    kind: Kind,
    slugs: &[String],
) -> Result<Vec<Stored>, LoadError> {
    let select = Query::select()
        .columns(["slug", kind.name_column(), "origin"])
        .from(kind.table())
        .and_where(Expr::col("slug").is_in(slugs.iter().cloned()))
        .to_owned();
    let rows = db.query_all(&select).await?;
    let stored = rows.iter().map(|row| {
        Ok(Stored {
            slug: row.try_get_by_index(0)?,
            name: row.try_get_by_index(1)?,
            origin: row.try_get_by_index(2)?,
        })
    });
    stored
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(LoadError::from)
}

/// The stored records (other than this feed's own) that `wanted` names, as external nodes with
/// their aliases, so references resolve and evidence can name them.
pub async fn records<C: ConnectionTrait>(
    db: &C,
    origin: &str,
    wanted: &HashMap<Kind, HashSet<String>>,
) -> Result<Vec<Node>, LoadError> {
    let at = Loc {
        file: "database".into(),
        line: 1,
    };
    let mut nodes = vec![];
    for (&kind, slugs) in wanted {
        let slugs: Vec<String> = slugs.iter().cloned().collect();
        for chunk in slugs.chunks(KEYS_PER_QUERY) {
            let found: Vec<Stored> = records_of(db, kind, chunk)
                .await?
                .into_iter()
                .filter(|s| s.origin != origin)
                .collect();
            // One lookup per alias (a hash map over the chunk's records).
            let first = nodes.len();
            let position: HashMap<String, usize> = found
                .iter()
                .enumerate()
                .map(|(i, s)| (s.slug.clone(), first + i))
                .collect();
            nodes.extend(found.into_iter().map(|s| external(kind, s, &at)));
            if position.is_empty() {
                continue;
            }
            let aliases = alias::Entity::find()
                .filter(Expr::col("entity_kind").eq(kind.as_str()))
                .filter(Expr::col("entity_slug").is_in(position.keys().cloned()))
                .all(db)
                .await?;
            for a in aliases {
                if let Some(&i) = position.get(&a.entity_slug) {
                    nodes[i].aliases.push(a.alias);
                }
            }
        }
    }
    Ok(nodes)
}

/// The stored sources named `slugs` (those a feed quotes).
pub async fn sources<C: ConnectionTrait>(
    db: &C,
    slugs: &HashSet<String>,
) -> Result<Vec<SourceDoc>, LoadError> {
    let at = Loc {
        file: "database".into(),
        line: 1,
    };
    let mut sources = vec![];
    let slugs: Vec<String> = slugs.iter().filter(|s| !s.is_empty()).cloned().collect();
    for chunk in slugs.chunks(KEYS_PER_QUERY) {
        let found = source::Entity::find()
            .filter(source::Column::Slug.is_in(chunk.iter().cloned()))
            .all(db)
            .await?;
        sources.extend(found.into_iter().map(|s| SourceDoc {
            slug: s.slug,
            body: s.body,
            meta: SourceMeta {
                title: s.title,
                publisher: s.publisher,
                reporter: s.reporter,
                date: s.date,
                date_note: s.date_note,
                original_file: s.original_file,
                url: s.url,
                url_note: s.url_note,
            },
            at: at.clone(),
        }));
    }
    Ok(sources)
}

fn external(kind: Kind, s: Stored, at: &Loc) -> Node {
    Node::external(kind, s.slug, at.clone(), s.name, vec![])
}
