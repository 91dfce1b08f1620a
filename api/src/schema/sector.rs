//! `Sector`: an industry or field (产业, e.g. 生物医药, 集成电路) and what works in it.
use async_graphql::{Context, Object};
use entity::relation::Relation;

use super::common::{OrderBy, snap};
use super::page::{Conn, PageArgs, cost};
use super::partnership::Partnership;
use super::platform::Platform;
use super::project::Project;
use super::record::{record_type, related};
use crate::error::Res;
use crate::snapshot::{Dir, Id};

record_type! {
    /// An industry or field (产业、领域).
    Sector = Named + SectorFields
}

pub struct SectorFields(pub Id);

#[Object]
impl SectorFields {
    /// Platforms working in this sector.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn platforms(
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
    ) -> Res<Conn<Platform>> {
        let args = PageArgs::new(first, &after, last, &before);
        related(
            ctx,
            self.0,
            Relation::PlatformSector,
            Dir::In,
            Platform::new,
            order_by,
            args,
        )
    }
    /// Projects working in this sector.
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
        let args = PageArgs::new(first, &after, last, &before);
        related(
            ctx,
            self.0,
            Relation::ProjectSector,
            Dir::In,
            Project::new,
            order_by,
            args,
        )
    }
    /// Partnerships covering this sector.
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
        let args = PageArgs::new(first, &after, last, &before);
        related(
            ctx,
            self.0,
            Relation::PartnershipSector,
            Dir::In,
            Partnership::new,
            order_by,
            args,
        )
    }
}

/// The sectors a record works in, by Chinese name.
pub fn sectors_of(ctx: &Context<'_>, id: Id) -> Res<Vec<Sector>> {
    let s = snap(ctx)?;
    let r = s.rec(id);
    let mut ids: Vec<Id> = Relation::from_kind(r.kind())
        .filter(|d| d.to == [entity::ids::Kind::Sector])
        .flat_map(|d| r.targets(d.relation, Dir::Out))
        .collect();
    ids.sort_by(|a, b| s.rec(*a).name_zh().cmp(s.rec(*b).name_zh()));
    Ok(ids.into_iter().map(Sector::new).collect())
}
