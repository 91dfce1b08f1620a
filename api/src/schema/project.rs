//! `Project`: a lab, facility, line, terminal, school, fund or programme (项目), its host and its
//! milestones.
use async_graphql::{ID, InputObject};
use entity::ids::Kind;
use entity::relation::Relation;
use entity::vocab::{ProjectKind, ProjectStatus};

use super::field;
use super::filter::{Candidates, ListFilter, Test, any_of, in_zones, test, zones_under};
use super::metric::{Metric, metrics_of};
use super::milestone::{Milestone, milestones_of};
use super::partnership::Partnership;
use super::platform::Platform;
use super::project_organization::{ProjectOrganization, project_organizations};
use super::provenance::{Citation, relation_citations};
use super::record::{linked, list_query, one, record_type};
use super::sector::{Sector, sectors_of};
use super::zone::Zone;
use crate::error::Res;
use crate::snapshot::{Dir, RecRef, Snapshot};

record_type! {
    /// A project: laboratory, large facility, innovation centre, rail line, terminal, school,
    /// hospital, fund, programme … (项目).
    Project = Named + ProjectFields {
        connections {
            /// Partnerships that cover this project.
            partnerships() -> Partnership = linked(Relation::PartnershipProject, Dir::In, Partnership::new);
        }
        fields {
            /// What sort of project it is.
            kind -> ProjectKind = field::kind;
            /// Figures about this record.
            metrics -> Vec<Metric> = metrics_of;
            /// How far along it is, where the sources state it.
            status -> Option<ProjectStatus> = field::tag;
            /// The platform hosting the project.
            platform -> Option<Platform> = one(Relation::ProjectPlatform, Platform::new);
            /// The zone the project is located in, where stated.
            zone -> Option<Zone> = one(Relation::ProjectZone, Zone::new);
            /// The evidence for `platform` and `zone`.
            host_citations -> Vec<Citation> = |ctx, id| relation_citations(ctx, id, &["platform", "zone"]);
            /// Dated events, oldest first.
            milestones -> Vec<Milestone> = milestones_of;
            /// Sectors the project works in.
            sectors -> Vec<Sector> = sectors_of;
            /// Organizations that own, build or run the project, each with its role and evidence.
            organizations -> Vec<ProjectOrganization> = |ctx, id| project_organizations(ctx, id, Dir::Out);
        }
    }
}

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
    /// Only projects in this sector or a sector below it.
    pub sector: Option<ID>,
    /// Only projects whose Chinese name, English name or an alias contains this text.
    pub name: Option<String>,
}

impl ListFilter for ProjectFilter {
    const KIND: Kind = Kind::Project;

    fn select(&self, s: &Snapshot, candidates: &mut Candidates) -> Res<Option<Test<'_>>> {
        if let Some(zone) = &self.zone {
            // Located in the zones directly, or hosted by a platform located there.
            let zones = zones_under(s, zone, true)?;
            let platforms = in_zones(s, &zones, Relation::PlatformZone);
            let hosted = platforms
                .iter()
                .flat_map(|p| s.rec(*p).targets(Relation::ProjectPlatform, Dir::In));
            candidates.and(
                in_zones(s, &zones, Relation::ProjectZone)
                    .into_iter()
                    .chain(hosted),
            );
        }
        candidates.linked(
            s,
            &self.platform,
            &[Kind::Platform],
            Relation::ProjectPlatform,
            Dir::In,
        )?;
        candidates.in_sector(s, &self.sector, Relation::ProjectSector)?;
        candidates.named(s, Self::KIND, &self.name);
        let keep = |r: RecRef<'_>| any_of(&self.kinds, r.sub()) && any_of(&self.statuses, r.tag());
        Ok(test(self.kinds.is_some() || self.statuses.is_some(), keep))
    }
}

list_query! {
    ProjectQuery {
        /// Projects, filtered and ordered; at most 100 per page.
        projects(ProjectFilter; "Which records to include.") -> Project;
        /// One project by slug.
        project;
    }
}
