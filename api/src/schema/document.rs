//! `Document`: a policy document (政策文件, a 《…》 title) and the partnerships it establishes.
use async_graphql::{Context, ID, InputObject, Object};
use entity::ids::Kind;
use entity::relation::Relation;
use entity::vocab::DocumentKind;

use super::common::{OrderBy, dated_within, find_id, required, snap};
use super::filter::{Candidates, any_of, list_kind};
use super::organization::Organization;
use super::page::{Conn, PageArgs, cost};
use super::partnership::Partnership;
use super::record::{one, record_type, related};
use super::zone::Zone;
use crate::error::Res;
use crate::snapshot::{Dir, Id, RecRef};

record_type! {
    /// A policy document: plan, action plan, agreement, measures, notice (政策文件).
    Document = Named + DocumentFields
}

/// Which documents to list.
#[derive(InputObject, Default)]
pub struct DocumentFilter {
    /// Only these kinds.
    pub kinds: Option<Vec<DocumentKind>>,
    /// Only documents issued by this zone or organization.
    pub issuer: Option<ID>,
    /// Only documents dated on or after this (YYYY, YYYY-MM or YYYY-MM-DD; undated ones are excluded).
    pub date_from: Option<String>,
    /// Only documents dated on or before this (undated ones are excluded).
    pub date_to: Option<String>,
    /// Only documents whose title contains this text (Chinese, English or an alias).
    pub name: Option<String>,
}

pub struct DocumentFields(pub Id);

#[Object]
impl DocumentFields {
    /// What sort of document it is.
    async fn kind(&self, ctx: &Context<'_>) -> Res<DocumentKind> {
        required(snap(ctx)?.rec(self.0).sub())
    }
    /// When it was issued (YYYY, YYYY-MM or YYYY-MM-DD), where stated.
    async fn date(&self, ctx: &Context<'_>) -> Res<Option<String>> {
        Ok(snap(ctx)?.rec(self.0).date().map(str::to_owned))
    }
    /// How the date was established when it is inferred rather than stated.
    async fn date_note(&self, ctx: &Context<'_>) -> Res<Option<String>> {
        Ok(snap(ctx)?.rec(self.0).extra("date_note").map(str::to_owned))
    }
    /// The zone that issued it, where stated.
    async fn issuer_zone(&self, ctx: &Context<'_>) -> Res<Option<Zone>> {
        one(ctx, self.0, Relation::DocumentIssuerZone, Zone::new)
    }
    /// The organization that issued it, where stated.
    async fn issuer_organization(&self, ctx: &Context<'_>) -> Res<Option<Organization>> {
        one(
            ctx,
            self.0,
            Relation::DocumentIssuerOrganization,
            Organization::new,
        )
    }
    /// Partnerships this document establishes.
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
            Relation::PartnershipDocument,
            Dir::In,
            Partnership::new,
            order_by,
            args,
        )
    }
}

#[derive(Default)]
pub struct DocumentQuery;

#[Object]
impl DocumentQuery {
    /// Policy documents (政策文件); at most 100 per page.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn documents(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which documents to include.")] filter: Option<DocumentFilter>,
        #[graphql(desc = "Order of the items (by Chinese name if omitted); cursors follow it.")]
        order_by: Option<OrderBy>,
        #[graphql(
            desc = "Page size from the start, 0 to 100 (20 if neither first nor last is given)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size from the end, 0 to 100.")] last: Option<i32>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
    ) -> Res<Conn<Document>> {
        let f = filter.unwrap_or_default();
        let s = snap(ctx)?;
        let mut candidates = Candidates::all();
        if let Some(issuer) = &f.issuer {
            // Documents issued by the zone or organization: either issuer relation.
            let found = find_id(&s, issuer, &[Kind::Zone, Kind::Organization])?;
            candidates.and(found.into_iter().flat_map(|i| {
                let r = s.rec(i);
                r.targets(Relation::DocumentIssuerZone, Dir::In)
                    .chain(r.targets(Relation::DocumentIssuerOrganization, Dir::In))
            }));
        }
        candidates.named(&s, Kind::Document, &f.name);
        let (from, to) = (f.date_from.as_deref(), f.date_to.as_deref());
        let keep = |r: RecRef<'_>| any_of(&f.kinds, r.sub()) && dated_within(r.date(), from, to);
        let keep: Option<&dyn Fn(RecRef<'_>) -> bool> =
            (f.kinds.is_some() || from.is_some() || to.is_some()).then_some(&keep);
        let args = PageArgs::new(first, &after, last, &before);
        list_kind(
            ctx,
            Kind::Document,
            candidates,
            keep,
            order_by,
            args,
            Document::new,
        )
    }
}
