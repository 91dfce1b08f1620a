//! `Organization`: a body a partnership, document or project needs (机构).
use async_graphql::{Context, ID, Object};
use entity::ids::{Kind, public_id};
use entity::organization;

use super::common::{Conn, Lang, OrderBy, PageArgs, cost, index, loaders, pick};
use super::node::list;
use super::partner::{Partner, partners_of};
use super::partnership::Partnership;
use super::provenance::{Citation, Mention, aliases, mentions, own_citations};
use super::vocab::{OrganizationKind, from_stored};
use super::zone::Zone;
use crate::error::{Res, db};

/// An organization: government body, agency, university, enterprise … (机构).
pub struct Organization(pub organization::Model);

/// An organization: government body, agency, university, enterprise … (机构).
#[Object]
impl Organization {
    /// The record's stable, opaque ID.
    pub async fn id(&self) -> ID {
        ID(public_id(Kind::Organization, &self.0.slug))
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
    /// Other surface forms of the name found in the sources.
    async fn aliases(&self, ctx: &Context<'_>) -> Res<Vec<String>> {
        aliases(ctx, Kind::Organization, &self.0.slug)
    }
    /// What sort of body it is.
    async fn kind(&self) -> Res<OrganizationKind> {
        from_stored(&self.0.kind)
    }
    /// The quotes that state this record.
    async fn citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        own_citations(ctx, Kind::Organization, &self.0.slug).await
    }
    /// Where the record's names occur in the sources.
    async fn mentions(&self, ctx: &Context<'_>) -> Res<Vec<Mention>> {
        mentions(ctx, Kind::Organization, &self.0.slug).await
    }
    /// Number of partnerships this record takes part in.
    async fn degree(&self, ctx: &Context<'_>) -> Res<usize> {
        Ok(index(ctx)?.degree(Kind::Organization, &self.0.slug))
    }
    /// The zone the organization belongs to, where stated.
    async fn zone(&self, ctx: &Context<'_>) -> Res<Option<Zone>> {
        let Some(z) = &self.0.zone else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .zones
            .load_one(z.clone())
            .await
            .map_err(db)?
            .map(Zone))
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
        let slugs = index(ctx)?
            .list(Kind::Organization, &self.0.slug, "partnerships")
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
            Kind::Organization,
            &self.0.slug,
            order_by,
            PageArgs::new(first, &after, last, &before),
        )
        .await
    }
}
