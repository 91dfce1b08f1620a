//! `Source`: a source document every fact is quoted from (来源).
use async_graphql::{Context, ID, InputObject, Object};
use entity::ids::{Kind, public_id};
use entity::source;

use super::common::{Conn, OrderBy, PageArgs, cost, index, loaders};
use super::node::{NameFilter, list_kind};
use super::provenance::Mention;
use crate::error::{Res, db};

/// A source document: a news article or policy notice, kept byte for byte.
pub struct Source(pub source::Model);

/// Which sources to list.
#[derive(InputObject, Default)]
pub struct SourceFilter {
    /// Only sources whose title contains this text.
    pub title: Option<String>,
}

/// A source document: a news article or policy notice, kept byte for byte.
#[Object]
impl Source {
    /// The source's stable, opaque ID.
    pub async fn id(&self) -> ID {
        ID(public_id(Kind::Source, &self.0.slug))
    }
    /// The seed slug.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// When this record last changed (RFC 3339, UTC).
    async fn updated_at(&self) -> String {
        self.0.updated_at.to_rfc3339()
    }
    /// The title as published (标题).
    async fn title_zh(&self) -> &str {
        &self.0.title
    }
    /// The publisher or outlet.
    async fn publisher(&self) -> &str {
        &self.0.publisher
    }
    /// The reporter, where named.
    async fn reporter(&self) -> Option<&str> {
        self.0.reporter.as_deref()
    }
    /// The publication date as stated (YYYY, YYYY-MM or YYYY-MM-DD).
    async fn date(&self) -> Option<&str> {
        self.0.date.as_deref()
    }
    /// How the date was established when it is inferred, with the sentence that implies it.
    async fn date_note(&self) -> Option<&str> {
        self.0.date_note.as_deref()
    }
    /// The file name the document was received under.
    async fn original_file(&self) -> &str {
        &self.0.original_file
    }
    /// SHA-256 of the text, hex.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
    /// The full text, byte for byte; citation and mention offsets count its characters.
    async fn text(&self) -> &str {
        &self.0.body
    }
    /// Every occurrence of a record's name in this source, in text order.
    async fn mentions(&self, ctx: &Context<'_>) -> Res<Vec<Mention>> {
        Ok(loaders(ctx)?
            .source_mentions
            .load_one(self.0.slug.clone())
            .await
            .map_err(db)?
            .unwrap_or_default()
            .into_iter()
            .map(Mention)
            .collect())
    }
}

#[derive(Default)]
pub struct SourceQuery;

#[Object]
impl SourceQuery {
    /// Source documents; at most 100 per page.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn sources(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which records to include.")] filter: Option<SourceFilter>,
        #[graphql(
            desc = "Page size from the start, 0 to 100 (20 if neither first nor last is given)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size from the end, 0 to 100.")] last: Option<i32>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Order of the items (by Chinese name if omitted); cursors follow it.")]
        order_by: Option<OrderBy>,
    ) -> Res<Conn<Source>> {
        let filtered = filter.is_some();
        let f = filter.unwrap_or_default();
        let idx = index(ctx)?;
        let name = NameFilter::new(&idx, Kind::Source, &f.title);
        // The title is the only filter, and it narrows through the candidates.
        let keep = |_: &String, _: &crate::index::Entry| true;
        list_kind(
            ctx,
            Kind::Source,
            &loaders(ctx)?.sources,
            Source,
            &keep,
            filtered,
            name.candidates(),
            order_by,
            PageArgs::new(first, &after, last, &before),
        )
        .await
    }

    /// One source by slug.
    async fn source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The record's slug.")] slug: String,
    ) -> Res<Option<Source>> {
        Ok(loaders(ctx)?
            .sources
            .load_one(slug)
            .await
            .map_err(db)?
            .map(Source))
    }
}
