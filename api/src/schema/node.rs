//! The Relay `Node` interface, `node(id:)` / `nodes(ids:)`, the `Party` union, and loading records
//! of any kind by slug through the DataLoaders.
use std::collections::HashMap;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Interface, Object, Union};
use entity::ids::Kind;
use sea_orm::EntityTrait;

use super::common::{loaders, parse_id};
use super::{
    document::Document, metric::Metric, organization::Organization, partnership::Partnership,
    platform::Platform, project::Project, sector::Sector, source::Source, zone::Zone,
};
use crate::error::{Res, bad_input, db};
use crate::index::Key;
use crate::loaders::{BySlug, Slugged};

/// Anything with a stable, opaque ID (Relay's Node interface). IDs are derived from the record's
/// kind and slug, so they are the same across reloads, databases and machines.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "The record's stable, opaque ID."))]
pub enum Node {
    Zone(Zone),
    Platform(Platform),
    Project(Project),
    Partnership(Partnership),
    Organization(Organization),
    Document(Document),
    Sector(Sector),
    Metric(Metric),
    Source(Source),
}

/// A party to a partnership: a zone, a platform or an organization.
#[derive(Union)]
pub enum Party {
    Zone(Zone),
    Platform(Platform),
    Organization(Organization),
}

/// Loads records by slug through `dl`, keyed by slug.
pub async fn load_many<E, T>(
    dl: &DataLoader<BySlug<E>>,
    slugs: &[String],
    wrap: fn(E::Model) -> T,
) -> Res<HashMap<String, T>>
where
    E: EntityTrait + Send + Sync + 'static,
    E::Model: Slugged + Clone + Send + Sync + 'static,
{
    Ok(dl
        .load_many(slugs.iter().cloned())
        .await
        .map_err(db)?
        .into_iter()
        .map(|(k, m)| (k, wrap(m)))
        .collect())
}

/// Loads one record of any kind.
pub async fn load_node(ctx: &Context<'_>, kind: Kind, slug: &str) -> Res<Option<Node>> {
    let l = loaders(ctx)?;
    let s = slug.to_owned();
    Ok(match kind {
        Kind::Zone => l
            .zones
            .load_one(s)
            .await
            .map_err(db)?
            .map(|m| Node::Zone(Zone(m))),
        Kind::Platform => l
            .platforms
            .load_one(s)
            .await
            .map_err(db)?
            .map(|m| Node::Platform(Platform(m))),
        Kind::Project => l
            .projects
            .load_one(s)
            .await
            .map_err(db)?
            .map(|m| Node::Project(Project(m))),
        Kind::Partnership => l
            .partnerships
            .load_one(s)
            .await
            .map_err(db)?
            .map(|m| Node::Partnership(Partnership(m))),
        Kind::Organization => l
            .organizations
            .load_one(s)
            .await
            .map_err(db)?
            .map(|m| Node::Organization(Organization(m))),
        Kind::Document => l
            .documents
            .load_one(s)
            .await
            .map_err(db)?
            .map(|m| Node::Document(Document(m))),
        Kind::Sector => l
            .sectors
            .load_one(s)
            .await
            .map_err(db)?
            .map(|m| Node::Sector(Sector(m))),
        Kind::Metric => l
            .metrics
            .load_one(s)
            .await
            .map_err(db)?
            .map(|m| Node::Metric(Metric(m))),
        Kind::Source => l
            .sources
            .load_one(s)
            .await
            .map_err(db)?
            .map(|m| Node::Source(Source(m))),
    })
}

/// Loads a party (zone, platform or organization).
pub async fn load_party(ctx: &Context<'_>, kind: Kind, slug: &str) -> Res<Option<Party>> {
    Ok(match load_node(ctx, kind, slug).await? {
        Some(Node::Zone(z)) => Some(Party::Zone(z)),
        Some(Node::Platform(p)) => Some(Party::Platform(p)),
        Some(Node::Organization(o)) => Some(Party::Organization(o)),
        _ => None,
    })
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches any record by its ID; null when no record has that ID.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A Baygraph ID.")] id: ID,
    ) -> Res<Option<Node>> {
        let (kind, slug) = parse_id(&id, &[])?;
        load_node(ctx, kind, &slug).await
    }

    /// Fetches records by ID, in the order given (null for an ID with no record); at most 100.
    #[graphql(complexity = "1 + ids.len() * child_complexity")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Baygraph IDs.")] ids: Vec<ID>,
    ) -> Res<Vec<Option<Node>>> {
        if ids.len() > crate::error::MAX_PAGE {
            return Err(bad_input("at most 100 ids"));
        }
        let parsed = ids
            .iter()
            .map(|id| parse_id(id, &[]))
            .collect::<Result<Vec<_>, _>>()?;
        let lookups = parsed.iter().map(|(k, s)| load_node(ctx, *k, s));
        futures_util::future::try_join_all(lookups).await
    }
}

/// One page of records of `kind` out of `slugs`, loaded through `dl`.
#[allow(clippy::too_many_arguments)]
pub async fn list<E, T>(
    ctx: &Context<'_>,
    kind: Kind,
    dl: &DataLoader<BySlug<E>>,
    wrap: fn(E::Model) -> T,
    slugs: &[String],
    order: Option<super::common::OrderBy>,
    args: super::common::PageArgs<'_>,
) -> Res<super::common::Conn<T>>
where
    E: EntityTrait + Send + Sync + 'static,
    E::Model: Slugged + Clone + Send + Sync + 'static,
    T: async_graphql::OutputType,
{
    let idx = super::common::index(ctx)?;
    let page = super::common::paginate(&idx, kind, slugs, order.unwrap_or_default(), args)?;
    let nodes = load_many(dl, &page.slugs(), wrap).await?;
    Ok(super::common::connection(page, nodes))
}

/// One page of the records of `kind` whose entry passes `keep` (`filtered`: whether `keep` can
/// refuse any), loaded through `dl`. With `candidates` (a name filter's matches, from the search
/// index) only those are tested and ordered, so the page costs what the matches cost; otherwise
/// forward pages walk the precomputed order and stop when full, and `last`/`before` pages take
/// the general path.
#[allow(clippy::too_many_arguments)]
pub async fn list_kind<E, T>(
    ctx: &Context<'_>,
    kind: Kind,
    dl: &DataLoader<BySlug<E>>,
    wrap: fn(E::Model) -> T,
    keep: &(dyn Fn(&String, &crate::index::Entry) -> bool + Sync),
    filtered: bool,
    candidates: Option<&[Key]>,
    order: Option<super::common::OrderBy>,
    args: super::common::PageArgs<'_>,
) -> Res<super::common::Conn<T>>
where
    E: EntityTrait + Send + Sync + 'static,
    E::Model: Slugged + Clone + Send + Sync + 'static,
    T: async_graphql::OutputType,
{
    let idx = super::common::index(ctx)?;
    if let Some(candidates) = candidates {
        let passing = candidates
            .iter()
            .filter(|k| idx.entries.get(*k).is_some_and(|e| keep(&k.1, e)))
            .cloned()
            .collect();
        let page = super::common::paginate_keys(&idx, passing, order.unwrap_or_default(), args)?;
        let nodes = load_many(dl, &page.slugs(), wrap).await?;
        return Ok(super::common::connection(page, nodes));
    }
    if args.last.is_some() || args.before.is_some() {
        let slugs = select(&idx, kind, keep);
        return list(ctx, kind, dl, wrap, &slugs, order, args).await;
    }
    let want_total = ctx.look_ahead().field("totalCount").exists();
    let page = super::common::paginate_walk(
        &idx,
        kind,
        keep,
        filtered,
        order.unwrap_or_default(),
        args,
        want_total,
    )?;
    let nodes = load_many(dl, &page.slugs(), wrap).await?;
    Ok(super::common::connection(page, nodes))
}

/// Slugs of `kind` whose entry passes `keep`.
pub fn select(
    idx: &crate::index::Index,
    kind: Kind,
    keep: impl Fn(&String, &crate::index::Entry) -> bool,
) -> Vec<String> {
    idx.kind_keys
        .get(&kind)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(|key| idx.entries.get(key).map(|e| (&key.1, e)))
        .filter(|(s, e)| keep(s, e))
        .map(|(s, _)| s.clone())
        .collect()
}

/// A name filter (`filter: {name: …}`): case, width and punctuation are ignored, and any part of
/// the Chinese name, English name or an alias matches. The matching records are looked up once
/// per request in the search index and handed to [`list_kind`] as its candidates, so the list
/// costs what the matches cost, not the kind.
pub struct NameFilter(Option<Vec<Key>>);

impl NameFilter {
    /// A needle that folds to nothing (`""`, punctuation only) is contained in every name, so it
    /// filters nothing.
    pub fn new(idx: &crate::index::Index, kind: Kind, needle: &Option<String>) -> NameFilter {
        let needle = needle
            .as_deref()
            .filter(|n| !crate::search::fold(n).is_empty());
        NameFilter(needle.map(|n| idx.search.containing(kind, n)))
    }

    /// The records that pass, when a name was given.
    pub fn candidates(&self) -> Option<&[Key]> {
        self.0.as_deref()
    }
}

/// Loads many records of any kinds concurrently, so the DataLoaders batch them (one statement
/// per kind rather than one per record).
pub async fn load_nodes(ctx: &Context<'_>, keys: &[crate::index::Key]) -> Res<Vec<Option<Node>>> {
    futures_util::future::try_join_all(keys.iter().map(|(k, s)| load_node(ctx, *k, s))).await
}
