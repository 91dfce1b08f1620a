//! Finds every occurrence of every entity name and alias in every source (leftmost-longest, so
//! "南沙港区" is a mention of the port, not also of "南沙"). Mentions power "mentioned in" and search.
//! A listed abbreviation standing on its own (广清, read as in `abbrev`) is also a mention of every
//! zone it expands to; an anaphor (两市) is not, its meaning depending on the passage.
use std::collections::HashSet;

use entity::ids::Kind;

use std::sync::Arc;

use crate::abbrev::Abbreviations;
use crate::matcher::leftmost_longest;
use crate::name_index::NameIndex;
use crate::node::{Named, Node};
use crate::read::{Abbreviation, SourceDoc};

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

/// Every mention of `nodes` in `sources` (see [`MentionFinder`]).
pub fn find_mentions(
    nodes: &[Node],
    sources: &[SourceDoc],
    abbreviations: &[Abbreviation],
) -> Vec<Mention> {
    let finder = MentionFinder::new(nodes, abbreviations);
    sources
        .iter()
        .flat_map(|s| finder.in_source(&s.slug, &s.body))
        .collect()
}

/// Finds the mentions of a fixed set of records, one source at a time, so a load never holds
/// the mentions of every source at once.
pub struct MentionFinder<'a> {
    names: Arc<NameIndex<'a>>,
    listed: Abbreviations<'a>,
    zones: HashSet<&'a str>,
}

impl<'a> MentionFinder<'a> {
    /// The mentions of `nodes`, and of the zones the listed `abbreviations` expand to.
    pub fn new<I, N>(nodes: I, abbreviations: &'a [Abbreviation]) -> Self
    where
        N: Named + 'a,
        I: IntoIterator<Item = &'a N>,
        I::IntoIter: Clone,
    {
        let nodes = nodes.into_iter();
        let zones = nodes
            .clone()
            .filter(|n| n.kind() == Kind::Zone)
            .map(|n| n.slug())
            .collect();
        MentionFinder::over(Arc::new(NameIndex::new(nodes)), zones, abbreviations)
    }

    /// The mentions of the records of `names` (whose zones are `zones`), sharing their automaton.
    pub fn over(
        names: Arc<NameIndex<'a>>,
        zones: HashSet<&'a str>,
        abbreviations: &'a [Abbreviation],
    ) -> Self {
        MentionFinder {
            listed: Abbreviations::over(abbreviations, names.clone()),
            names,
            zones,
        }
    }

    /// The mentions in source `source` whose text is `body`, in text order.
    pub fn in_source(&self, source: &str, body: &str) -> Vec<Mention> {
        let mut out = vec![];
        let chars_at = CharOffsets::new(body);
        let mut at_start: HashSet<(Kind, &str, i64)> = HashSet::new();
        let found = self.names.find_all(body).map(|m| (m, ())).collect();
        for (m, ()) in leftmost_longest(found, |_| 0) {
            let surface = &body[m.start..m.end];
            let start = chars_at.get(m.start);
            let len = surface.chars().count() as i64;
            for &(kind, slug) in self.names.owners(m.pattern) {
                at_start.insert((kind, slug, start));
                out.push(Mention {
                    kind,
                    slug: slug.to_owned(),
                    source: source.to_owned(),
                    start,
                    end: start + len,
                    surface: surface.to_owned(),
                });
            }
        }
        for (from, to, a) in self.listed.occurrences(body) {
            if a.anaphor {
                continue;
            }
            let start = chars_at.get(from);
            let end = start + body[from..to].chars().count() as i64;
            for slug in a.expands_to.iter().map(String::as_str) {
                if self.zones.contains(slug) && at_start.insert((Kind::Zone, slug, start)) {
                    out.push(Mention {
                        kind: Kind::Zone,
                        slug: slug.to_owned(),
                        source: source.to_owned(),
                        start,
                        end,
                        surface: a.form.clone(),
                    });
                }
            }
        }
        out
    }
}

/// Byte offsets to character offsets, for offsets met in increasing order or not.
struct CharOffsets {
    /// The byte offset of every character boundary, in order.
    boundaries: Vec<usize>,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        CharOffsets {
            boundaries: text.char_indices().map(|(b, _)| b).collect(),
        }
    }

    fn get(&self, byte: usize) -> i64 {
        self.boundaries.partition_point(|&b| b < byte) as i64
    }
}
