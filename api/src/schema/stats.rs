//! `stats`: counts per kind and per zone, and the most connected records.
use std::collections::HashSet;

use async_graphql::{Context, Object, SimpleObject};
use entity::ids::Kind;
use entity::relation::Relation;

use super::common::snap;
use super::filter::{in_zones, zone_subtree};
use super::node::{Node, node_of};
use super::zone::Zone;
use crate::error::{Res, bad_input};
use crate::snapshot::{Dir, Id, OrderField};

/// How many records of one kind there are.
#[derive(SimpleObject)]
pub struct KindCount {
    /// `zone`, `platform`, `project`, `partnership`, `organization`, `document`, `sector`, `source`.
    pub kind: String,
    /// How many records of that kind.
    pub count: usize,
}

/// What lies in one zone and the zones below it.
#[derive(SimpleObject)]
pub struct ZoneCount {
    /// The zone.
    pub zone: Zone,
    /// Platforms in the zone or below it.
    pub platforms: usize,
    /// Projects located in the zone or below it (directly or through their platform).
    pub projects: usize,
    /// Partnerships the zone itself is a party to.
    pub partnerships: usize,
}

/// A record and its number of partnerships.
#[derive(SimpleObject)]
pub struct Connected {
    /// Partnerships it takes part in (for a partnership: parties and projects).
    pub degree: usize,
    /// The record.
    pub node: Node,
}

/// Counts over the whole graph.
pub struct Stats;

/// Counts over the whole graph.
#[Object]
impl Stats {
    /// Number of records per kind.
    async fn counts(&self, ctx: &Context<'_>) -> Res<Vec<KindCount>> {
        let s = snap(ctx)?;
        Ok(Kind::ALL
            .into_iter()
            .filter(|k| *k != Kind::Metric)
            .map(|k| KindCount {
                kind: k.as_str().to_owned(),
                count: s.count(k),
            })
            .collect())
    }

    /// Per zone: platforms, projects and partnerships, most platforms first.
    async fn zones(&self, ctx: &Context<'_>) -> Res<Vec<ZoneCount>> {
        let s = snap(ctx)?;
        let mut rows = vec![];
        for z in s.order(Kind::Zone, OrderField::Slug).iter_from(0) {
            let sub = zone_subtree(&s, z);
            let platforms: HashSet<_> = in_zones(&s, &sub, Relation::PlatformZone)
                .into_iter()
                .collect();
            let mut projects: HashSet<_> = in_zones(&s, &sub, Relation::ProjectZone)
                .into_iter()
                .collect();
            projects.extend(
                platforms
                    .iter()
                    .flat_map(|p| s.rec(*p).targets(Relation::ProjectPlatform, Dir::In)),
            );
            let degree = s.rec(z).degree() as usize;
            rows.push((z, platforms.len(), projects.len(), degree));
        }
        rows.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then(b.2.cmp(&a.2))
                .then(s.rec(a.0).slug().cmp(s.rec(b.0).slug()))
        });
        Ok(rows
            .into_iter()
            .map(|(z, platforms, projects, partnerships)| ZoneCount {
                zone: Zone::new(z),
                platforms,
                projects,
                partnerships,
            })
            .collect())
    }

    /// The records taking part in the most partnerships.
    #[graphql(complexity = "1 + first.max(1) as usize * child_complexity")]
    async fn most_connected(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many, 1 to 100.", default = 10)] first: i32,
    ) -> Res<Vec<Connected>> {
        if !(1..=100).contains(&first) {
            return Err(bad_input("first must be between 1 and 100"));
        }
        let s = snap(ctx)?;
        // From each kind's degree order, highest first: the first `first` and every record tied
        // with the last of them; then merged, ties by key.
        let n = first as usize;
        let mut ranked: Vec<(u32, Id)> = vec![];
        // The kinds that take part in partnerships: their parties and the projects they cover.
        let taking_part = [Relation::PartnershipParty, Relation::PartnershipProject]
            .into_iter()
            .flat_map(|r| r.def().to.iter().copied());
        for kind in taking_part {
            let list = s.order(kind, OrderField::Degree);
            let mut last = u32::MAX;
            for (taken, id) in list.iter_back_from(list.len()).enumerate() {
                let degree = s.rec(id).degree();
                if degree == 0 || (taken >= n && degree < last) {
                    break;
                }
                ranked.push((degree, id));
                last = degree;
            }
        }
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| s.key(a.1).cmp(&s.key(b.1))));
        ranked.truncate(n);
        Ok(ranked
            .into_iter()
            .filter_map(|(degree, id)| {
                node_of(&s, id).map(|node| Connected {
                    degree: degree as usize,
                    node,
                })
            })
            .collect())
    }
}

#[derive(Default)]
pub struct StatsQuery;

#[Object]
impl StatsQuery {
    /// Counts per kind and per zone, and the most connected records.
    async fn stats(&self) -> Stats {
        Stats
    }
}
