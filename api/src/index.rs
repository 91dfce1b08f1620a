//! The in-memory read model: every entity's name and kind, every relation as an edge, partnership
//! degrees and the search index. It answers filtering, ordering, traversal lists, search and graph
//! queries without SQL; full rows come from the database through DataLoaders. Rebuilt whenever the
//! change log advances, so each replica converges on the database within the refresh interval.
use std::collections::{BTreeSet, HashMap, HashSet};

use entity::ids::Kind;
use entity::*;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait};

use crate::order::Ranks;
use crate::search::SearchIndex;

/// A record's identity: its kind and slug.
pub type Key = (Kind, String);

/// What the read model keeps of each record.
#[derive(Clone, Debug, Default)]
pub struct Entry {
    pub name_zh: String,
    pub name_en: Option<String>,
    /// The record's own kind column (`district`, `port`, `laboratory` …).
    pub kind: String,
    pub date: Option<String>,
    pub status: Option<String>,
    pub level: Option<String>,
    pub aliases: Vec<String>,
    pub sectors: Vec<String>,
}

/// One relation between two records, as the graph queries see it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edge {
    pub from: Key,
    pub to: Key,
    /// `parent`, `located_in`, `part_of`, `hosted_by`, `issued_by`, `party`, `covers`,
    /// `established_by`, `in_sector`.
    pub relation: &'static str,
    /// A human label: the party's role, or the relation.
    pub label: String,
}

#[derive(Default)]
pub struct Index {
    /// The change-log position this snapshot reflects.
    pub cursor: i64,
    pub entries: HashMap<Key, Entry>,
    pub edges: Vec<Edge>,
    /// Edge indices touching each record.
    pub adjacency: HashMap<Key, Vec<usize>>,
    /// Slugs related to a record, by kind and relation (`children`, `platforms`, `projects` …),
    /// then by slug; nested so a lookup by `&str` needs no allocation.
    pub lists: HashMap<(Kind, &'static str), HashMap<String, Vec<String>>>,
    /// Partnership degree of every record, computed once per snapshot.
    pub degrees: HashMap<Kind, HashMap<String, usize>>,
    /// Every record's rank in each order, computed once per snapshot.
    pub ranks: Ranks,
    /// The keys of each kind, so a filter over one kind does not walk every record.
    pub kind_keys: HashMap<Kind, Vec<Key>>,
    /// Each kind's records in each order (ascending), as positions into `kind_keys`.
    pub ordered: HashMap<(Kind, crate::order::OrderField), Vec<u32>>,
    pub search: SearchIndex,
}

impl Index {
    pub fn entry(&self, key: &Key) -> Option<&Entry> {
        self.entries.get(key)
    }

    /// Slugs of `relation` for `key` (empty when there are none).
    pub fn list(&self, kind: Kind, slug: &str, relation: &'static str) -> &[String] {
        self.lists
            .get(&(kind, relation))
            .and_then(|m| m.get(slug))
            .map_or(&[], Vec::as_slice)
    }

    /// Number of partnerships a record takes part in (as a party or as a covered project);
    /// for a partnership, its number of parties and projects.
    pub fn degree(&self, kind: Kind, slug: &str) -> usize {
        self.degrees
            .get(&kind)
            .and_then(|m| m.get(slug))
            .copied()
            .unwrap_or_default()
    }

    fn compute_degree(&self, kind: Kind, slug: &str) -> usize {
        match kind {
            Kind::Partnership => {
                self.list(kind, slug, "parties").len() + self.list(kind, slug, "projects").len()
            }
            _ => self.list(kind, slug, "partnerships").len(),
        }
    }

    /// All slugs of a kind.
    pub fn slugs(&self, kind: Kind) -> impl Iterator<Item = &String> {
        self.kind_keys
            .get(&kind)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|k| &k.1)
    }

    /// The zone and every zone below it.
    pub fn zone_subtree(&self, slug: &str) -> HashSet<String> {
        let mut out = HashSet::new();
        let mut todo = vec![slug.to_owned()];
        while let Some(z) = todo.pop() {
            if out.insert(z.clone()) {
                todo.extend(self.list(Kind::Zone, &z, "children").iter().cloned());
            }
        }
        out
    }

    /// Builds the read model inside one snapshot transaction, so a load committing meanwhile is
    /// seen wholly or not at all.
    pub async fn build_consistent(db: &DatabaseConnection) -> Result<Index, DbErr> {
        let txn = crate::feeds::snapshot(db).await?;
        let index = Index::build(&txn).await?;
        txn.commit().await?;
        Ok(index)
    }

    /// Reads the whole read model from `db` (a dozen statements, whatever the size).
    pub async fn build<C: sea_orm::ConnectionTrait>(db: &C) -> Result<Index, DbErr> {
        let mut b = Builder::default();
        b.index.cursor = crate::feeds::changelog::cursor(db).await?;
        for s in source::Entity::find().all(db).await? {
            let e = b.entry(Kind::Source, &s.slug, &s.title, &None, "source");
            e.date = s.date.clone();
        }
        for z in zone::Entity::find().all(db).await? {
            b.entry(Kind::Zone, &z.slug, &z.name_zh, &z.name_en, &z.kind);
            if let Some(p) = &z.parent {
                b.link(Kind::Zone, &z.slug, "parent", Kind::Zone, p, "part of");
                b.list(Kind::Zone, p, "children", &z.slug);
            }
        }
        for p in platform::Entity::find().all(db).await? {
            let e = b.entry(Kind::Platform, &p.slug, &p.name_zh, &p.name_en, &p.kind);
            e.level = p.level.clone();
            if let Some(z) = &p.zone {
                b.link(
                    Kind::Platform,
                    &p.slug,
                    "located_in",
                    Kind::Zone,
                    z,
                    "located in",
                );
                b.list(Kind::Zone, z, "platforms", &p.slug);
            }
            if let Some(parent) = &p.parent {
                b.link(
                    Kind::Platform,
                    &p.slug,
                    "part_of",
                    Kind::Platform,
                    parent,
                    "part of",
                );
                b.list(Kind::Platform, parent, "children", &p.slug);
            }
        }
        for p in project::Entity::find().all(db).await? {
            let e = b.entry(Kind::Project, &p.slug, &p.name_zh, &p.name_en, &p.kind);
            e.status = p.status.clone();
            if let Some(pl) = &p.platform {
                b.link(
                    Kind::Project,
                    &p.slug,
                    "hosted_by",
                    Kind::Platform,
                    pl,
                    "hosted by",
                );
                b.list(Kind::Platform, pl, "projects", &p.slug);
            }
            if let Some(z) = &p.zone {
                b.link(
                    Kind::Project,
                    &p.slug,
                    "located_in",
                    Kind::Zone,
                    z,
                    "located in",
                );
                b.list(Kind::Zone, z, "projects", &p.slug);
            }
        }
        for o in organization::Entity::find().all(db).await? {
            b.entry(Kind::Organization, &o.slug, &o.name_zh, &o.name_en, &o.kind);
            if let Some(z) = &o.zone {
                b.link(
                    Kind::Organization,
                    &o.slug,
                    "located_in",
                    Kind::Zone,
                    z,
                    "located in",
                );
            }
        }
        for d in document::Entity::find().all(db).await? {
            let e = b.entry(Kind::Document, &d.slug, &d.title_zh, &d.title_en, &d.kind);
            e.date = d.date.clone();
            let issuers = [
                (Kind::Zone, &d.issuer_zone),
                (Kind::Organization, &d.issuer_organization),
            ];
            for (kind, issuer) in issuers {
                if let Some(i) = issuer {
                    b.link(Kind::Document, &d.slug, "issued_by", kind, i, "issued by");
                }
            }
        }
        for s in sector::Entity::find().all(db).await? {
            b.entry(Kind::Sector, &s.slug, &s.name_zh, &s.name_en, "sector");
        }
        for p in partnership::Entity::find().all(db).await? {
            let e = b.entry(Kind::Partnership, &p.slug, &p.name_zh, &p.name_en, &p.kind);
            e.date = p.date.clone();
            if let Some(d) = &p.document {
                b.link(
                    Kind::Partnership,
                    &p.slug,
                    "established_by",
                    Kind::Document,
                    d,
                    "established by",
                );
                b.list(Kind::Document, d, "partnerships", &p.slug);
            }
        }
        let mut parties = partnership_party::Entity::find().all(db).await?;
        parties.sort_by_key(|p| p.ordinal);
        for p in parties {
            let target = p.party().map(|(k, s)| (k, s.to_owned()));
            if let Some((kind, slug)) = target {
                b.link(
                    Kind::Partnership,
                    &p.partnership,
                    "party",
                    kind,
                    &slug,
                    &p.role,
                );
                b.list(kind, &slug, "partnerships", &p.partnership);
                b.list(
                    Kind::Partnership,
                    &p.partnership,
                    "parties",
                    &entity::ids::record_key(kind, &slug),
                );
            }
        }
        for c in partnership_project::Entity::find().all(db).await? {
            b.link(
                Kind::Partnership,
                &c.partnership,
                "covers",
                Kind::Project,
                &c.project,
                "covers",
            );
            b.list(Kind::Project, &c.project, "partnerships", &c.partnership);
            b.list(Kind::Partnership, &c.partnership, "projects", &c.project);
        }
        let sector_links = [
            (
                Kind::Platform,
                platform_sector::Entity::find()
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|r| (r.platform, r.sector))
                    .collect::<Vec<_>>(),
            ),
            (
                Kind::Project,
                project_sector::Entity::find()
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|r| (r.project, r.sector))
                    .collect(),
            ),
            (
                Kind::Partnership,
                partnership_sector::Entity::find()
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|r| (r.partnership, r.sector))
                    .collect(),
            ),
        ];
        for (kind, links) in sector_links {
            for (owner, sector) in links {
                b.link(
                    kind,
                    &owner,
                    "in_sector",
                    Kind::Sector,
                    &sector,
                    "in sector",
                );
                b.list(Kind::Sector, &sector, kind.table(), &owner);
                if let Some(e) = b.index.entries.get_mut(&(kind, owner.clone())) {
                    e.sectors.push(sector);
                }
            }
        }
        for a in alias::Entity::find().all(db).await? {
            if let Some(kind) = Kind::parse(&a.entity_kind)
                && let Some(e) = b.index.entries.get_mut(&(kind, a.entity_slug))
            {
                e.aliases.push(a.alias);
            }
        }
        Ok(b.finish())
    }
}

#[derive(Default)]
struct Builder {
    index: Index,
    lists: HashMap<(Key, &'static str), BTreeSet<String>>,
}

impl Builder {
    fn entry(
        &mut self,
        kind: Kind,
        slug: &str,
        zh: &str,
        en: &Option<String>,
        sub: &str,
    ) -> &mut Entry {
        let e = self
            .index
            .entries
            .entry((kind, slug.to_owned()))
            .or_default();
        e.name_zh = zh.to_owned();
        e.name_en = en.clone();
        e.kind = sub.to_owned();
        e
    }

    fn link(
        &mut self,
        fk: Kind,
        fs: &str,
        relation: &'static str,
        tk: Kind,
        ts: &str,
        label: &str,
    ) {
        let edge = Edge {
            from: (fk, fs.to_owned()),
            to: (tk, ts.to_owned()),
            relation,
            label: label.to_owned(),
        };
        let i = self.index.edges.len();
        self.index
            .adjacency
            .entry(edge.from.clone())
            .or_default()
            .push(i);
        self.index
            .adjacency
            .entry(edge.to.clone())
            .or_default()
            .push(i);
        self.index.edges.push(edge);
    }

    fn list(&mut self, kind: Kind, slug: &str, relation: &'static str, item: &str) {
        self.lists
            .entry(((kind, slug.to_owned()), relation))
            .or_default()
            .insert(item.to_owned());
    }

    fn finish(mut self) -> Index {
        for (((kind, slug), relation), items) in self.lists {
            self.index
                .lists
                .entry((kind, relation))
                .or_default()
                .insert(slug, items.into_iter().collect());
        }
        let keys: Vec<Key> = self.index.entries.keys().cloned().collect();
        for (kind, slug) in keys {
            let d = self.index.compute_degree(kind, &slug);
            self.index.degrees.entry(kind).or_default().insert(slug, d);
        }
        for key in self.index.entries.keys() {
            self.index
                .kind_keys
                .entry(key.0)
                .or_default()
                .push(key.clone());
        }
        self.index.ranks = Ranks::build(&self.index);
        // Each kind in each order, as positions into `kind_keys`: a first page walks this from
        // the cursor and stops when full, instead of sorting the kind per request.
        for (kind, keys) in &self.index.kind_keys {
            for field in crate::order::OrderField::ALL {
                let mut positions: Vec<(u32, u32)> = keys
                    .iter()
                    .enumerate()
                    .filter_map(|(i, k)| Some((self.index.ranks.get(k.0, &k.1, field)?, i as u32)))
                    .collect();
                positions.sort_unstable();
                self.index.ordered.insert(
                    (*kind, field),
                    positions.into_iter().map(|(_, i)| i).collect(),
                );
            }
        }
        self.index.search = SearchIndex::build(&self.index);
        self.index
    }
}
