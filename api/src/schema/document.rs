//! `Document`: a policy document (政策文件, a 《…》 title) and the partnerships it establishes.
use async_graphql::{Context, ID, Object};
use entity::document;
use entity::ids::{Kind, public_id};

use super::common::{
    Conn, Lang, OrderBy, PageArgs, cost, dated_within, index, loaders, parse_id, pick,
};
use super::node::{NameFilter, list, list_kind};
use super::organization::Organization;
use super::partnership::Partnership;
use super::provenance::{Citation, Mention, aliases, mentions, own_citations};
use super::vocab::{DocumentKind, any_of, from_stored};
use super::zone::Zone;
use crate::error::{Res, db};

/// A policy document: plan, action plan, agreement, measures, notice (政策文件).
pub struct Document(pub document::Model);

/// A policy document: plan, action plan, agreement, measures, notice (政策文件).
#[Object]
impl Document {
    /// The record's stable, opaque ID.
    pub async fn id(&self) -> ID {
        ID(public_id(Kind::Document, &self.0.slug))
    }
    /// The seed slug: a readable, stable natural key.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// When this record last changed (RFC 3339, UTC).
    async fn updated_at(&self) -> String {
        self.0.updated_at.to_rfc3339()
    }
    /// The title exactly as the sources write it, without 《》.
    async fn name_zh(&self) -> &str {
        &self.0.title_zh
    }
    /// The English name: a curated translation (see `nameEnIsTranslation`).
    async fn name_en(&self) -> Option<&str> {
        self.0.title_en.as_deref()
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
        pick(&self.0.title_zh, &self.0.title_en, lang)
    }
    /// Other surface forms of the name found in the sources.
    async fn aliases(&self, ctx: &Context<'_>) -> Res<Vec<String>> {
        aliases(ctx, Kind::Document, &self.0.slug)
    }
    /// What sort of document it is.
    async fn kind(&self) -> Res<DocumentKind> {
        from_stored(&self.0.kind)
    }
    /// The quotes that state this record.
    async fn citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        own_citations(ctx, Kind::Document, &self.0.slug).await
    }
    /// Where the record's names occur in the sources.
    async fn mentions(&self, ctx: &Context<'_>) -> Res<Vec<Mention>> {
        mentions(ctx, Kind::Document, &self.0.slug).await
    }
    /// Number of partnerships this record takes part in.
    async fn degree(&self, ctx: &Context<'_>) -> Res<usize> {
        Ok(index(ctx)?.degree(Kind::Document, &self.0.slug))
    }
    /// When it was issued (YYYY, YYYY-MM or YYYY-MM-DD), where stated.
    async fn date(&self) -> Option<&str> {
        self.0.date.as_deref()
    }
    /// How the date was established when it is inferred rather than stated.
    async fn date_note(&self) -> Option<&str> {
        self.0.date_note.as_deref()
    }
    /// The zone that issued it, where stated.
    async fn issuer_zone(&self, ctx: &Context<'_>) -> Res<Option<Zone>> {
        let Some(z) = &self.0.issuer_zone else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .zones
            .load_one(z.clone())
            .await
            .map_err(db)?
            .map(Zone))
    }
    /// The organization that issued it, where stated.
    async fn issuer_organization(&self, ctx: &Context<'_>) -> Res<Option<Organization>> {
        let Some(o) = &self.0.issuer_organization else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .organizations
            .load_one(o.clone())
            .await
            .map_err(db)?
            .map(Organization))
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
        let slugs = index(ctx)?
            .list(Kind::Document, &self.0.slug, "partnerships")
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
}

/// Which documents to list.
#[derive(async_graphql::InputObject, Default)]
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
        let filtered = filter.is_some();
        let f = filter.unwrap_or_default();
        let idx = index(ctx)?;
        // Documents whose `issued_by` edge ends at the issuer.
        let issued: Option<std::collections::HashSet<String>> = match &f.issuer {
            None => None,
            Some(id) => {
                let target = parse_id(id, &[Kind::Zone, Kind::Organization])?;
                let edges = idx.adjacency.get(&target).map_or(&[][..], Vec::as_slice);
                Some(
                    edges
                        .iter()
                        .map(|i| &idx.edges[*i])
                        .filter(|e| e.relation == "issued_by" && e.to == target)
                        .map(|e| e.from.1.clone())
                        .collect(),
                )
            }
        };
        let name = NameFilter::new(&idx, Kind::Document, &f.name);
        let keep = |s: &String, e: &crate::index::Entry| {
            any_of(&f.kinds, &e.kind)
                && issued.as_ref().is_none_or(|i| i.contains(s))
                && dated_within(
                    e.date.as_deref(),
                    f.date_from.as_deref(),
                    f.date_to.as_deref(),
                )
        };
        list_kind(
            ctx,
            Kind::Document,
            &loaders(ctx)?.documents,
            Document,
            &keep,
            filtered,
            name.candidates(),
            order_by,
            PageArgs::new(first, &after, last, &before),
        )
        .await
    }
}
