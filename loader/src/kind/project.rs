//! Projects: the records of `seeds/projects.toml` (with their milestones and organizations) and
//! their conversion.
use entity::relation;
use entity::vocab::ProjectRole;
use toml::Spanned;

use crate::convert::{Convert, Converter, fk, many, sole_target};
use crate::node::{Evidence, Loc, Milestone, Node, Quote, Relation};
use crate::seed::{MilestoneSeed, ProjectOrganizationSeed, record_seed};

entity::project_columns!(record_seed! {
    /// A project in `seeds/projects.toml`.
    ProjectSeed(name_zh) {
        platform_note: Option<String>,
        zone_note: Option<String>,
        #[serde(default)]
        sectors: Vec<String>,
        /// Organizations that own, build or run the project, each with its role.
        #[serde(default)]
        organizations: Vec<Spanned<ProjectOrganizationSeed>>,
        #[serde(default)]
        milestones: Vec<Spanned<MilestoneSeed>>,
        /// Why the record has no location where the texts give none (a policy, a corridor …).
        unlocated: Option<String>,
    }
});

impl Convert for entity::project::Entity {
    type Seed = ProjectSeed;

    fn convert(p: &ProjectSeed, c: &mut Converter<'_>, at: Loc) -> Node {
        let mut relations = fk(&at, relation::Relation::ProjectPlatform, &p.platform, &p.platform_note);
        relations.extend(fk(&at, relation::Relation::ProjectZone, &p.zone, &p.zone_note));
        relations.extend(many(&at, relation::Relation::ProjectSector, &p.sectors));
        for o in &p.organizations {
            let o_at = c.lines.at(o);
            let o = o.get_ref();
            c.one_of::<ProjectRole>(&o_at, "project role", &o.role);
            relations.push(Relation {
                role: Some(o.role.clone()),
                ..Relation::new(
                    relation::Relation::ProjectOrganization,
                    sole_target(relation::Relation::ProjectOrganization),
                    o.organization.clone(),
                    o_at,
                    Evidence::Pending,
                )
            });
        }
        let located = p.platform.is_some() || p.zone.is_some();
        let mut node = c.placed_node::<Self>(at, p, p.columns(), relations, (located, &p.unlocated));
        for m in &p.milestones {
            let m_at = c.lines.at(m);
            let m = m.get_ref();
            c.date(&m_at, "milestone date", Some(&m.date));
            node.milestones.push(Milestone {
                date: m.date.clone(),
                event_zh: m.event_zh.clone(),
                event_en: m.event_en.clone(),
                quote: Quote::in_source(m_at, &m.source, &m.quote),
                date_note: m.date_note.clone(),
            });
        }
        node
    }
}
