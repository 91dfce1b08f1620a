//! `Organization`: a body a partnership, document or project needs (机构).
use async_graphql::Context;
use entity::relation::Relation;
use entity::vocab::OrganizationKind;

use super::common::{required, snap};
use super::partner::{Partner, partners};
use super::partnership::Partnership;
use super::project_organization::{ProjectOrganization, project_organizations};
use super::record::{linked, object_fields, one, record_type};
use super::zone::Zone;
use crate::error::Res;
use crate::snapshot::Dir;

record_type! {
    /// An organization: government body, agency, university, enterprise … (机构).
    Organization = Named + OrganizationFields
}

object_fields! {
    impl OrganizationFields {
        connections {
            /// Partnerships the organization is a party to.
            partnerships() -> Partnership = linked(Relation::PartnershipParty, Dir::In, Partnership::new);
            /// Zones, platforms and organizations that share a partnership with this organization,
            /// each with the partnerships they share.
            partners() -> Partner = partners;
        }
        /// What sort of body it is.
        async fn kind(&self, ctx: &Context<'_>) -> Res<OrganizationKind> {
            required(snap(ctx)?.rec(self.0).sub())
        }
        /// The zone the organization belongs to, where stated.
        async fn zone(&self, ctx: &Context<'_>) -> Res<Option<Zone>> {
            one(ctx, self.0, Relation::OrganizationZone, Zone::new)
        }
        /// Projects the organization owns, builds or runs, each with its role and evidence.
        async fn projects(&self, ctx: &Context<'_>) -> Res<Vec<ProjectOrganization>> {
            project_organizations(ctx, self.0, Dir::In)
        }
    }
}
