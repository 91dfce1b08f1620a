//! The Relay `Node` interface, `node(id:)` / `nodes(ids:)`, and the `Party` union.
use async_graphql::{Context, ID, Interface, Object, Union};
use entity::ids::Kind;

use super::common::{parse_id, snap};
use super::{organization::Organization, platform::Platform, zone::Zone};
use crate::error::{Res, bad_input};
use crate::snapshot::{Id, Snapshot};

/// Declares `Node` with a variant per record kind (the GraphQL type in the kind's module) and
/// `node_of`, which wraps a record in its kind's variant.
macro_rules! node {
    ($($kind:ident $module:ident,)*) => {
        /// Anything with a stable, opaque ID (Relay's Node interface). IDs are derived from the record's
        /// kind and slug, so they are the same across reloads, databases and machines.
        #[derive(Interface)]
        #[graphql(field(name = "id", ty = "ID", desc = "The record's stable, opaque ID."))]
        pub enum Node {
            $($kind(super::$module::$kind),)*
        }

        /// The record `id` as its GraphQL type; `None` for a deleted record.
        pub fn node_of(snap: &Snapshot, id: Id) -> Option<Node> {
            let r = snap.rec(id);
            if !r.is_live() {
                return None;
            }
            Some(match r.kind() {
                $(Kind::$kind => Node::$kind(super::$module::$kind::new(id)),)*
            })
        }
    };
}
entity::for_each_kind!(node! {});

/// A party to a partnership: a zone, a platform or an organization.
#[derive(Union)]
pub enum Party {
    Zone(Zone),
    Platform(Platform),
    Organization(Organization),
}

/// The record `id` as a party (zone, platform or organization).
pub fn party_of(snap: &Snapshot, id: Id) -> Option<Party> {
    match node_of(snap, id)? {
        Node::Zone(z) => Some(Party::Zone(z)),
        Node::Platform(p) => Some(Party::Platform(p)),
        Node::Organization(o) => Some(Party::Organization(o)),
        _ => None,
    }
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches any record by its ID; null when no record has that ID.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A Baygraph ID.")] id: ID,
    ) -> Res<Option<Node>> {
        let s = snap(ctx)?;
        Ok(s.find_key(&parse_id(&id, &[])?)
            .and_then(|id| node_of(&s, id)))
    }

    /// Fetches records by ID, in the order given (null for an ID with no record); at most 100.
    #[graphql(complexity = "1 + ids.len() * child_complexity")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Baygraph IDs.")] ids: Vec<ID>,
    ) -> Res<Vec<Option<Node>>> {
        if ids.len() > crate::error::MAX_PAGE {
            return Err(bad_input("at most 100 ids"));
        }
        let s = snap(ctx)?;
        ids.iter()
            .map(|id| {
                Ok(s.find_key(&parse_id(id, &[])?)
                    .and_then(|id| node_of(&s, id)))
            })
            .collect()
    }
}
