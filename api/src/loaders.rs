//! DataLoaders: each turns the keys requested while resolving one level of a query into one
//! `WHERE … IN (…)` statement, so the statements per request grow with the query's depth, not with
//! the number of rows. Registered once per schema without a cache (no cross-request staleness).
use std::collections::HashMap;
use std::marker::PhantomData;

use async_graphql::dataloader::{DataLoader, Loader};
use entity::*;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, QueryFilter};

/// Most keys in one `IN (…)` list (SQLite allows 32 766 bind parameters, PostgreSQL 65 535).
const MAX_BATCH: usize = 500;

/// Records keyed by slug.
pub trait Slugged {
    fn slug(&self) -> &str;
}

macro_rules! slugged {
    ($($m:ident),*) => {$(impl Slugged for $m::Model { fn slug(&self) -> &str { &self.slug } })*};
}
slugged!(
    zone,
    platform,
    project,
    organization,
    document,
    sector,
    partnership,
    metric,
    source
);

/// Loads records of one entity by slug.
pub struct BySlug<E> {
    db: DatabaseConnection,
    _e: PhantomData<E>,
}

impl<E> Loader<String> for BySlug<E>
where
    E: EntityTrait + Send + Sync + 'static,
    E::Model: Slugged + Clone + Send + Sync + 'static,
{
    type Value = E::Model;
    type Error = DbErr;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, E::Model>, DbErr> {
        let rows = E::find()
            .filter(Expr::col("slug").is_in(keys.iter().cloned()))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|m| (m.slug().to_owned(), m)).collect())
    }
}

/// Rows owned by a record, grouped by the owner key read from each row.
pub struct Grouped<E, K> {
    db: DatabaseConnection,
    /// The column holding the owner slug.
    column: &'static str,
    /// The column holding the owner kind, for keys that carry one.
    kind_column: Option<&'static str>,
    /// The owner key of a row.
    key: fn(&E) -> K,
    /// Ordering within one owner's rows.
    order: fn(&E, &E) -> std::cmp::Ordering,
}

/// Owner keys carry the slug and possibly a kind; both go into the SQL filter so that the
/// `(kind, slug)` indexes serve it, and rows are matched to keys exactly in Rust.
pub trait OwnerKey {
    fn slug(&self) -> &str;
    fn kind(&self) -> Option<&str> {
        None
    }
}
impl OwnerKey for String {
    fn slug(&self) -> &str {
        self
    }
}
impl OwnerKey for (String, String) {
    fn slug(&self) -> &str {
        &self.1
    }
    fn kind(&self) -> Option<&str> {
        Some(&self.0)
    }
}

impl<M, K> Loader<K> for Grouped<M, K>
where
    M: sea_orm::ModelTrait + sea_orm::FromQueryResult + Clone + Send + Sync + 'static,
    M::Entity: EntityTrait<Model = M>,
    K: OwnerKey + Clone + Eq + std::hash::Hash + Send + Sync + 'static,
{
    type Value = Vec<M>;
    type Error = DbErr;

    async fn load(&self, keys: &[K]) -> Result<HashMap<K, Vec<M>>, DbErr> {
        let slugs: Vec<String> = keys.iter().map(|k| k.slug().to_owned()).collect();
        let mut find = M::Entity::find().filter(Expr::col(self.column).is_in(slugs));
        if let Some(kind_column) = self.kind_column {
            let mut kinds: Vec<String> = keys
                .iter()
                .filter_map(|k| k.kind().map(str::to_owned))
                .collect();
            kinds.sort();
            kinds.dedup();
            find = find.filter(Expr::col(kind_column).is_in(kinds));
        }
        let rows = find.all(&self.db).await?;
        let mut out: HashMap<K, Vec<M>> = HashMap::new();
        for row in rows {
            let k = (self.key)(&row);
            if keys.contains(&k) {
                out.entry(k).or_default().push(row);
            }
        }
        for rows in out.values_mut() {
            rows.sort_by(self.order);
        }
        Ok(out)
    }
}

type Kinded = (String, String);

/// Every loader the schema uses.
pub struct Loaders {
    pub zones: DataLoader<BySlug<zone::Entity>>,
    pub platforms: DataLoader<BySlug<platform::Entity>>,
    pub projects: DataLoader<BySlug<project::Entity>>,
    pub organizations: DataLoader<BySlug<organization::Entity>>,
    pub documents: DataLoader<BySlug<document::Entity>>,
    pub sectors: DataLoader<BySlug<sector::Entity>>,
    pub partnerships: DataLoader<BySlug<partnership::Entity>>,
    pub metrics: DataLoader<BySlug<metric::Entity>>,
    pub sources: DataLoader<BySlug<source::Entity>>,
    /// Citations by owner `(kind, slug)`.
    pub citations: DataLoader<Grouped<citation::Model, Kinded>>,
    /// Mentions by entity `(kind, slug)`.
    pub mentions: DataLoader<Grouped<mention::Model, Kinded>>,
    /// Mentions by source slug.
    pub source_mentions: DataLoader<Grouped<mention::Model, String>>,
    /// Milestones by project slug.
    pub milestones: DataLoader<Grouped<milestone::Model, String>>,
    /// Parties by partnership slug.
    pub parties: DataLoader<Grouped<partnership_party::Model, String>>,
    /// Metrics by subject, one loader per subject column.
    pub zone_metrics: DataLoader<Grouped<metric::Model, String>>,
    pub platform_metrics: DataLoader<Grouped<metric::Model, String>>,
    pub project_metrics: DataLoader<Grouped<metric::Model, String>>,
    pub partnership_metrics: DataLoader<Grouped<metric::Model, String>>,
}

fn dl<L, K>(loader: L) -> DataLoader<L>
where
    L: Send + Sync + 'static,
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    L: Loader<K>,
{
    DataLoader::new(loader, tokio::spawn).max_batch_size(MAX_BATCH)
}

fn by_slug<E>(db: &DatabaseConnection) -> DataLoader<BySlug<E>>
where
    E: EntityTrait + Send + Sync + 'static,
    E::Model: Slugged + Clone + Send + Sync + 'static,
{
    dl(BySlug {
        db: db.clone(),
        _e: PhantomData,
    })
}

fn grouped<M, K>(
    db: &DatabaseConnection,
    (kind_column, column): (Option<&'static str>, &'static str),
    key: fn(&M) -> K,
    order: fn(&M, &M) -> std::cmp::Ordering,
) -> DataLoader<Grouped<M, K>>
where
    M: sea_orm::ModelTrait + sea_orm::FromQueryResult + Clone + Send + Sync + 'static,
    M::Entity: EntityTrait<Model = M>,
    K: OwnerKey + Clone + Eq + std::hash::Hash + Send + Sync + 'static,
{
    dl(Grouped {
        db: db.clone(),
        column,
        kind_column,
        key,
        order,
    })
}

fn metric_order(a: &metric::Model, b: &metric::Model) -> std::cmp::Ordering {
    a.slug.cmp(&b.slug)
}

impl Loaders {
    pub fn new(db: &DatabaseConnection) -> Loaders {
        Loaders {
            zones: by_slug(db),
            platforms: by_slug(db),
            projects: by_slug(db),
            organizations: by_slug(db),
            documents: by_slug(db),
            sectors: by_slug(db),
            partnerships: by_slug(db),
            metrics: by_slug(db),
            sources: by_slug(db),
            citations: grouped(
                db,
                (Some("owner_kind"), "owner_slug"),
                |c: &citation::Model| (c.owner_kind.clone(), c.owner_slug.clone()),
                |a, b| {
                    (&a.relation, &a.target, a.ordinal).cmp(&(&b.relation, &b.target, b.ordinal))
                },
            ),
            mentions: grouped(
                db,
                (Some("entity_kind"), "entity_slug"),
                |m: &mention::Model| (m.entity_kind.clone(), m.entity_slug.clone()),
                |a, b| (&a.source, a.start_offset).cmp(&(&b.source, b.start_offset)),
            ),
            source_mentions: grouped(
                db,
                (None, "source"),
                |m: &mention::Model| m.source.clone(),
                |a, b| a.start_offset.cmp(&b.start_offset),
            ),
            milestones: grouped(
                db,
                (None, "project"),
                |m: &milestone::Model| m.project.clone(),
                |a, b| (&a.date, a.ordinal).cmp(&(&b.date, b.ordinal)),
            ),
            parties: grouped(
                db,
                (None, "partnership"),
                |p: &partnership_party::Model| p.partnership.clone(),
                |a, b| a.ordinal.cmp(&b.ordinal),
            ),
            zone_metrics: grouped(
                db,
                (None, "zone"),
                |m: &metric::Model| m.zone.clone().unwrap_or_default(),
                metric_order,
            ),
            platform_metrics: grouped(
                db,
                (None, "platform"),
                |m: &metric::Model| m.platform.clone().unwrap_or_default(),
                metric_order,
            ),
            project_metrics: grouped(
                db,
                (None, "project"),
                |m: &metric::Model| m.project.clone().unwrap_or_default(),
                metric_order,
            ),
            partnership_metrics: grouped(
                db,
                (None, "partnership"),
                |m: &metric::Model| m.partnership.clone().unwrap_or_default(),
                metric_order,
            ),
        }
    }
}
