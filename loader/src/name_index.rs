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
    /// Whether a record whose names shadow what lies inside them has pattern `i` as a name.
    shadowing: Vec<bool>,
    /// The records pattern `i` names: `owners[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    owners: Vec<(Kind, &'a str)>,
    /// None when there is no name, or more than the automaton can hold.
    matcher: Option<AllMatches>,
}

impl<'a> NameIndex<'a> {
    /// The names of `nodes` of the kinds that are named ([`is_named_entity`]). Built from flat
    /// lists (a pattern number per form, then (pattern, record) pairs sorted), not a list per
    /// pattern: at a million records the build's own memory is what sets a load's peak.
    pub fn new<N: Named + 'a>(nodes: impl IntoIterator<Item = &'a N>) -> Self {
        let mut at: HashMap<&'a str, u32> = HashMap::new();
        let mut shadowing: Vec<bool> = vec![];
        let mut pairs: Vec<(u32, Kind, &'a str)> = vec![];
        let mut forms: Vec<&'a str> = vec![];
        for n in nodes.into_iter().filter(|n| is_named_entity(n.kind())) {
            let (kind, slug) = (n.kind(), n.slug());
            forms.clear();
            forms.extend(n.surface_forms());
            forms.sort_unstable();
            forms.dedup();
            for &form in &forms {
                let i = *at.entry(form).or_insert_with(|| {
                    shadowing.push(false);
                    (shadowing.len() - 1) as u32
                });
                shadowing[i as usize] |= shadows(kind);
                pairs.push((i, kind, slug));
            }
        }
        let mut patterns: Vec<&str> = vec![""; shadowing.len()];
        for (form, i) in at {
            patterns[i as usize] = form;
        }
        let matcher = AllMatches::new(&patterns);
        drop(patterns);
        // Stable: a name's records stay in the order they came.
        pairs.sort_by_key(|p| p.0);
        let mut starts = Vec::with_capacity(shadowing.len() + 1);
        let mut owners = Vec::with_capacity(pairs.len());
        for (i, kind, slug) in pairs {
            while starts.len() <= i as usize {
                starts.push(owners.len() as u32);
            }
            owners.push((kind, slug));
        }
        while starts.len() <= shadowing.len() {
            starts.push(owners.len() as u32);
        }
        NameIndex {
            shadowing,
            starts,
            owners,
            matcher,
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

    /// The records pattern `i` names.
    pub fn owners(&self, i: usize) -> &[(Kind, &'a str)] {
        &self.owners[self.starts[i] as usize..self.starts[i + 1] as usize]
    }
}
