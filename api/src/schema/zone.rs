//! `Zone`: a city, district, SAR, cooperation zone, new area or region (区域), with its hierarchy,
//! what lies in it and whom it cooperates with.
use async_graphql::{Context, ID};
use entity::ids::Kind;
use entity::relation::Relation;
use entity::vocab::ZoneKind;

use super::common::{OrderBy, snap};
use super::field;
use super::filter::{in_zones, of_kinds, zone_subtree, zones_under};
use super::metric::{Metric, metrics_of};
use super::page::{Conn, PageArgs};
use super::partner::{Partner, partners};
use super::platform::Platform;
use super::project::Project;
use super::provenance::{Citation, relation_citations};
use super::record::{list_query, one, page_of, record_type};
use crate::error::Res;
use crate::snapshot::Id;

record_type! {
    /// A zone: province, city, district, SAR, cooperation zone (合作区), new area (新区) or region.
    Zone = Named + ZoneFields {
        connections {
            /// Platforms that lie in this zone; with `includeDescendants`, also those in zones below it.
            platforms(
                include_descendants: bool = "false"; "Also include what lies in zones below this one."
            ) -> Platform = |ctx, this, order_by, page| {
                in_zone(ctx, this.0, Relation::PlatformZone, include_descendants, Platform::new, order_by, page)
            };
            /// Projects located directly in this zone; with `includeDescendants`, also those in zones below it.
            projects(
                include_descendants: bool = "false"; "Also include what lies in zones below this one."
            ) -> Project = |ctx, this, order_by, page| {
                in_zone(ctx, this.0, Relation::ProjectZone, include_descendants, Project::new, order_by, page)
            };
            /// Zones, platforms and organizations that share a partnership with this zone (合作伙伴),
            /// each with the partnerships they share.
            partners() -> Partner = partners;
        }
        fields {
            /// What sort of zone it is.
            kind -> ZoneKind = field::kind;
            /// Figures about this zone.
            metrics -> Vec<Metric> = metrics_of;
            /// The zone this one lies in.
            parent -> Option<Zone> = one(Relation::ZoneParent, Zone::new);
            /// The evidence for `parent`: a quote naming both, or an administrative note.
            parent_citations -> Vec<Citation> = |ctx, id| relation_citations(ctx, id, &["parent"]);
        }
    }
}

/// What `relation` places in `zone` (and, when `deep`, in the zones below it).
fn in_zone<T: async_graphql::OutputType>(
    ctx: &Context<'_>,
    zone: Id,
    relation: Relation,
    deep: bool,
    wrap: fn(Id) -> T,
    order_by: Option<OrderBy>,
    page: PageArgs<'_>,
) -> Res<Conn<T>> {
    let s = snap(ctx)?;
    let zones = if deep {
        zone_subtree(&s, zone)
    } else {
        vec![zone]
    };
    page_of(
        ctx,
        &s,
        in_zones(&s, &zones, relation),
        wrap,
        order_by,
        page,
    )
}

list_query! {
    /// Which zones to list.
    ZoneFilter of Kind::Zone {
        /// Only these kinds.
        kinds: Vec<ZoneKind>,
        /// Only zones strictly below this zone (its children, their children …).
        within: ID,
        /// Only zones whose Chinese name, English name or an alias contains this text.
        name: String,
    }
    select(f, s, candidates) {
        if let Some(within) = &f.within {
            candidates.and(zones_under(s, within, false)?);
        }
        candidates.named(s, Self::KIND, &f.name);
        Ok(of_kinds(&f.kinds))
    }
    ZoneQuery {
        /// Zones, filtered and ordered; at most 100 per page.
        zones("Which zones to include.") -> Zone;
        /// One zone by slug.
        zone;
    }
}
