//! `Milestone`: a dated event in a project's life, with its quote.
use async_graphql::{Context, Object};

use super::common::snap;
use super::provenance::{Citation, citations_where};
use crate::error::Res;
use crate::snapshot::Id;

/// A dated event in a project's life (里程碑), e.g. 2022-07-28 正式投入运行.
pub struct Milestone {
    pub project: Id,
    pub ordinal: i32,
    pub date: String,
    pub date_note: Option<String>,
    pub event_zh: String,
    pub event_en: Option<String>,
}

/// A dated event in a project's life (里程碑), e.g. 2022-07-28 正式投入运行.
#[Object]
impl Milestone {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    async fn date(&self) -> &str {
        &self.date
    }
    /// How the date was established when the source leaves part of it implicit (e.g. the year).
    async fn date_note(&self) -> Option<&str> {
        self.date_note.as_deref()
    }
    /// What happened, in Chinese as the source says it.
    async fn event_zh(&self) -> &str {
        &self.event_zh
    }
    /// What happened, in English (curated translation).
    async fn event_en(&self) -> Option<&str> {
        self.event_en.as_deref()
    }
    /// The quote stating the event.
    async fn citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        let ordinal = u32::try_from(self.ordinal).ok();
        Ok(citations_where(&*snap(ctx)?, self.project, |c| {
            c.relation() == Some("milestone") && c.target_number() == ordinal && ordinal.is_some()
        }))
    }
}

/// A project's milestones, oldest first.
pub fn milestones_of(ctx: &Context<'_>, project: Id) -> Res<Vec<Milestone>> {
    Ok(snap(ctx)?
        .rec(project)
        .milestones()
        .map(|m| Milestone {
            project,
            ordinal: m.ordinal(),
            date: m.date().to_owned(),
            date_note: m.date_note().map(str::to_owned),
            event_zh: m.event_zh().to_owned(),
            event_en: m.event_en().map(str::to_owned),
        })
        .collect())
}
