//! `Partnership`: a cooperation relation (合作关系) — agreement, action plan, co-built park,
//! linkage mechanism — with its parties, the projects it covers and the document behind it.
use async_graphql::{Context, ID, InputObject, Object};
use entity::ids::{Kind, public_id};
use entity::partnership;

use super::common::{
    Conn, Lang, OrderBy, PageArgs, cost, dated_within, index, loaders, parse_id, pick,
};
use super::document::Document;
use super::metric::{Metric, metrics_of};
use super::node::{NameFilter, list, list_kind};
use super::party::PartnershipParty;
use super::project::Project;
use super::provenance::{Citation, Mention, aliases, mentions, own_citations};
use super::sector::{Sector, sectors_of};
use super::vocab::{PartnershipKind, any_of, from_stored};
use crate::error::{Res, db};

/// A partnership: who cooperates with whom, how, since when, and on what.
pub struct Partnership(pub partnership::Model);

/// Which partnerships to list.
#[derive(InputObject, Default)]
pub struct PartnershipFilter {
    /// Only these kinds.
    pub kinds: Option<Vec<PartnershipKind>>,
    /// Only partnerships this zone, platform or organization is a party to.
    pub party: Option<ID>,
    /// Only partnerships with a party in this zone or below it (a zone, or a platform located there).
    pub zone: Option<ID>,
    /// Only partnerships covering this sector.
    pub sector: Option<ID>,
    /// Only partnerships dated on or after this (YYYY, YYYY-MM or YYYY-MM-DD; undated ones are excluded).
    pub date_from: Option<String>,
    /// Only partnerships dated on or before this (undated ones are excluded).
    pub date_to: Option<String>,
    /// Only partnerships whose name contains this text.
    pub name: Option<String>,
}

/// A partnership: who cooperates with whom, how, since when, and on what.
#[Object]
impl Partnership {
    /// The record's stable, opaque ID.
    pub async fn id(&self) -> ID {
        ID(public_id(Kind::Partnership, &self.0.slug))
    }
    /// The seed slug: a readable, stable natural key.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// When this record last changed (RFC 3339, UTC).
    async fn updated_at(&self) -> String {
        self.0.updated_at.to_rfc3339()
    }
    /// The name as the sources write it, or a curated description when `descriptiveName` is true.
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
        aliases(ctx, Kind::Partnership, &self.0.slug)
    }
    /// What sort of cooperation it is.
    async fn kind(&self) -> Res<PartnershipKind> {
        from_stored(&self.0.kind)
    }
    /// The quotes that state this record.
    async fn citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        own_citations(ctx, Kind::Partnership, &self.0.slug).await
    }
    /// Where the record's names occur in the sources.
    async fn mentions(&self, ctx: &Context<'_>) -> Res<Vec<Mention>> {
        mentions(ctx, Kind::Partnership, &self.0.slug).await
    }
    /// Figures about this record.
    async fn metrics(&self, ctx: &Context<'_>) -> Res<Vec<Metric>> {
        metrics_of(ctx, Kind::Partnership, &self.0.slug).await
    }
    /// Number of partnerships this record takes part in.
    async fn degree(&self, ctx: &Context<'_>) -> Res<usize> {
        Ok(index(ctx)?.degree(Kind::Partnership, &self.0.slug))
    }
    /// True when the sources give the partnership no name and `nameZh` is a curated description.
    async fn descriptive_name(&self) -> bool {
        self.0.descriptive_name
    }
    /// When it was agreed or issued (YYYY, YYYY-MM or YYYY-MM-DD), where stated.
    async fn date(&self) -> Option<&str> {
        self.0.date.as_deref()
    }
    /// How the date was established when it is inferred rather than stated.
    async fn date_note(&self) -> Option<&str> {
        self.0.date_note.as_deref()
    }
    /// The parties, in the order the sources name them.
    async fn parties(&self, ctx: &Context<'_>) -> Res<Vec<PartnershipParty>> {
        Ok(loaders(ctx)?
            .parties
            .load_one(self.0.slug.clone())
            .await
            .map_err(db)?
            .unwrap_or_default()
            .into_iter()
            .map(PartnershipParty)
            .collect())
    }
    /// Projects the partnership covers.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn projects(
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
    ) -> Res<Conn<Project>> {
        let slugs = index(ctx)?
            .list(Kind::Partnership, &self.0.slug, "projects")
            .to_vec();
        list(
            ctx,
            Kind::Project,
            &loaders(ctx)?.projects,
            Project,
            &slugs,
            order_by,
            PageArgs::new(first, &after, last, &before),
        )
        .await
    }
    /// The policy document that establishes it.
    async fn document(&self, ctx: &Context<'_>) -> Res<Option<Document>> {
        let Some(d) = &self.0.document else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .documents
            .load_one(d.clone())
            .await
            .map_err(db)?
            .map(Document))
    }
    /// Sectors the partnership covers.
    async fn sectors(&self, ctx: &Context<'_>) -> Res<Vec<Sector>> {
        sectors_of(ctx, Kind::Partnership, &self.0.slug).await
    }
}

#[derive(Default)]
pub struct PartnershipQuery;

#[Object]
impl PartnershipQuery {
    /// Partnerships, filtered and ordered; at most 100 per page.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn partnerships(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which records to include.")] filter: Option<PartnershipFilter>,
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
        let filtered = filter.is_some();
        let f = filter.unwrap_or_default();
        let idx = index(ctx)?;
        let party = f
            .party
            .as_ref()
            .map(|id| parse_id(id, &[Kind::Zone, Kind::Platform, Kind::Organization]))
            .transpose()?;
        let of_party: Option<Vec<String>> =
            party.map(|(k, s)| idx.list(k, &s, "partnerships").to_vec());
        let in_zone: Option<std::collections::HashSet<String>> = match &f.zone {
            Some(id) => {
                let (_, z) = parse_id(id, &[Kind::Zone])?;
                let mut set = std::collections::HashSet::new();
                for z in idx.zone_subtree(&z) {
                    set.extend(idx.list(Kind::Zone, &z, "partnerships").iter().cloned());
                    for p in idx.list(Kind::Zone, &z, "platforms") {
                        set.extend(idx.list(Kind::Platform, p, "partnerships").iter().cloned());
                    }
                }
                Some(set)
            }
            None => None,
        };
        let sector = f
            .sector
            .as_ref()
            .map(|id| parse_id(id, &[Kind::Sector]))
            .transpose()?
            .map(|(_, s)| s);
        let name = NameFilter::new(&idx, Kind::Partnership, &f.name);
        let keep = |s: &String, e: &crate::index::Entry| {
            any_of(&f.kinds, &e.kind)
                && of_party.as_ref().is_none_or(|p| p.contains(s))
                && in_zone.as_ref().is_none_or(|z| z.contains(s))
                && sector.as_ref().is_none_or(|x| e.sectors.contains(x))
                && dated_within(
                    e.date.as_deref(),
                    f.date_from.as_deref(),
                    f.date_to.as_deref(),
                )
        };
        list_kind(
            ctx,
            Kind::Partnership,
            &loaders(ctx)?.partnerships,
            Partnership,
            &keep,
            filtered,
            name.candidates(),
            order_by,
            PageArgs::new(first, &after, last, &before),
        )
        .await
    }

    /// One partnership by slug.
    async fn partnership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The record's slug.")] slug: String,
    ) -> Res<Option<Partnership>> {
        Ok(loaders(ctx)?
            .partnerships
            .load_one(slug)
            .await
            .map_err(db)?
            .map(Partnership))
    }
}
