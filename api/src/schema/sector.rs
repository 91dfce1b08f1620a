//! `Sector`: an industry or field (产业, e.g. 生物医药, 集成电路) and what works in it.
use async_graphql::{Context, ID};
use entity::ids::Kind;
use entity::relation::Relation;

use super::common::snap;
use super::filter::under;
use super::record::{list_query, one, record_type};
use crate::error::Res;
use crate::snapshot::{Dir, Id};

record_type! {
    /// An industry or field (产业、领域).
    Sector = Named + SectorFields {
        fields {
            /// The broader sector this one is a branch of (生物制药: 生物医药); filters by a sector
            /// include the sectors below it.
            broader -> Option<Sector> = one(Relation::SectorBroader, Sector::new);
        }
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

list_query! {
    /// Which sectors to list.
    SectorFilter of Kind::Sector {
        /// Only the sectors below this one (its branches, their branches …).
        within: ID,
        /// Only sectors whose Chinese name, English name or an alias contains this text.
        name: String,
    }
    select(f, s, candidates) {
        if let Some(within) = &f.within {
            candidates.and(under(s, within, Relation::SectorBroader, false)?);
        }
        candidates.named(s, Self::KIND, &f.name);
        Ok(None)
    }
    SectorQuery {
        /// Sectors (产业), filtered and ordered; at most 100 per page.
        sectors("Which sectors to include.") -> Sector;
        /// One sector by slug.
        sector;
    }
}
