//! `Metric`: a figure stated in a source (数据): area, target, throughput, count.
use async_graphql::{Context, ID};
use entity::ids::Kind;
use entity::relation::Relation;
use entity::vocab::Qualifier;

use super::common::{Lang, snap};
use super::field;
use super::filter::test;
use super::node::{Node, node_of};
use super::provenance::{Citation, own_citations};
use super::record::{list_query, record_type};
use crate::error::Res;
use crate::snapshot::{Dir, Id, RecRef};

record_type! {
    /// A figure about one zone, platform, project or partnership, exactly as a source states it.
    Metric = MetricFields {
        fields {
            /// What is measured, in Chinese (规划面积 …).
            name_zh -> String = field::name_zh;
            /// What is measured, in English (curated translation).
            name_en -> Option<String> = field::name_en;
            /// What is measured, in the language asked for (Chinese fallback).
            name(lang: Lang = "Lang::Zh"; "Language, Chinese by default.") -> String = field::name(lang);
            /// The value as a number, in `unit` (a range's lower end).
            value -> f64 = value;
            /// The value exactly as written in the source (e.g. `56.39平方公里`).
            value_text -> String = field::text("value_text");
            /// How `value` relates to what the source states: `MORE_THAN` for 超过200个, `RANGE` for
            /// 3年至5年 (then `valueMax` is the upper end), `EXACT` for a number stated as it is.
            qualifier -> Qualifier = qualifier;
            /// The upper end of a `RANGE` (5 for 3年至5年); null otherwise.
            value_max -> Option<f64> = value_max;
            /// The date a running total stands at (YYYY, YYYY-MM or YYYY-MM-DD): the date of the report
            /// stating it, where the figure has no `year` of its own.
            as_of -> Option<String> = field::extra("as_of");
            /// The number as it reads in English, qualifier included, without the unit: `more than 200`,
            /// `3–5`, `56.39`.
            reading -> String = reading;
            /// The unit: `km2`, `m2`, `cny_100m` (亿元), `teu`, `count`, `percent`, `person` …
            unit -> String = field::text("unit");
            /// The year the figure refers to, where stated.
            year -> Option<i32> = field::year;
            /// True for a planned or target figure, false for a reported one.
            is_target -> bool = field::flag;
            /// The quotes stating the figure.
            citations -> Vec<Citation> = own_citations;
            /// What the figure is about.
            subject -> Option<Node> = subject;
        }
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

/// The number in English words and digits (see `reading`).
fn reading(ctx: &Context<'_>, id: Id) -> Res<String> {
    let value = value(ctx, id)?;
    Ok(match (qualifier(ctx, id)?, value_max(ctx, id)?) {
        (Qualifier::Range, Some(max)) => format!("{value}–{max}"),
        (Qualifier::Exact | Qualifier::Range, _) => value.to_string(),
        (q, _) => format!("{} {value}", q.words_en()),
    })
}

/// The record a figure is about.
fn subject(ctx: &Context<'_>, id: Id) -> Res<Option<Node>> {
    let s = snap(ctx)?;
    Ok(s.rec(id)
        .target(Relation::MetricSubject)
        .and_then(|subject| node_of(&s, subject)))
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

list_query! {
    /// Which figures to list.
    MetricFilter of Kind::Metric {
        /// Only figures about this zone, platform, project or partnership.
        subject: ID,
        /// Only planned or target figures (true) or only reported ones (false).
        is_target: bool,
        /// Only figures referring to this year.
        year: i32,
    }
    select(f, s, candidates) {
        let subjects = Relation::MetricSubject.def().to;
        candidates.linked(s, &f.subject, subjects, &[Relation::MetricSubject], Dir::In)?;
        let keep = |r: RecRef<'_>| {
            f.is_target.is_none_or(|t| r.flag() == t) && f.year.is_none_or(|y| r.year() == Some(y))
        };
        Ok(test(f.is_target.is_some() || f.year.is_some(), keep))
    }
    MetricQuery {
        /// Figures (数据), filtered and ordered; at most 100 per page.
        metrics("Which figures to include.") -> Metric;
        /// One figure by slug.
        metric;
    }
}
