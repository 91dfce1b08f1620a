//! `Partnership`: a cooperation relation (合作关系) — agreement, action plan, co-built park,
//! linkage mechanism — with its parties, the projects it covers and the document behind it.
use async_graphql::ID;
use entity::ids::Kind;
use entity::relation::Relation;
use entity::vocab::PartnershipKind;

use super::document::Document;
use super::field;
use super::filter::{in_zones, kind_and_date, zones_under};
use super::metric::{Metric, metrics_of};
use super::party::{PartnershipParty, parties_of};
use super::project::Project;
use super::record::{linked, list_query, one, record_type};
use super::sector::{Sector, sectors_of};
use crate::snapshot::Dir;

record_type! {
    /// A partnership: who cooperates with whom, how, since when, and on what.
    Partnership = Named + PartnershipFields {
        connections {
            /// Projects the partnership covers.
            projects() -> Project = linked(Relation::PartnershipProject, Dir::Out, Project::new);
        }
        fields {
            /// What sort of cooperation it is.
            kind -> PartnershipKind = field::kind;
            /// Figures about this record.
            metrics -> Vec<Metric> = metrics_of;
            /// True when the sources give the partnership no name and `nameZh` is a curated description.
            descriptive_name -> bool = field::flag;
            /// When it was agreed or issued (YYYY, YYYY-MM or YYYY-MM-DD), where stated.
            date -> Option<String> = field::date;
            /// How the date was established when it is inferred rather than stated.
            date_note -> Option<String> = field::extra("date_note");
            /// The parties, in the order the sources name them.
            parties -> Vec<PartnershipParty> = parties_of;
            /// The policy document that establishes it.
            document -> Option<Document> = one(Relation::PartnershipDocument, Document::new);
            /// Sectors the partnership covers.
            sectors -> Vec<Sector> = sectors_of;
        }
    }
}

list_query! {
    /// Which partnerships to list.
    PartnershipFilter of Kind::Partnership {
        /// Only these kinds.
        kinds: Vec<PartnershipKind>,
        /// Only partnerships this zone, platform or organization is a party to.
        party: ID,
        /// Only partnerships with a party in this zone or below it (a zone, or a platform located there).
        zone: ID,
        /// Only partnerships covering this sector or a sector below it.
        sector: ID,
        /// Only partnerships dated on or after this (YYYY, YYYY-MM or YYYY-MM-DD; undated ones are excluded).
        date_from: String,
        /// Only partnerships dated on or before this (undated ones are excluded).
        date_to: String,
        /// Only partnerships whose name contains this text.
        name: String,
    }
    select(f, s, candidates) {
        let parties = [Kind::Zone, Kind::Platform, Kind::Organization];
        candidates.linked(s, &f.party, &parties, &[Relation::PartnershipParty], Dir::In)?;
        if let Some(zone) = &f.zone {
            // A party in the zones: a zone itself, or a platform located there.
            let zones = zones_under(s, zone, true)?;
            let platforms = in_zones(s, &zones, Relation::PlatformZone);
            candidates.and(
                zones
                    .iter()
                    .chain(&platforms)
                    .flat_map(|p| s.rec(*p).targets(Relation::PartnershipParty, Dir::In)),
            );
        }
        candidates.in_sector(s, &f.sector, Relation::PartnershipSector)?;
        candidates.named(s, Self::KIND, &f.name);
        let (from, to) = (f.date_from.as_deref(), f.date_to.as_deref());
        Ok(kind_and_date(&f.kinds, from, to))
    }
    PartnershipQuery {
        /// Partnerships, filtered and ordered; at most 100 per page.
        partnerships("Which records to include.") -> Partnership;
        /// One partnership by slug.
        partnership;
    }
}
