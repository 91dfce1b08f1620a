//! `Metric`: a figure stated in a source (数据): area, target, throughput, count.
use async_graphql::{Context, Object};
use entity::relation::Relation;
use entity::vocab::Qualifier;

use super::common::{Lang, pick, snap};
use super::node::{Node, node_of};
use super::provenance::{Citation, citations_where};
use super::record::record_type;
use crate::error::Res;
use crate::snapshot::{Dir, Id};

record_type! {
    /// A figure about one zone, platform, project or partnership, exactly as a source states it.
    Metric = MetricFields
}

#[Object]
impl MetricFields {
    /// What is measured, in Chinese (规划面积 …).
    async fn name_zh(&self, ctx: &Context<'_>) -> Res<String> {
        Ok(snap(ctx)?.rec(self.0).name_zh().to_owned())
    }
    /// What is measured, in English (curated translation).
    async fn name_en(&self, ctx: &Context<'_>) -> Res<Option<String>> {
        Ok(snap(ctx)?.rec(self.0).name_en().map(str::to_owned))
    }
    /// What is measured, in the language asked for (Chinese fallback).
    async fn name(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Language, Chinese by default.", default_with = "Lang::Zh")] lang: Lang,
    ) -> Res<String> {
        let s = snap(ctx)?;
        let r = s.rec(self.0);
        Ok(pick(r.name_zh(), r.name_en(), lang))
    }
    /// The value as a number, in `unit` (a range's lower end).
    async fn value(&self, ctx: &Context<'_>) -> Res<f64> {
        value(ctx, self.0)
    }
    /// The value exactly as written in the source (e.g. `56.39平方公里`).
    async fn value_text(&self, ctx: &Context<'_>) -> Res<String> {
        required_text(ctx, self.0, "value_text")
    }
    /// How `value` relates to what the source states: `MORE_THAN` for 超过200个, `RANGE` for
    /// 3年至5年 (then `valueMax` is the upper end), `EXACT` for a number stated as it is.
    async fn qualifier(&self, ctx: &Context<'_>) -> Res<Qualifier> {
        qualifier(ctx, self.0)
    }
    /// The upper end of a `RANGE` (5 for 3年至5年); null otherwise.
    async fn value_max(&self, ctx: &Context<'_>) -> Res<Option<f64>> {
        value_max(ctx, self.0)
    }
    /// The date a running total stands at (YYYY, YYYY-MM or YYYY-MM-DD): the date of the report
    /// stating it, where the figure has no `year` of its own.
    async fn as_of(&self, ctx: &Context<'_>) -> Res<Option<String>> {
        Ok(snap(ctx)?.rec(self.0).extra("as_of").map(str::to_owned))
    }
    /// The number as it reads in English, qualifier included, without the unit: `more than 200`,
    /// `3–5`, `56.39`.
    async fn reading(&self, ctx: &Context<'_>) -> Res<String> {
        let value = value(ctx, self.0)?;
        Ok(match (qualifier(ctx, self.0)?, value_max(ctx, self.0)?) {
            (Qualifier::Range, Some(max)) => format!("{value}–{max}"),
            (Qualifier::Exact | Qualifier::Range, _) => value.to_string(),
            (q, _) => format!("{} {value}", q.words_en()),
        })
    }
    /// The unit: `km2`, `m2`, `cny_100m` (亿元), `teu`, `count`, `percent`, `person` …
    async fn unit(&self, ctx: &Context<'_>) -> Res<String> {
        required_text(ctx, self.0, "unit")
    }
    /// The year the figure refers to, where stated.
    async fn year(&self, ctx: &Context<'_>) -> Res<Option<i32>> {
        Ok(snap(ctx)?.rec(self.0).year())
    }
    /// True for a planned or target figure, false for a reported one.
    async fn is_target(&self, ctx: &Context<'_>) -> Res<bool> {
        Ok(snap(ctx)?.rec(self.0).flag())
    }
    /// The quotes stating the figure.
    async fn citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        Ok(citations_where(&*snap(ctx)?, self.0, |c| {
            c.relation().is_none()
        }))
    }
    /// What the figure is about.
    async fn subject(&self, ctx: &Context<'_>) -> Res<Option<Node>> {
        let s = snap(ctx)?;
        Ok(s.rec(self.0)
            .target(Relation::MetricSubject)
            .and_then(|id| node_of(&s, id)))
    }
}

fn value(ctx: &Context<'_>, id: Id) -> Res<f64> {
    snap(ctx)?.rec(id).number().ok_or_else(|| {
        tracing::error!("a metric without a value");
        crate::error::internal()
    })
}

/// A figure's qualifier; the column defaults to `exact` (NOT NULL), so no code is exact.
fn qualifier(ctx: &Context<'_>, id: Id) -> Res<Qualifier> {
    Ok(snap(ctx)?
        .rec(id)
        .tag::<Qualifier>()
        .unwrap_or(Qualifier::Exact))
}

fn value_max(ctx: &Context<'_>, id: Id) -> Res<Option<f64>> {
    let s = snap(ctx)?;
    match s.rec(id).extra("value_max") {
        None => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| {
            tracing::error!(value_max = text, "a figure's upper end is not a number");
            crate::error::internal()
        }),
    }
}

/// A text every figure has (`value_text`, `unit`: NOT NULL columns).
fn required_text(ctx: &Context<'_>, id: Id, field: &'static str) -> Res<String> {
    let s = snap(ctx)?;
    s.rec(id).extra(field).map(str::to_owned).ok_or_else(|| {
        tracing::error!(field, "a figure without a required field");
        crate::error::internal()
    })
}

/// The figures about one record, by slug.
pub fn metrics_of(ctx: &Context<'_>, id: Id) -> Res<Vec<Metric>> {
    let s = snap(ctx)?;
    let mut ids: Vec<Id> = s
        .rec(id)
        .targets(Relation::MetricSubject, Dir::In)
        .collect();
    ids.sort_by(|a, b| s.rec(*a).slug().cmp(s.rec(*b).slug()));
    Ok(ids.into_iter().map(Metric::new).collect())
}
