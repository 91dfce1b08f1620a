//! `Metric`: a figure stated in a source (数据): area, target, throughput, count.
use async_graphql::{Context, ID, Object};
use entity::ids::{Kind, public_id};
use entity::metric;

use super::common::{Lang, loaders, pick};
use super::node::{Node, load_node};
use super::provenance::{Citation, own_citations};
use crate::error::{Res, db};

/// A figure about one zone, platform, project or partnership, exactly as a source states it.
pub struct Metric(pub metric::Model);

/// A figure about one zone, platform, project or partnership, exactly as a source states it.
#[Object]
impl Metric {
    /// The figure's stable, opaque ID.
    pub async fn id(&self) -> ID {
        ID(public_id(Kind::Metric, &self.0.slug))
    }
    /// The seed slug.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// When this record last changed (RFC 3339, UTC).
    async fn updated_at(&self) -> String {
        self.0.updated_at.to_rfc3339()
    }
    /// What is measured, in Chinese (规划面积 …).
    async fn name_zh(&self) -> &str {
        &self.0.name_zh
    }
    /// What is measured, in English (curated translation).
    async fn name_en(&self) -> Option<&str> {
        self.0.name_en.as_deref()
    }
    /// What is measured, in the language asked for (Chinese fallback).
    async fn name(
        &self,
        #[graphql(desc = "Language, Chinese by default.", default_with = "Lang::Zh")] lang: Lang,
    ) -> String {
        pick(&self.0.name_zh, &self.0.name_en, lang)
    }
    /// The value as a number, in `unit`.
    async fn value(&self) -> f64 {
        self.0.value
    }
    /// The value exactly as written in the source (e.g. `56.39平方公里`).
    async fn value_text(&self) -> &str {
        &self.0.value_text
    }
    /// The unit: `km2`, `m2`, `cny_100m` (亿元), `teu`, `count`, `percent`, `person` …
    async fn unit(&self) -> &str {
        &self.0.unit
    }
    /// The year the figure refers to, where stated.
    async fn year(&self) -> Option<i32> {
        self.0.year
    }
    /// True for a planned or target figure, false for a reported one.
    async fn is_target(&self) -> bool {
        self.0.is_target
    }
    /// The quotes stating the figure.
    async fn citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        own_citations(ctx, Kind::Metric, &self.0.slug).await
    }
    /// What the figure is about.
    async fn subject(&self, ctx: &Context<'_>) -> Res<Option<Node>> {
        let m = &self.0;
        let subject = [
            (Kind::Zone, &m.zone),
            (Kind::Platform, &m.platform),
            (Kind::Project, &m.project),
            (Kind::Partnership, &m.partnership),
        ]
        .into_iter()
        .find_map(|(k, s)| s.as_ref().map(|s| (k, s.clone())));
        match subject {
            Some((k, s)) => load_node(ctx, k, &s).await,
            None => Ok(None),
        }
    }
}

/// The figures about one record.
pub async fn metrics_of(ctx: &Context<'_>, kind: Kind, slug: &str) -> Res<Vec<Metric>> {
    let l = loaders(ctx)?;
    let dl = match kind {
        Kind::Zone => &l.zone_metrics,
        Kind::Platform => &l.platform_metrics,
        Kind::Project => &l.project_metrics,
        Kind::Partnership => &l.partnership_metrics,
        _ => return Ok(vec![]),
    };
    Ok(dl
        .load_one(slug.to_owned())
        .await
        .map_err(db)?
        .unwrap_or_default()
        .into_iter()
        .map(Metric)
        .collect())
}
