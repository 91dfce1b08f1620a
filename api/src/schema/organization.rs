//! `Organization`: a body a partnership, document or project needs (机构).
use async_graphql::ID;
use entity::ids::Kind;
use entity::relation::Relation;
use entity::vocab::OrganizationKind;

use super::field;
use super::filter::of_kinds;
use super::partner::{Partner, partners};
use super::project_organization::{ProjectOrganization, project_organizations};
use super::record::{list_query, one, record_type};
use super::zone::Zone;
use crate::snapshot::Dir;

record_type! {
    /// An organization: government body, agency, university, enterprise … (机构).
    Organization = Named + OrganizationFields {
        connections {
            /// Zones, platforms and organizations that share a partnership with this organization,
            /// each with the partnerships they share.
            partners() -> Partner = partners;
        }
        fields {
            /// What sort of body it is.
            kind -> OrganizationKind = field::kind;
            /// The zone the organization belongs to, where stated.
            zone -> Option<Zone> = one(Relation::OrganizationZone, Zone::new);
            /// Projects the organization owns, builds or runs, each with its role and evidence.
            projects -> Vec<ProjectOrganization> = |ctx, id| project_organizations(ctx, id, Dir::In);
        }
    }
}

list_query! {
    /// Which organizations to list.
    OrganizationFilter of Kind::Organization {
        /// Only these kinds.
        kinds: Vec<OrganizationKind>,
        /// Only organizations belonging to this zone or any zone below it.
        zone: ID,
        /// Only organizations whose Chinese name, English name or an alias contains this text.
        name: String,
    }
    select(f, s, candidates) {
        candidates.in_zone(s, &f.zone, Relation::OrganizationZone)?;
        candidates.named(s, Self::KIND, &f.name);
        Ok(of_kinds(&f.kinds))
    }
    OrganizationQuery {
        /// Organizations (机构), filtered and ordered; at most 100 per page.
        organizations("Which organizations to include.") -> Organization;
        /// One organization by slug.
        organization;
    }
}
