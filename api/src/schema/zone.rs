//! `Zone`: a city, district, SAR, cooperation zone, new area or region (区域), with its hierarchy,
//! what lies in it and whom it cooperates with.
use async_graphql::{Context, ID, InputObject, Object};
use entity::ids::{Kind, public_id};
use entity::zone;

use super::common::{Conn, Lang, OrderBy, PageArgs, cost, index, loaders, parse_id, pick};
use super::metric::{Metric, metrics_of};
use super::node::{NameFilter, list, list_kind};
use super::partner::{Partner, partners_of};
use super::partnership::Partnership;
use super::platform::Platform;
use super::project::Project;
use super::provenance::{Citation, Mention, aliases, mentions, own_citations};
use super::vocab::{ZoneKind, any_of, from_stored};
use crate::error::{Res, db};

/// A zone: province, city, district, SAR, cooperation zone (合作区), new area (新区) or region.
pub struct Zone(pub zone::Model);

/// Which zones to list.
#[derive(InputObject, Default)]
pub struct ZoneFilter {
    /// Only these kinds.
    pub kinds: Option<Vec<ZoneKind>>,
    /// Only zones strictly below this zone (its children, their children …).
    pub within: Option<ID>,
    /// Only zones whose Chinese name, English name or an alias contains this text.
    pub name: Option<String>,
}

/// A zone: province, city, district, SAR, cooperation zone (合作区), new area (新区) or region.
#[Object]
impl Zone {
    /// The zone's stable, opaque ID.
    pub async fn id(&self) -> ID {
        ID(public_id(Kind::Zone, &self.0.slug))
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
    /// Other surface forms of the name found in the sources (黄埔, 广州黄埔区 …).
    async fn aliases(&self, ctx: &Context<'_>) -> Res<Vec<String>> {
        aliases(ctx, Kind::Zone, &self.0.slug)
    }
    /// What sort of zone it is.
    async fn kind(&self) -> Res<ZoneKind> {
        from_stored(&self.0.kind)
    }
    /// The quotes that state this zone exists.
    async fn citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        own_citations(ctx, Kind::Zone, &self.0.slug).await
    }
    /// Where the zone's names occur in the sources.
    async fn mentions(&self, ctx: &Context<'_>) -> Res<Vec<Mention>> {
        mentions(ctx, Kind::Zone, &self.0.slug).await
    }
    /// Figures about this zone.
    async fn metrics(&self, ctx: &Context<'_>) -> Res<Vec<Metric>> {
        metrics_of(ctx, Kind::Zone, &self.0.slug).await
    }
    /// The zone this one lies in.
    async fn parent(&self, ctx: &Context<'_>) -> Res<Option<Zone>> {
        let Some(p) = &self.0.parent else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .zones
            .load_one(p.clone())
            .await
            .map_err(db)?
            .map(Zone))
    }
    /// The evidence for `parent`: a quote naming both, or an administrative note.
    async fn parent_citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        super::provenance::relation_citations(ctx, Kind::Zone, &self.0.slug, |c| {
            c.relation.as_deref() == Some("parent")
        })
        .await
    }
    /// Zones directly below this one.
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
    ) -> Res<Conn<Zone>> {
        let slugs = index(ctx)?
            .list(Kind::Zone, &self.0.slug, "children")
            .to_vec();
        list(
            ctx,
            Kind::Zone,
            &loaders(ctx)?.zones,
            Zone,
            &slugs,
            order_by,
            PageArgs::new(first, &after, last, &before),
        )
        .await
    }
    /// Platforms that lie in this zone; with `includeDescendants`, also those in zones below it.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn platforms(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Also include what lies in zones below this one.",
            default = false
        )]
        include_descendants: bool,
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
        let slugs = self.in_zone(ctx, "platforms", include_descendants)?;
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
    /// Projects located directly in this zone; with `includeDescendants`, also those in zones below it.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Also include what lies in zones below this one.",
            default = false
        )]
        include_descendants: bool,
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
        let slugs = self.in_zone(ctx, "projects", include_descendants)?;
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
    /// Partnerships this zone is a party to.
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
            .list(Kind::Zone, &self.0.slug, "partnerships")
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
    /// Zones, platforms and organizations that share a partnership with this zone (合作伙伴),
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
            Kind::Zone,
            &self.0.slug,
            order_by,
            PageArgs::new(first, &after, last, &before),
        )
        .await
    }
    /// Number of partnerships this zone is a party to.
    async fn degree(&self, ctx: &Context<'_>) -> Res<usize> {
        Ok(index(ctx)?.degree(Kind::Zone, &self.0.slug))
    }
}

impl Zone {
    fn in_zone(&self, ctx: &Context<'_>, relation: &'static str, deep: bool) -> Res<Vec<String>> {
        let idx = index(ctx)?;
        let zones = if deep {
            idx.zone_subtree(&self.0.slug).into_iter().collect()
        } else {
            vec![self.0.slug.clone()]
        };
        let mut slugs: Vec<String> = zones
            .iter()
            .flat_map(|z| idx.list(Kind::Zone, z, relation).iter().cloned())
            .collect();
        slugs.sort();
        slugs.dedup();
        Ok(slugs)
    }
}

#[derive(Default)]
pub struct ZoneQuery;

#[Object]
impl ZoneQuery {
    /// Zones, filtered and ordered; at most 100 per page.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn zones(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which zones to include.")] filter: Option<ZoneFilter>,
        #[graphql(desc = "Order of the items (by Chinese name if omitted); cursors follow it.")]
        order_by: Option<OrderBy>,
        #[graphql(
            desc = "Page size from the start, 0 to 100 (20 if neither first nor last is given)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size from the end, 0 to 100.")] last: Option<i32>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
    ) -> Res<Conn<Zone>> {
        let filtered = filter.is_some();
        let f = filter.unwrap_or_default();
        let idx = index(ctx)?;
        let within = match &f.within {
            Some(id) => {
                let (_, slug) = parse_id(id, &[Kind::Zone])?;
                let mut below = idx.zone_subtree(&slug);
                below.remove(&slug);
                Some(below)
            }
            None => None,
        };
        let name = NameFilter::new(&idx, Kind::Zone, &f.name);
        let keep = |s: &String, e: &crate::index::Entry| {
            any_of(&f.kinds, &e.kind) && within.as_ref().is_none_or(|w| w.contains(s))
        };
        list_kind(
            ctx,
            Kind::Zone,
            &loaders(ctx)?.zones,
            Zone,
            &keep,
            filtered,
            name.candidates(),
            order_by,
            PageArgs::new(first, &after, last, &before),
        )
        .await
    }

    /// One zone by slug.
    async fn zone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The record's slug.")] slug: String,
    ) -> Res<Option<Zone>> {
        Ok(loaders(ctx)?
            .zones
            .load_one(slug)
            .await
            .map_err(db)?
            .map(Zone))
    }
}
