//! `PartnershipParty`: one party to a partnership, with its role and the evidence for it.
use async_graphql::{Context, Object};
use entity::relation::Relation;
use entity::vocab::PartyRole;

use super::common::{required, snap};
use super::node::{Party, party_of};
use super::provenance::{Citation, citations_where};
use crate::error::Res;
use crate::snapshot::{Dir, Id};

/// A party to a partnership (合作方) and its role.
pub struct PartnershipParty {
    partnership: Id,
    party: Id,
    role: Option<PartyRole>,
}

/// A party to a partnership (合作方) and its role.
#[Object]
impl PartnershipParty {
    /// The part the party plays.
    async fn role(&self) -> Res<PartyRole> {
        required(self.role)
    }
    /// The party: a zone, a platform or an organization.
    async fn party(&self, ctx: &Context<'_>) -> Res<Option<Party>> {
        Ok(party_of(&*snap(ctx)?, self.party))
    }
    /// The quote naming this party in the partnership.
    async fn citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        Ok(citations_where(&*snap(ctx)?, self.partnership, |c| {
            c.relation() == Some("party") && c.target() == Some(self.party)
        }))
    }
}

/// A partnership's parties, in the order the sources name them.
pub fn parties_of(ctx: &Context<'_>, partnership: Id) -> Res<Vec<PartnershipParty>> {
    let s = snap(ctx)?;
    Ok(s.rec(partnership)
        .links_of(Relation::PartnershipParty, Dir::Out)
        .iter()
        .map(|l| l.unpack())
        .filter(|l| s.rec(l.other).is_live())
        .map(|l| PartnershipParty {
            partnership,
            party: l.other,
            role: l
                .role
                .checked_sub(1)
                .and_then(entity::vocab::Vocabulary::from_code),
        })
        .collect())
}
