//! `Sector`: an industry or field (产业, e.g. 生物医药, 集成电路) and what works in it.
use async_graphql::{Context, ID, Object};
use entity::ids::{Kind, public_id};
use entity::sector;

use super::common::{Conn, Lang, OrderBy, PageArgs, cost, index, loaders, pick};
use super::node::{list, load_many};
use super::partnership::Partnership;
use super::platform::Platform;
use super::project::Project;
use super::provenance::{Citation, Mention, aliases, mentions, own_citations};
use crate::error::Res;

/// An industry or field (产业、领域).
pub struct Sector(pub sector::Model);

/// An industry or field (产业、领域).
#[Object]
impl Sector {
    /// The record's stable, opaque ID.
    pub async fn id(&self) -> ID {
        ID(public_id(Kind::Sector, &self.0.slug))
    }
    /// The seed slug: a readable, stable natural key.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// When this record last changed (RFC 3339, UTC).
    async fn updated_at(&self) -> String {
        self.0.updated_at.to_rfc3339()
    }
    /// The name exactly as the sources write it (中文名).
    async fn name_zh(&self) -> &str {
        &self.0.name_zh
    }
    /// The English name: a curated translation (see `nameEnIsTranslation`).
    async fn name_en(&self) -> Option<&str> {
        self.0.name_en.as_deref()
    }
    /// Always true for curated records: English names are translations, not quotes.
    async fn name_en_is_translation(&self) -> bool {
        true
    }
    /// The name in the language asked for, falling back to Chinese.
    async fn name(
        &self,
        #[graphql(desc = "Language, Chinese by default.", default_with = "Lang::Zh")] lang: Lang,
    ) -> String {
        pick(&self.0.name_zh, &self.0.name_en, lang)
    }
    /// Other surface forms of the name found in the sources.
    async fn aliases(&self, ctx: &Context<'_>) -> Res<Vec<String>> {
        aliases(ctx, Kind::Sector, &self.0.slug)
    }
    /// The quotes that state this record.
    async fn citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        own_citations(ctx, Kind::Sector, &self.0.slug).await
    }
    /// Where the record's names occur in the sources.
    async fn mentions(&self, ctx: &Context<'_>) -> Res<Vec<Mention>> {
        mentions(ctx, Kind::Sector, &self.0.slug).await
    }
    /// Number of partnerships this record takes part in.
    async fn degree(&self, ctx: &Context<'_>) -> Res<usize> {
        Ok(index(ctx)?.degree(Kind::Sector, &self.0.slug))
    }
    /// Platforms working in this sector.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn platforms(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Page size from the start, 0 to 100 (20 if neither first nor last is given)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size from the end, 0 to 100.")] last: Option<i32>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Order of the items (by Chinese name if omitted); cursors follow it.")]
        order_by: Option<OrderBy>,
    ) -> Res<Conn<Platform>> {
        let slugs = index(ctx)?
            .list(Kind::Sector, &self.0.slug, "platforms")
            .to_vec();
        list(
            ctx,
            Kind::Platform,
            &loaders(ctx)?.platforms,
            Platform,
            &slugs,
            order_by,
            PageArgs::new(first, &after, last, &before),
        )
        .await
    }
    /// Projects working in this sector.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Page size from the start, 0 to 100 (20 if neither first nor last is given)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size from the end, 0 to 100.")] last: Option<i32>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Order of the items (by Chinese name if omitted); cursors follow it.")]
        order_by: Option<OrderBy>,
    ) -> Res<Conn<Project>> {
        let slugs = index(ctx)?
            .list(Kind::Sector, &self.0.slug, "projects")
            .to_vec();
        list(
            ctx,
            Kind::Project,
            &loaders(ctx)?.projects,
            Project,
            &slugs,
            order_by,
            PageArgs::new(first, &after, last, &before),
        )
        .await
    }
    /// Partnerships covering this sector.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn partnerships(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Page size from the start, 0 to 100 (20 if neither first nor last is given)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size from the end, 0 to 100.")] last: Option<i32>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Order of the items (by Chinese name if omitted); cursors follow it.")]
        order_by: Option<OrderBy>,
    ) -> Res<Conn<Partnership>> {
        let slugs = index(ctx)?
            .list(Kind::Sector, &self.0.slug, "partnerships")
            .to_vec();
        list(
            ctx,
            Kind::Partnership,
            &loaders(ctx)?.partnerships,
            Partnership,
            &slugs,
            order_by,
            PageArgs::new(first, &after, last, &before),
        )
        .await
    }
}

/// The sectors a record works in, by name.
pub async fn sectors_of(ctx: &Context<'_>, kind: Kind, slug: &str) -> Res<Vec<Sector>> {
    let slugs = index(ctx)?
        .entry(&(kind, slug.to_owned()))
        .map(|e| e.sectors.clone())
        .unwrap_or_default();
    let mut found = load_many(&loaders(ctx)?.sectors, &slugs, Sector).await?;
    let mut out: Vec<Sector> = slugs.iter().filter_map(|s| found.remove(s)).collect();
    out.sort_by(|a, b| a.0.name_zh.cmp(&b.0.name_zh));
    Ok(out)
}
