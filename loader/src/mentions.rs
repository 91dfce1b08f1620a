//! Finds every occurrence of every entity name and alias in every source (leftmost-longest, so
//! "南沙港区" is a mention of the port, not also of "南沙"). Mentions power "mentioned in" and search.
use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use entity::ids::Kind;

use crate::node::Node;
use crate::read::SourceDoc;

/// One occurrence of an entity's name in a source; offsets in characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Mention {
    pub kind: Kind,
    pub slug: String,
    pub source: String,
    pub start: i64,
    pub end: i64,
    pub surface: String,
}

/// Kinds whose names are looked for in the sources.
fn is_named_entity(kind: Kind) -> bool {
    !matches!(kind, Kind::Source | Kind::Metric)
}

pub fn find_mentions(nodes: &[Node], sources: &[SourceDoc]) -> Vec<Mention> {
    let mut owners: HashMap<&str, Vec<(Kind, &str)>> = HashMap::new();
    for n in nodes.iter().filter(|n| is_named_entity(n.kind)) {
        for form in n.surface_forms() {
            let list = owners.entry(form).or_default();
            if !list.contains(&(n.kind, n.slug.as_str())) {
                list.push((n.kind, n.slug.as_str()));
            }
        }
    }
    let patterns: Vec<&str> = owners.keys().copied().collect();
    let Ok(ac) = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&patterns)
    else {
        return vec![];
    };
    let mut out = vec![];
    for s in sources {
        let (mut byte, mut chars) = (0usize, 0i64);
        for m in ac.find_iter(&s.body) {
            chars += s.body[byte..m.start()].chars().count() as i64;
            byte = m.start();
            let surface = patterns[m.pattern().as_usize()];
            let len = surface.chars().count() as i64;
            for &(kind, slug) in owners.get(surface).into_iter().flatten() {
                out.push(Mention {
                    kind,
                    slug: slug.to_owned(),
                    source: s.slug.clone(),
                    start: chars,
                    end: chars + len,
                    surface: surface.to_owned(),
                });
            }
        }
    }
    out
}
