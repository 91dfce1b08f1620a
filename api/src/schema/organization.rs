//! `Organization`: a body a partnership, document or project needs (机构).
use entity::relation::Relation;
use entity::vocab::OrganizationKind;

use super::field;
use super::partner::{Partner, partners};
use super::partnership::Partnership;
use super::project_organization::{ProjectOrganization, project_organizations};
use super::record::{linked, one, record_type};
use super::zone::Zone;
use crate::snapshot::Dir;

record_type! {
    /// An organization: government body, agency, university, enterprise … (机构).
    Organization = Named + OrganizationFields {
        connections {
            /// Partnerships the organization is a party to.
            partnerships() -> Partnership = linked(Relation::PartnershipParty, Dir::In, Partnership::new);
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
