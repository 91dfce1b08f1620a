//! `Project`: a lab, facility, line, terminal, school, fund or programme (项目), its host and its
//! milestones.
use async_graphql::ID;
use entity::ids::Kind;
use entity::relation::Relation;
use entity::vocab::{ProjectKind, ProjectStatus};

use super::field;
use super::filter::{in_zones, kind_and_tag, zones_under};
use super::metric::{Metric, metrics_of};
use super::milestone::{Milestone, milestones_of};
use super::platform::Platform;
use super::project_organization::{ProjectOrganization, project_organizations};
use super::provenance::{Citation, relation_citations};
use super::record::{list_query, one, record_type};
use super::sector::{Sector, sectors_of};
use super::zone::Zone;
use crate::snapshot::Dir;

record_type! {
    /// A project: laboratory, large facility, innovation centre, rail line, terminal, school,
    /// hospital, fund, programme … (项目).
    Project = Named + ProjectFields {
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

list_query! {
    /// Which projects to list.
    ProjectFilter of Kind::Project {
        /// Only these kinds.
        kinds: Vec<ProjectKind>,
        /// Only these statuses (projects without a stated status are excluded).
        statuses: Vec<ProjectStatus>,
        /// Only projects located in this zone or below it, directly or through their host platform.
        zone: ID,
        /// Only projects hosted by this platform.
        platform: ID,
        /// Only projects in this sector or a sector below it.
        sector: ID,
        /// Only projects whose Chinese name, English name or an alias contains this text.
        name: String,
    }
    select(f, s, candidates) {
        if let Some(zone) = &f.zone {
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
        candidates.linked(s, &f.platform, &[Kind::Platform], &[Relation::ProjectPlatform], Dir::In)?;
        candidates.in_sector(s, &f.sector, Relation::ProjectSector)?;
        candidates.named(s, Self::KIND, &f.name);
        Ok(kind_and_tag(&f.kinds, &f.statuses))
    }
    ProjectQuery {
        /// Projects, filtered and ordered; at most 100 per page.
        projects("Which records to include.") -> Project;
        /// One project by slug.
        project;
    }
}
