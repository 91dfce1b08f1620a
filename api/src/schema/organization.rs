//! `Organization`: a body a partnership, document or project needs (机构).
use async_graphql::{Context, Object};
use entity::relation::Relation;
use entity::vocab::OrganizationKind;

use super::common::{OrderBy, required, snap};
use super::page::{Conn, PageArgs, cost};
use super::partner::{Partner, partners_of};
use super::partnership::Partnership;
use super::record::{one, record_type, related};
use super::zone::Zone;
use crate::error::Res;
use crate::snapshot::{Dir, Id};

record_type! {
    /// An organization: government body, agency, university, enterprise … (机构).
    Organization = Named + OrganizationFields
}

pub struct OrganizationFields(pub Id);

#[Object]
impl OrganizationFields {
    /// What sort of body it is.
    async fn kind(&self, ctx: &Context<'_>) -> Res<OrganizationKind> {
        required(snap(ctx)?.rec(self.0).sub())
    }
    /// The zone the organization belongs to, where stated.
    async fn zone(&self, ctx: &Context<'_>) -> Res<Option<Zone>> {
        one(ctx, self.0, Relation::OrganizationZone, Zone::new)
    }
    /// Partnerships the organization is a party to.
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
    /// Zones, platforms and organizations that share a partnership with this organization,
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
