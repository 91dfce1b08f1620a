//! `Partner`: another record that shares a partnership with a zone, platform or organization,
//! listed as a connection with the partnerships they share.
use std::collections::HashMap;

use async_graphql::{Context, SimpleObject};
use entity::ids::Kind;

use super::common::{Conn, OrderBy, PageArgs, connection_keyed, index, loaders, paginate_keys};
use super::node::{Node, Party, load_many, load_nodes};
use super::partnership::Partnership;
use crate::error::Res;
use crate::index::Key;

/// Another record that shares a partnership with this one.
#[derive(SimpleObject)]
pub struct Partner {
    /// The partner: a zone, a platform or an organization.
    pub party: Party,
    /// How many partnerships both take part in.
    pub shared_count: usize,
    /// The partnerships both take part in, by slug.
    pub via: Vec<Partnership>,
}

/// Everyone sharing a partnership with `(kind, slug)`, one page of them in `order_by`, each with
/// the shared partnerships. Only the page's partners and partnerships are loaded.
pub async fn partners_of(
    ctx: &Context<'_>,
    kind: Kind,
    slug: &str,
    order_by: Option<OrderBy>,
    args: PageArgs<'_>,
) -> Res<Conn<Partner>> {
    let idx = index(ctx)?;
    let me = entity::ids::record_key(kind, slug);
    let mut shared: HashMap<Key, Vec<String>> = HashMap::new();
    for p in idx.list(kind, slug, "partnerships") {
        for party in idx.list(Kind::Partnership, p, "parties") {
            if *party == me {
                continue;
            }
            // Parties are stored as record keys.
            if let Some((k, s)) = entity::ids::parse_record_key(party) {
                shared.entry((k, s.to_owned())).or_default().push(p.clone());
            }
        }
    }
    let page = paginate_keys(
        &idx,
        shared.keys().cloned().collect(),
        order_by.unwrap_or_default(),
        args,
    )?;
    let keys: Vec<Key> = page.items.iter().map(|(_, k)| k.clone()).collect();
    let mut via_slugs: Vec<String> = keys
        .iter()
        .flat_map(|k| shared.get(k).cloned().unwrap_or_default())
        .collect();
    via_slugs.sort();
    via_slugs.dedup();
    let partnerships = load_many(&loaders(ctx)?.partnerships, &via_slugs, Partnership).await?;
    let mut partners: HashMap<Key, Partner> = HashMap::new();
    for (key, node) in keys.iter().zip(load_nodes(ctx, &keys).await?) {
        let party = match node {
            Some(Node::Zone(z)) => Party::Zone(z),
            Some(Node::Platform(p)) => Party::Platform(p),
            Some(Node::Organization(o)) => Party::Organization(o),
            _ => continue,
        };
        let mut via: Vec<&String> = shared
            .get(key)
            .map(|v| v.iter().collect())
            .unwrap_or_default();
        via.sort();
        let via: Vec<Partnership> = via
            .into_iter()
            .filter_map(|p| partnerships.get(p).map(|x| Partnership(x.0.clone())))
            .collect();
        partners.insert(
            key.clone(),
            Partner {
                party,
                shared_count: via.len(),
                via,
            },
        );
    }
    Ok(connection_keyed(page, &mut partners))
}
