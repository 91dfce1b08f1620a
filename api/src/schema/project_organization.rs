//! `ProjectOrganization`: an organization that owns, builds or runs a project, with its role and
//! the evidence for it.
use async_graphql::{Context, Object};
use entity::relation::Relation;
use entity::vocab::{ProjectRole, Vocabulary};

use super::common::{required, snap};
use super::organization::Organization;
use super::project::Project;
use super::provenance::{Citation, citations_where};
use crate::error::Res;
use crate::snapshot::{Dir, Id};

/// An organization's part in a project (广药集团, owner of 澳门青洲工厂).
pub struct ProjectOrganization {
    project: Id,
    organization: Id,
    role: Option<ProjectRole>,
}

/// An organization's part in a project: owner, builder or operator (广药集团, owner of 澳门青洲工厂).
#[Object]
impl ProjectOrganization {
    /// What the organization does for the project.
    async fn role(&self) -> Res<ProjectRole> {
        required(self.role)
    }
    /// The organization.
    async fn organization(&self) -> Organization {
        Organization::new(self.organization)
    }
    /// The project.
    async fn project(&self) -> Project {
        Project::new(self.project)
    }
    /// The quotes stating it.
    async fn citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        Ok(citations_where(&*snap(ctx)?, self.project, |c| {
            c.relation() == Some("organization") && c.target() == Some(self.organization)
        }))
    }
}

/// The organizations of a project (`Dir::Out`) or the projects of an organization (`Dir::In`),
/// each with its role.
pub fn project_organizations(ctx: &Context<'_>, id: Id, dir: Dir) -> Res<Vec<ProjectOrganization>> {
    let s = snap(ctx)?;
    Ok(s.rec(id)
        .links_of(Relation::ProjectOrganization, dir)
        .iter()
        .map(|l| l.unpack())
        .filter(|l| s.rec(l.other).is_live())
        .map(|l| {
            let (project, organization) = match dir {
                Dir::Out => (id, l.other),
                Dir::In => (l.other, id),
            };
            ProjectOrganization {
                project,
                organization,
                role: l.role.checked_sub(1).and_then(ProjectRole::from_code),
            }
        })
        .collect())
}
