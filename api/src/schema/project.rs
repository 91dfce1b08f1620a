//! `Project`: a lab, facility, line, terminal, school, fund or programme (项目), its host and its
//! milestones.
use async_graphql::{Context, ID, InputObject, Object};
use entity::ids::{Kind, public_id};
use entity::project;

use super::common::{Conn, Lang, OrderBy, PageArgs, cost, index, loaders, parse_id, pick};
use super::metric::{Metric, metrics_of};
use super::milestone::Milestone;
use super::node::{NameFilter, list, list_kind};
use super::partnership::Partnership;
use super::platform::Platform;
use super::provenance::{Citation, Mention, aliases, mentions, own_citations, relation_citations};
use super::sector::{Sector, sectors_of};
use super::vocab::{ProjectKind, ProjectStatus, any_of, from_stored, from_stored_opt};
use super::zone::Zone;
use crate::error::{Res, db};

/// A project: laboratory, large facility, innovation centre, rail line, terminal, school,
/// hospital, fund, programme … (项目).
pub struct Project(pub project::Model);

/// Which projects to list.
#[derive(InputObject, Default)]
pub struct ProjectFilter {
    /// Only these kinds.
    pub kinds: Option<Vec<ProjectKind>>,
    /// Only these statuses (projects without a stated status are excluded).
    pub statuses: Option<Vec<ProjectStatus>>,
    /// Only projects located in this zone or below it, directly or through their host platform.
    pub zone: Option<ID>,
    /// Only projects hosted by this platform.
    pub platform: Option<ID>,
    /// Only projects in this sector.
    pub sector: Option<ID>,
    /// Only projects whose Chinese name, English name or an alias contains this text.
    pub name: Option<String>,
}

/// A project: laboratory, large facility, innovation centre, rail line, terminal, school,
/// hospital, fund, programme … (项目).
#[Object]
impl Project {
    /// The record's stable, opaque ID.
    pub async fn id(&self) -> ID {
        ID(public_id(Kind::Project, &self.0.slug))
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
        aliases(ctx, Kind::Project, &self.0.slug)
    }
    /// What sort of project it is.
    async fn kind(&self) -> Res<ProjectKind> {
        from_stored(&self.0.kind)
    }
    /// The quotes that state this record.
    async fn citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        own_citations(ctx, Kind::Project, &self.0.slug).await
    }
    /// Where the record's names occur in the sources.
    async fn mentions(&self, ctx: &Context<'_>) -> Res<Vec<Mention>> {
        mentions(ctx, Kind::Project, &self.0.slug).await
    }
    /// Figures about this record.
    async fn metrics(&self, ctx: &Context<'_>) -> Res<Vec<Metric>> {
        metrics_of(ctx, Kind::Project, &self.0.slug).await
    }
    /// Number of partnerships this record takes part in.
    async fn degree(&self, ctx: &Context<'_>) -> Res<usize> {
        Ok(index(ctx)?.degree(Kind::Project, &self.0.slug))
    }
    /// How far along it is, where the sources state it.
    async fn status(&self) -> Res<Option<ProjectStatus>> {
        from_stored_opt(self.0.status.as_deref())
    }
    /// The platform hosting the project.
    async fn platform(&self, ctx: &Context<'_>) -> Res<Option<Platform>> {
        let Some(p) = &self.0.platform else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .platforms
            .load_one(p.clone())
            .await
            .map_err(db)?
            .map(Platform))
    }
    /// The zone the project is located in, where stated.
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
    /// The evidence for `platform` and `zone`.
    async fn host_citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        relation_citations(ctx, Kind::Project, &self.0.slug, |c| {
            matches!(c.relation.as_deref(), Some("platform" | "zone"))
        })
        .await
    }
    /// Dated events, oldest first.
    async fn milestones(&self, ctx: &Context<'_>) -> Res<Vec<Milestone>> {
        Ok(loaders(ctx)?
            .milestones
            .load_one(self.0.slug.clone())
            .await
            .map_err(db)?
            .unwrap_or_default()
            .into_iter()
            .map(Milestone)
            .collect())
    }
    /// Partnerships that cover this project.
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
            .list(Kind::Project, &self.0.slug, "partnerships")
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
    /// Sectors the project works in.
    async fn sectors(&self, ctx: &Context<'_>) -> Res<Vec<Sector>> {
        sectors_of(ctx, Kind::Project, &self.0.slug).await
    }
}

#[derive(Default)]
pub struct ProjectQuery;

#[Object]
impl ProjectQuery {
    /// Projects, filtered and ordered; at most 100 per page.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which records to include.")] filter: Option<ProjectFilter>,
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
        let filtered = filter.is_some();
        let f = filter.unwrap_or_default();
        let idx = index(ctx)?;
        let in_zone: Option<std::collections::HashSet<String>> = match &f.zone {
            Some(id) => {
                let (_, z) = parse_id(id, &[Kind::Zone])?;
                let zones = idx.zone_subtree(&z);
                let mut set: std::collections::HashSet<String> = zones
                    .iter()
                    .flat_map(|z| idx.list(Kind::Zone, z, "projects").iter().cloned())
                    .collect();
                for z in &zones {
                    for p in idx.list(Kind::Zone, z, "platforms") {
                        set.extend(idx.list(Kind::Platform, p, "projects").iter().cloned());
                    }
                }
                Some(set)
            }
            None => None,
        };
        let hosted: Option<Vec<String>> = f
            .platform
            .as_ref()
            .map(|id| parse_id(id, &[Kind::Platform]))
            .transpose()?
            .map(|(_, p)| idx.list(Kind::Platform, &p, "projects").to_vec());
        let sector = f
            .sector
            .as_ref()
            .map(|id| parse_id(id, &[Kind::Sector]))
            .transpose()?
            .map(|(_, s)| s);
        let name = NameFilter::new(&idx, Kind::Project, &f.name);
        let keep = |s: &String, e: &crate::index::Entry| {
            any_of(&f.kinds, &e.kind)
                && (f.statuses.is_none()
                    || e.status.as_ref().is_some_and(|v| any_of(&f.statuses, v)))
                && in_zone.as_ref().is_none_or(|z| z.contains(s))
                && hosted.as_ref().is_none_or(|h| h.contains(s))
                && sector.as_ref().is_none_or(|x| e.sectors.contains(x))
        };
        list_kind(
            ctx,
            Kind::Project,
            &loaders(ctx)?.projects,
            Project,
            &keep,
            filtered,
            name.candidates(),
            order_by,
            PageArgs::new(first, &after, last, &before),
        )
        .await
    }

    /// One project by slug.
    async fn project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The record's slug.")] slug: String,
    ) -> Res<Option<Project>> {
        Ok(loaders(ctx)?
            .projects
            .load_one(slug)
            .await
            .map_err(db)?
            .map(Project))
    }
}
