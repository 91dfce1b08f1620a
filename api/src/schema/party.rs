//! `PartnershipParty`: one party to a partnership, with its role and the evidence for it.
use async_graphql::{Context, Object};
use entity::ids::Kind;
use entity::partnership_party;

use super::node::{Party, load_party};
use super::provenance::{Citation, relation_citations};
use super::vocab::{PartyRole, from_stored};
use crate::error::Res;

/// A party to a partnership (合作方) and its role.
pub struct PartnershipParty(pub partnership_party::Model);

impl PartnershipParty {
    fn target(&self) -> Option<(Kind, &str)> {
        self.0.party()
    }
}

/// A party to a partnership (合作方) and its role.
#[Object]
impl PartnershipParty {
    /// The part the party plays.
    async fn role(&self) -> Res<PartyRole> {
        from_stored(&self.0.role)
    }
    /// The party: a zone, a platform or an organization.
    async fn party(&self, ctx: &Context<'_>) -> Res<Option<Party>> {
        let Some((kind, slug)) = self.target() else {
            return Ok(None);
        };
        load_party(ctx, kind, slug).await
    }
    /// The quote naming this party in the partnership.
    async fn citations(&self, ctx: &Context<'_>) -> Res<Vec<Citation>> {
        let Some((kind, slug)) = self.target() else {
            return Ok(vec![]);
        };
        let target = entity::ids::record_key(kind, slug);
        relation_citations(ctx, Kind::Partnership, &self.0.partnership, |c| {
            c.relation.as_deref() == Some("party") && c.target.as_deref() == Some(target.as_str())
        })
        .await
    }
}
