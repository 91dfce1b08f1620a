//! `Source`: a source document every fact is quoted from (来源).
use async_graphql::{Context, InputObject, Object};
use entity::ids::Kind;

use super::common::snap;
use super::filter::{Candidates, ListFilter, Test, filtered};
use super::provenance::{Mention, mentions_of};
use super::record::{object_fields, record_type};
use crate::error::Res;
use crate::snapshot::Snapshot;

record_type! {
    /// A source document: a news article or policy notice, kept byte for byte.
    Source = SourceFields
}

/// Which sources to list.
#[derive(InputObject, Default)]
pub struct SourceFilter {
    /// Only sources whose title contains this text.
    pub title: Option<String>,
}

impl ListFilter for SourceFilter {
    const KIND: Kind = Kind::Source;

    fn select(&self, s: &Snapshot, candidates: &mut Candidates) -> Res<Option<Test<'_>>> {
        candidates.named(s, Self::KIND, &self.title);
        Ok(None)
    }
}

impl SourceFields {
    fn extra(&self, ctx: &Context<'_>, field: &str) -> Res<Option<String>> {
        Ok(snap(ctx)?.rec(self.0).extra(field).map(str::to_owned))
    }

    /// A text every source has (the migration makes its column NOT NULL).
    fn required(&self, ctx: &Context<'_>, field: &'static str) -> Res<String> {
        self.extra(ctx, field)?.ok_or_else(|| {
            tracing::error!(field, "a source without a required field");
            crate::error::internal()
        })
    }
}

#[Object]
impl SourceFields {
    /// The title as published (标题).
    async fn title_zh(&self, ctx: &Context<'_>) -> Res<String> {
        Ok(snap(ctx)?.rec(self.0).name_zh().to_owned())
    }
    /// The publisher or outlet.
    async fn publisher(&self, ctx: &Context<'_>) -> Res<String> {
        self.required(ctx, "publisher")
    }
    /// The reporter, where named.
    async fn reporter(&self, ctx: &Context<'_>) -> Res<Option<String>> {
        self.extra(ctx, "reporter")
    }
    /// The original publication's address, where the received text states it; null otherwise,
    /// with the reason in `urlNote`.
    async fn url(&self, ctx: &Context<'_>) -> Res<Option<String>> {
        self.extra(ctx, "url")
    }
    /// Why `url` is null (e.g. the received text states no address).
    async fn url_note(&self, ctx: &Context<'_>) -> Res<Option<String>> {
        self.extra(ctx, "url_note")
    }
    /// The publication date as stated (YYYY, YYYY-MM or YYYY-MM-DD).
    async fn date(&self, ctx: &Context<'_>) -> Res<Option<String>> {
        Ok(snap(ctx)?.rec(self.0).date().map(str::to_owned))
    }
    /// How the date was established when it is inferred, with the sentence that implies it.
    async fn date_note(&self, ctx: &Context<'_>) -> Res<Option<String>> {
        self.extra(ctx, "date_note")
    }
    /// The file name the document was received under.
    async fn original_file(&self, ctx: &Context<'_>) -> Res<String> {
        self.required(ctx, "original_file")
    }
    /// SHA-256 of the text, hex.
    async fn sha256(&self, ctx: &Context<'_>) -> Res<String> {
        self.required(ctx, "sha256")
    }
    /// The full text, byte for byte; citation and mention offsets count its characters.
    async fn text(&self, ctx: &Context<'_>) -> Res<String> {
        self.required(ctx, "body")
    }
    /// Every occurrence of a record's name in this source, in text order.
    async fn mentions(&self, ctx: &Context<'_>) -> Res<Vec<Mention>> {
        Ok(mentions_of(&*snap(ctx)?, self.0))
    }
}

#[derive(Default)]
pub struct SourceQuery;

object_fields! {
    impl SourceQuery {
        connections {
            /// Source documents; at most 100 per page.
            sources(filter: Option<SourceFilter>; "Which records to include.") -> Source = filtered(filter, Source::new);
        }

        by_slug {
            /// One source by slug.
            source -> Source = Kind::Source;
        }
    }
}
