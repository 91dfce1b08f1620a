//! `Platform`: a development or innovation platform, park, port or pilot area (平台), the zone it
//! lies in, its parts, the projects it hosts and its partnerships.
use async_graphql::{Context, ID, InputObject, Object};
use entity::ids::{Kind, public_id};
use entity::platform;

use super::common::{Conn, Lang, OrderBy, PageArgs, cost, index, loaders, parse_id, pick};
use super::metric::{Metric, metrics_of};
use super::node::{NameFilter, list, list_kind};
use super::partner::{Partner, partners_of};
use super::partnership::Partnership;
use super::project::Project;
use super::provenance::{Citation, Mention, aliases, mentions, own_citations, relation_citations};
use super::sector::{Sector, sectors_of};
use super::vocab::{PlatformKind, PlatformLevel, any_of, from_stored, from_stored_opt};
use super::zone::Zone;
use crate::error::{Res, db};

/// A platform: development zone, pilot zone, science city, park, port, base … (平台、园区).
pub struct Platform(pub platform::Model);

/// Which platforms to list.
#[derive(InputObject, Default)]
pub struct PlatformFilter {
    /// Only these kinds.
    pub kinds: Option<Vec<PlatformKind>>,
    /// Only these levels (platforms without a stated level are excluded).
    pub levels: Option<Vec<PlatformLevel>>,
    /// Only platforms in this zone or any zone below it.
    pub zone: Option<ID>,
    /// Only platforms in this sector.
    pub sector: Option<ID>,
    /// Only platforms whose Chinese name, English name or an alias contains this text.
    pub name: Option<String>,
}

/// A platform: development zone, pilot zone, science city, park, port, base … (平台、园区).
#[Object]
impl Platform {
    /// The record's stable, opaque ID.
    pub async fn id(&self) -> ID {
        ID(public_id(Kind::Platform, &self.0.slug))
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
        aliases(ctx, Kind::Platform, &self.0.slug)
    }
    /// What sort of platform it is.
    async fn kind(&self) -> Res<PlatformKind> {
        from_stored(&self.0.kind)
    }
    /// The quotes that state this record.
    async fn citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        own_citations(ctx, Kind::Platform, &self.0.slug).await
    }
    /// Where the record's names occur in the sources.
    async fn mentions(&self, ctx: &Context<'_>) -> Res<Vec<Mention>> {
        mentions(ctx, Kind::Platform, &self.0.slug).await
    }
    /// Figures about this record.
    async fn metrics(&self, ctx: &Context<'_>) -> Res<Vec<Metric>> {
        metrics_of(ctx, Kind::Platform, &self.0.slug).await
    }
    /// Number of partnerships this record takes part in.
    async fn degree(&self, ctx: &Context<'_>) -> Res<usize> {
        Ok(index(ctx)?.degree(Kind::Platform, &self.0.slug))
    }
    /// The level of government it was established at, where the sources state it.
    async fn level(&self) -> Res<Option<PlatformLevel>> {
        from_stored_opt(self.0.level.as_deref())
    }
    /// Area in square kilometres, where the sources state it.
    async fn area_km2(&self) -> Option<f64> {
        self.0.area_km2
    }
    /// The zone the platform lies in.
    async fn zone(&self, ctx: &Context<'_>) -> Res<Option<Zone>> {
        let Some(z) = &self.0.zone else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .zones
            .load_one(z.clone())
            .await
            .map_err(db)?
            .map(Zone))
    }
    /// The evidence for `zone`: a quote naming both, or an administrative note.
    async fn zone_citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        relation_citations(ctx, Kind::Platform, &self.0.slug, |c| {
            c.relation.as_deref() == Some("zone")
        })
        .await
    }
    /// The platform this one is a part of.
    async fn parent(&self, ctx: &Context<'_>) -> Res<Option<Platform>> {
        let Some(p) = &self.0.parent else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .platforms
            .load_one(p.clone())
            .await
            .map_err(db)?
            .map(Platform))
    }
    /// The platform's parts (sub-areas, parks inside it).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn children(
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
            .list(Kind::Platform, &self.0.slug, "children")
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
    /// Projects the platform hosts.
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
            .list(Kind::Platform, &self.0.slug, "projects")
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
    /// Partnerships the platform is a party to.
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
            .list(Kind::Platform, &self.0.slug, "partnerships")
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
    /// Zones, platforms and organizations that share a partnership with this platform,
    /// each with the partnerships they share.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn partners(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Page size from the start, 0 to 100 (20 if neither first nor last is given)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size from the end, 0 to 100.")] last: Option<i32>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Order of the partners (by Chinese name if omitted); cursors follow it.")]
        order_by: Option<OrderBy>,
    ) -> Res<Conn<Partner>> {
        partners_of(
            ctx,
            Kind::Platform,
            &self.0.slug,
            order_by,
            PageArgs::new(first, &after, last, &before),
        )
        .await
    }
    /// Sectors the platform works in.
    async fn sectors(&self, ctx: &Context<'_>) -> Res<Vec<Sector>> {
        sectors_of(ctx, Kind::Platform, &self.0.slug).await
    }
}

#[derive(Default)]
pub struct PlatformQuery;

#[Object]
impl PlatformQuery {
    /// Platforms, filtered and ordered; at most 100 per page.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn platforms(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which records to include.")] filter: Option<PlatformFilter>,
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
        let filtered = filter.is_some();
        let f = filter.unwrap_or_default();
        let idx = index(ctx)?;
        let zones = f
            .zone
            .as_ref()
            .map(|id| parse_id(id, &[Kind::Zone]))
            .transpose()?
            .map(|(_, z)| idx.zone_subtree(&z));
        let in_zone: Option<std::collections::HashSet<String>> = zones.map(|zs| {
            zs.iter()
                .flat_map(|z| idx.list(Kind::Zone, z, "platforms").iter().cloned())
                .collect()
        });
        let sector = f
            .sector
            .as_ref()
            .map(|id| parse_id(id, &[Kind::Sector]))
            .transpose()?
            .map(|(_, s)| s);
        let name = NameFilter::new(&idx, Kind::Platform, &f.name);
        let keep = |s: &String, e: &crate::index::Entry| {
            any_of(&f.kinds, &e.kind)
                && (f.levels.is_none() || e.level.as_ref().is_some_and(|v| any_of(&f.levels, v)))
                && in_zone.as_ref().is_none_or(|z| z.contains(s))
                && sector.as_ref().is_none_or(|x| e.sectors.contains(x))
        };
        list_kind(
            ctx,
            Kind::Platform,
            &loaders(ctx)?.platforms,
            Platform,
            &keep,
            filtered,
            name.candidates(),
            order_by,
            PageArgs::new(first, &after, last, &before),
        )
        .await
    }

    /// One platform by slug.
    async fn platform(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The record's slug.")] slug: String,
    ) -> Res<Option<Platform>> {
        Ok(loaders(ctx)?
            .platforms
            .load_one(slug)
            .await
            .map_err(db)?
            .map(Platform))
    }
}
