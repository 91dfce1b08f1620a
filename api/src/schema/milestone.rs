//! `Milestone`: a dated event in a project's life, with its quote.
use async_graphql::{Context, Object};
use entity::ids::Kind;
use entity::milestone;

use super::provenance::{Citation, relation_citations};
use crate::error::Res;

/// A dated event in a project's life (里程碑), e.g. 2022-07-28 正式投入运行.
pub struct Milestone(pub milestone::Model);

/// A dated event in a project's life (里程碑), e.g. 2022-07-28 正式投入运行.
#[Object]
impl Milestone {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    async fn date(&self) -> &str {
        &self.0.date
    }
    /// How the date was established when the source leaves part of it implicit (e.g. the year).
    async fn date_note(&self) -> Option<&str> {
        self.0.date_note.as_deref()
    }
    /// What happened, in Chinese as the source says it.
    async fn event_zh(&self) -> &str {
        &self.0.event_zh
    }
    /// What happened, in English (curated translation).
    async fn event_en(&self) -> Option<&str> {
        self.0.event_en.as_deref()
    }
    /// The quote stating the event.
    async fn citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        let ordinal = self.0.ordinal.to_string();
        relation_citations(ctx, Kind::Project, &self.0.project, |c| {
            c.relation.as_deref() == Some("milestone")
                && c.target.as_deref() == Some(ordinal.as_str())
        })
        .await
    }
}
