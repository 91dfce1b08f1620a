//! `Zone`: a city, district, SAR, cooperation zone, new area or region (区域), with its hierarchy,
//! what lies in it and whom it cooperates with.
use async_graphql::{Context, ID, InputObject, Object};
use entity::ids::Kind;
use entity::relation::Relation;
use entity::vocab::ZoneKind;

use super::common::{OrderBy, required, snap};
use super::filter::{Candidates, any_of, in_zones, list_kind, zone_subtree, zones_under};
use super::metric::{Metric, metrics_of};
use super::page::{Conn, PageArgs, cost};
use super::partner::{Partner, partners_of};
use super::partnership::Partnership;
use super::platform::Platform;
use super::project::Project;
use super::provenance::{Citation, relation_citations};
use super::record::{one, page_of, record_type, related};
use crate::error::Res;
use crate::snapshot::{Dir, Id};

record_type! {
    /// A zone: province, city, district, SAR, cooperation zone (合作区), new area (新区) or region.
    Zone = Named + ZoneFields
}

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

pub struct ZoneFields(pub Id);

#[Object]
impl ZoneFields {
    /// What sort of zone it is.
    async fn kind(&self, ctx: &Context<'_>) -> Res<ZoneKind> {
        required(snap(ctx)?.rec(self.0).sub())
    }
    /// Figures about this zone.
    async fn metrics(&self, ctx: &Context<'_>) -> Res<Vec<Metric>> {
        metrics_of(ctx, self.0)
    }
    /// The zone this one lies in.
    async fn parent(&self, ctx: &Context<'_>) -> Res<Option<Zone>> {
        one(ctx, self.0, Relation::ZoneParent, Zone::new)
    }
    /// The evidence for `parent`: a quote naming both, or an administrative note.
    async fn parent_citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        relation_citations(ctx, self.0, &["parent"])
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
        let args = PageArgs::new(first, &after, last, &before);
        related(
            ctx,
            self.0,
            Relation::ZoneParent,
            Dir::In,
            Zone::new,
            order_by,
            args,
        )
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
        let args = PageArgs::new(first, &after, last, &before);
        self.in_zone(
            ctx,
            Relation::PlatformZone,
            include_descendants,
            Platform::new,
            order_by,
            args,
        )
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
        let args = PageArgs::new(first, &after, last, &before);
        self.in_zone(
            ctx,
            Relation::ProjectZone,
            include_descendants,
            Project::new,
            order_by,
            args,
        )
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
        let args = PageArgs::new(first, &after, last, &before);
        related(
            ctx,
            self.0,
            Relation::PartnershipParty,
            Dir::In,
            Partnership::new,
            order_by,
            args,
        )
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
            self.0,
            order_by,
            PageArgs::new(first, &after, last, &before),
        )
    }
}

impl ZoneFields {
    /// What `relation` places in this zone (and, when `deep`, in the zones below it).
    fn in_zone<T: async_graphql::OutputType>(
        &self,
        ctx: &Context<'_>,
        relation: Relation,
        deep: bool,
        wrap: fn(Id) -> T,
        order_by: Option<OrderBy>,
        args: PageArgs<'_>,
    ) -> Res<Conn<T>> {
        let s = snap(ctx)?;
        let zones = if deep {
            zone_subtree(&s, self.0)
        } else {
            vec![self.0]
        };
        page_of(
            ctx,
            &s,
            in_zones(&s, &zones, relation),
            wrap,
            order_by,
            args,
        )
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
        let f = filter.unwrap_or_default();
        let s = snap(ctx)?;
        let mut candidates = Candidates::all();
        if let Some(within) = &f.within {
            candidates.and(zones_under(&s, within, false)?);
        }
        candidates.named(&s, Kind::Zone, &f.name);
        let keep = |r: crate::snapshot::RecRef<'_>| any_of(&f.kinds, r.sub());
        let keep: Option<&dyn Fn(crate::snapshot::RecRef<'_>) -> bool> =
            f.kinds.is_some().then_some(&keep);
        let args = PageArgs::new(first, &after, last, &before);
        list_kind(ctx, Kind::Zone, candidates, keep, order_by, args, Zone::new)
    }

    /// One zone by slug.
    async fn zone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The record's slug.")] slug: String,
    ) -> Res<Option<Zone>> {
        Ok(snap(ctx)?.find(Kind::Zone, &slug).map(Zone::new))
    }
}
