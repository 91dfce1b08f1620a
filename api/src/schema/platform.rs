//! `Platform`: a development or innovation platform, park, port or pilot area (平台), the zone it
//! lies in, its parts, the projects it hosts and its partnerships.
use async_graphql::ID;
use entity::ids::Kind;
use entity::relation::Relation;
use entity::vocab::{PlatformKind, PlatformLevel};

use super::field;
use super::filter::kind_and_tag;
use super::metric::{Metric, metrics_of};
use super::partner::{Partner, partners};
use super::provenance::{Citation, relation_citations};
use super::record::{list_query, one, record_type};
use super::sector::{Sector, sectors_of};
use super::zone::Zone;

record_type! {
    /// A platform: development zone, pilot zone, science city, park, port, base … (平台、园区).
    Platform = Named + PlatformFields {
        connections {
            /// Zones, platforms and organizations that share a partnership with this platform,
            /// each with the partnerships they share.
            partners() -> Partner = partners;
        }
        fields {
            /// What sort of platform it is.
            kind -> PlatformKind = field::kind;
            /// Figures about this record.
            metrics -> Vec<Metric> = metrics_of;
            /// The level of government it was established at, where the sources state it.
            level -> Option<PlatformLevel> = field::tag;
            /// Area in square kilometres, where the sources state it.
            area_km2 -> Option<f64> = field::number;
            /// The zone the platform lies in.
            zone -> Option<Zone> = one(Relation::PlatformZone, Zone::new);
            /// The evidence for `zone`: a quote naming both, or an administrative note.
            zone_citations -> Vec<Citation> = |ctx, id| relation_citations(ctx, id, &["zone"]);
            /// The platform this one is a part of.
            parent -> Option<Platform> = one(Relation::PlatformParent, Platform::new);
            /// Sectors the platform works in.
            sectors -> Vec<Sector> = sectors_of;
        }
    }
}

list_query! {
    /// Which platforms to list.
    PlatformFilter of Kind::Platform {
        /// Only these kinds.
        kinds: Vec<PlatformKind>,
        /// Only these levels (platforms without a stated level are excluded).
        levels: Vec<PlatformLevel>,
        /// Only platforms in this zone or any zone below it.
        zone: ID,
        /// Only platforms in this sector or a sector below it.
        sector: ID,
        /// Only platforms whose Chinese name, English name or an alias contains this text.
        name: String,
    }
    select(f, s, candidates) {
        candidates.in_zone(s, &f.zone, Relation::PlatformZone)?;
        candidates.in_sector(s, &f.sector, Relation::PlatformSector)?;
        candidates.named(s, Self::KIND, &f.name);
        Ok(kind_and_tag(&f.kinds, &f.levels))
    }
    PlatformQuery {
        /// Platforms, filtered and ordered; at most 100 per page.
        platforms("Which records to include.") -> Platform;
        /// One platform by slug.
        platform;
    }
}
