//! `search`: ranked name search over Chinese names, English names and aliases.
use async_graphql::{Context, Enum, Object, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::ids::Kind;

use super::common::snap;
use super::node::{Node, node_of};
use super::page::{Conn, cost, first_size};
use crate::error::{Res, bad_input};

/// Declares `SearchType`, a value per kind of `entity::Kind` but figures (search finds the
/// records graph queries walk: `Kind::is_graph_record`), and its kind.
macro_rules! search_type {
    ([$($kind:ident)*] Metric metric, $($rest:tt)*) => {
        search_type!([$($kind)*] $($rest)*);
    };
    ([$($kind:ident)*] $next:ident $module:ident, $($rest:tt)*) => {
        search_type!([$($kind)* $next] $($rest)*);
    };
    ([$($kind:ident)*]) => {
        /// Record types `search` can be restricted to: every kind but figures.
        #[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
        pub enum SearchType {
            $(#[doc = concat!("Records of type `", stringify!($kind), "`.")] $kind,)*
        }

        impl SearchType {
            fn kind(self) -> Kind {
                match self {
                    $(SearchType::$kind => Kind::$kind,)*
                }
            }
        }
    };
}
entity::for_each_kind!(search_type! { [] });

/// One search result.
#[derive(SimpleObject)]
pub struct SearchHit {
    /// Relevance between 0 and 1: exact name 1, whole English words 0.9, prefix 0.8, substring 0.6,
    /// English word prefixes 0.5,
    /// weighted by field (Chinese name > alias > English name) and by how much of the name matched.
    pub score: f64,
    /// The record found.
    pub node: Node,
}

#[derive(Default)]
pub struct SearchQuery;

#[Object]
impl SearchQuery {
    /// Ranked search over Chinese names, English names and aliases, tolerant of partial input
    /// (南沙, 知识城, "knowledge city"). Ties go to the better-connected record.
    #[graphql(complexity = "cost(first, None, child_complexity)")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Text to look for (Chinese or English, any part of a name).")]
        query: String,
        #[graphql(desc = "Only these record types (all when omitted).")] types: Option<
            Vec<SearchType>,
        >,
        #[graphql(desc = "Hits per page, at most 100.")] first: Option<i32>,
        #[graphql(desc = "A cursor from a previous page.")] after: Option<String>,
    ) -> Res<Conn<SearchHit>> {
        if query.chars().count() > 200 {
            return Err(bad_input("query is longer than 200 characters"));
        }
        let n = first_size(first)?;
        let start = match after {
            None => 0,
            Some(c) => decode(&c).ok_or_else(|| bad_input("invalid cursor"))? + 1,
        };
        // No types: every kind.
        let kinds: Vec<Kind> = types
            .unwrap_or_default()
            .into_iter()
            .map(SearchType::kind)
            .collect();
        let s = snap(ctx)?;
        let hits = s.search(&query, &kinds, start.saturating_add(n));
        let end = start.saturating_add(n).min(hits.top.len());
        let start = start.min(end);
        let mut conn = Conn::new(start > 0, end < hits.total, hits.total);
        for (i, hit) in hits.top[start..end].iter().enumerate() {
            if let Some(node) = node_of(&s, hit.id) {
                conn.push(
                    encode(start + i),
                    SearchHit {
                        score: hit.score,
                        node,
                    },
                );
            }
        }
        Ok(conn)
    }
}

fn encode(position: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("search:{position}"))
}

fn decode(cursor: &str) -> Option<usize> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    text.strip_prefix("search:")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::resolver_utils::EnumType;

    /// `SearchType` follows `Kind`: every kind search finds, figures left out.
    #[test]
    fn every_kind_search_finds_can_be_asked_for() {
        let offered: Vec<Kind> = SearchType::items().iter().map(|i| i.value.kind()).collect();
        for kind in Kind::ALL.into_iter().filter(|k| k.is_graph_record()) {
            assert!(
                offered.contains(&kind),
                "SearchType has no value for {kind}"
            );
        }
        assert_eq!(
            offered.len(),
            Kind::ALL.len() - 1,
            "figures are not searched"
        );
    }
}
