//! `stats`: counts per kind and per zone, and the most connected records.
use async_graphql::{Context, Object, SimpleObject};
use entity::ids::Kind;

use super::common::{index, loaders};
use super::node::{Node, load_nodes};
use super::zone::Zone;
use crate::error::{Res, bad_input, db};

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
        let idx = index(ctx)?;
        Ok(Kind::ALL
            .into_iter()
            .filter(|k| *k != Kind::Metric)
            .map(|k| KindCount {
                kind: k.as_str().to_owned(),
                count: idx.slugs(k).count(),
            })
            .collect())
    }

    /// Per zone: platforms, projects and partnerships, most platforms first.
    async fn zones(&self, ctx: &Context<'_>) -> Res<Vec<ZoneCount>> {
        let idx = index(ctx)?;
        let mut rows = vec![];
        for z in idx.slugs(Kind::Zone) {
            let sub = idx.zone_subtree(z);
            let platforms: std::collections::HashSet<&String> = sub
                .iter()
                .flat_map(|s| idx.list(Kind::Zone, s, "platforms"))
                .collect();
            let mut projects: std::collections::HashSet<&String> = sub
                .iter()
                .flat_map(|s| idx.list(Kind::Zone, s, "projects"))
                .collect();
            projects.extend(
                platforms
                    .iter()
                    .flat_map(|p| idx.list(Kind::Platform, p, "projects")),
            );
            rows.push((
                z.clone(),
                platforms.len(),
                projects.len(),
                idx.degree(Kind::Zone, z),
            ));
        }
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
        let slugs: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        let zones = loaders(ctx)?.zones.load_many(slugs).await.map_err(db)?;
        Ok(rows
            .into_iter()
            .filter_map(|(z, platforms, projects, partnerships)| {
                zones.get(&z).map(|m| ZoneCount {
                    zone: Zone(m.clone()),
                    platforms,
                    projects,
                    partnerships,
                })
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
        let idx = index(ctx)?;
        let mut ranked: Vec<(usize, &crate::index::Key)> = idx
            .entries
            .keys()
            .filter(|k| {
                matches!(
                    k.0,
                    Kind::Zone | Kind::Platform | Kind::Organization | Kind::Project
                )
            })
            .map(|k| (idx.degree(k.0, &k.1), k))
            .filter(|(d, _)| *d > 0)
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        ranked.truncate(first as usize);
        let keys: Vec<_> = ranked.iter().map(|(_, k)| (*k).clone()).collect();
        let nodes = load_nodes(ctx, &keys).await?;
        Ok(ranked
            .into_iter()
            .zip(nodes)
            .filter_map(|((degree, _), node)| node.map(|node| Connected { degree, node }))
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
