//! Every record name of a load in one automaton, shared: the abbreviation and defined-term
//! matchers take from it the names that shadow what lies inside them (穗港深度合作区 hides 穗港),
//! the mention finder every name. One automaton over every name is the largest thing a load
//! holds besides the names themselves; three (one per matcher, each leftmost-longest over its
//! own patterns) took ≈ 0.7 KiB a record at `synth --scale 300`. It finds every occurrence,
//! overlapping ones too, and each matcher keeps the leftmost-longest of its own
//! ([`crate::matcher::leftmost_longest`]).
use std::collections::HashMap;

use entity::ids::Kind;

use crate::abbrev::shadows;
use crate::matcher::{AllMatches, Found};
use crate::node::Named;

/// Kinds whose names are looked for in the sources (a source's title and a metric's label are not
/// names the texts use).
pub fn is_named_entity(kind: Kind) -> bool {
    !matches!(kind, Kind::Source | Kind::Metric)
}

/// The surface forms of a set of records, each form once, with the records it names.
pub struct NameIndex<'a> {
    patterns: Vec<&'a str>,
    /// Whether a record whose names shadow what lies inside them has pattern `i` as a name.
    shadowing: Vec<bool>,
    /// The records pattern `i` names: `owners[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    owners: Vec<(Kind, &'a str)>,
    /// None when there is no name, or more than the automaton can hold.
    matcher: Option<AllMatches>,
}

impl<'a> NameIndex<'a> {
    /// The names of `nodes` of the kinds that are named ([`is_named_entity`]).
    pub fn new<N: Named + 'a>(nodes: impl IntoIterator<Item = &'a N>) -> Self {
        let mut at: HashMap<&'a str, usize> = HashMap::new();
        let mut patterns: Vec<&'a str> = vec![];
        let mut shadowing: Vec<bool> = vec![];
        let mut named: Vec<Vec<(Kind, &'a str)>> = vec![];
        for n in nodes.into_iter().filter(|n| is_named_entity(n.kind())) {
            let owner = (n.kind(), n.slug());
            for form in n.surface_forms() {
                let i = *at.entry(form).or_insert_with(|| {
                    patterns.push(form);
                    shadowing.push(false);
                    named.push(vec![]);
                    patterns.len() - 1
                });
                shadowing[i] |= shadows(owner.0);
                if !named[i].contains(&owner) {
                    named[i].push(owner);
                }
            }
        }
        drop(at);
        let mut starts = Vec::with_capacity(named.len() + 1);
        let mut owners = vec![];
        for list in named {
            starts.push(owners.len() as u32);
            owners.extend(list);
        }
        starts.push(owners.len() as u32);
        NameIndex {
            matcher: AllMatches::new(&patterns),
            patterns,
            shadowing,
            starts,
            owners,
        }
    }

    /// Every occurrence of every name in `text`, overlapping ones too, in no particular order.
    pub fn find_all<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Found> + 't {
        self.matcher.iter().flat_map(move |m| m.find_all(text))
    }

    /// The occurrences of the names that shadow what lies inside them.
    pub fn shadowing<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Found> + 't {
        self.find_all(text).filter(|m| self.shadowing[m.pattern])
    }

    /// Pattern `i`'s text.
    pub fn pattern(&self, i: usize) -> &'a str {
        self.patterns[i]
    }

    /// The records pattern `i` names.
    pub fn owners(&self, i: usize) -> &[(Kind, &'a str)] {
        &self.owners[self.starts[i] as usize..self.starts[i + 1] as usize]
    }
}
