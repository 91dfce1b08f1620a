//! `Partner`: another record that shares a partnership with a zone, platform or organization,
//! listed as a connection with the partnerships they share.
use std::collections::HashMap;

use async_graphql::{Context, Object};
use entity::relation::Relation;

use super::common::{OrderBy, snap};
use super::node::{Party, party_of};
use super::page::{Conn, PageArgs, paginate};
use super::partnership::Partnership;
use super::record::At;
use crate::error::Res;
use crate::snapshot::{Dir, Id};

/// Another record that shares a partnership with this one.
pub struct Partner {
    party: Id,
    via: Vec<Id>,
}

/// Another record that shares a partnership with this one.
#[Object]
impl Partner {
    /// The partner: a zone, a platform or an organization.
    async fn party(&self, ctx: &Context<'_>) -> Res<Party> {
        // Partners are read from live party links, so each is a live zone, platform or
        // organization.
        party_of(&*snap(ctx)?, self.party).ok_or_else(|| {
            tracing::error!("a partner that is not a party");
            crate::error::internal()
        })
    }
    /// How many partnerships both take part in.
    async fn shared_count(&self) -> usize {
        self.via.len()
    }
    /// The partnerships both take part in, by slug.
    async fn via(&self) -> Vec<Partnership> {
        self.via.iter().copied().map(Partnership::new).collect()
    }
}

/// A connection's body (see `object_fields!`): everyone sharing a partnership with the record,
/// one page of them in `order_by`, each with the shared partnerships.
pub fn partners<S: At>(
    ctx: &Context<'_>,
    this: &S,
    order_by: Option<OrderBy>,
    args: PageArgs<'_>,
) -> Res<Conn<Partner>> {
    let id = this.at();
    let s = snap(ctx)?;
    let mut shared: HashMap<Id, Vec<Id>> = HashMap::new();
    for p in s.rec(id).targets(Relation::PartnershipParty, Dir::In) {
        for party in s.rec(p).targets(Relation::PartnershipParty, Dir::Out) {
            if party != id {
                shared.entry(party).or_default().push(p);
            }
        }
    }
    let order = order_by.unwrap_or_default(); // by Chinese name, as documented
    let page = paginate(&s, shared.keys().copied().collect(), order, args)?;
    Conn::of_page(ctx, &s, page, &order, |party| {
        // Every partner on the page came from `shared`.
        let mut via = shared.get(&party).cloned().unwrap_or_default();
        via.sort_by(|a, b| s.rec(*a).slug().cmp(s.rec(*b).slug()));
        via.dedup();
        Partner { party, via }
    })
}
