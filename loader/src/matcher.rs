//! The one automaton kind the loader matches names with (abbreviations, defined terms, mentions):
//! every occurrence of every pattern, then each matcher keeps the leftmost-longest of its own
//! patterns, so one automaton over every name serves them all (`name_index`).
//!
//! A character-wise double-array Aho–Corasick automaton (`daachorse`): names are Chinese, so it
//! steps once per character rather than once per UTF-8 byte. At `synth --scale 100` the
//! automata's build fell from 13 % of a load's CPU to 5 % (`perf record`; bench/README.md).
use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

/// Finds every occurrence of every pattern in text, overlapping ones too: one automaton can then
/// serve several matchers that each keep the leftmost-longest of their own patterns
/// ([`leftmost_longest`]), where a leftmost-longest automaton serves one pattern set only.
///
/// Built in shards of [`SHARD`] patterns: the builder's own memory is several times the
/// automaton's (at `synth --scale 2000`, 1.9 million names: 700 MiB above a 165 MiB automaton,
/// the peak of the whole load); in shards it is one shard's. Matching reads every shard.
#[derive(Clone)]
pub struct AllMatches(Vec<CharwiseDoubleArrayAhoCorasick<u32>>);

/// Patterns per automaton of [`AllMatches`].
pub const SHARD: usize = 1 << 18;

impl AllMatches {
    /// An automaton over `patterns` (distinct and non-empty; pattern `i` reports `i`); `None` when
    /// there are none, or more than the automaton can hold.
    pub fn new<P: AsRef<str>>(patterns: &[P]) -> Option<AllMatches> {
        AllMatches::in_shards(patterns, SHARD)
    }

    /// [`AllMatches::new`] with `size` patterns per shard.
    fn in_shards<P: AsRef<str>>(patterns: &[P], size: usize) -> Option<AllMatches> {
        if patterns.is_empty() {
            return None;
        }
        let mut shards = vec![];
        for (n, shard) in patterns.chunks(size).enumerate() {
            let numbered = shard
                .iter()
                .enumerate()
                .map(|(i, p)| Some((p.as_ref(), u32::try_from(n * size + i).ok()?)))
                .collect::<Option<Vec<_>>>()?;
            let automaton = CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build_with_values(numbered)
                .ok()?;
            shards.push(automaton);
        }
        Some(AllMatches(shards))
    }

    /// Every match in `text`, in no particular order.
    pub fn find_all<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Found> + 't {
        self.0.iter().flat_map(move |a| {
            a.find_overlapping_iter(text).map(|m| Found {
                start: m.start(),
                end: m.end(),
                pattern: m.value() as usize,
            })
        })
    }
}

/// The leftmost-longest matches among `found` (overlapping matches of a pattern set): the match
/// starting first, the longest of those, then the same after its end. Among matches of one span
/// the one `prefer` ranks lowest wins. This is what a leftmost-longest automaton over the same
/// patterns reports.
pub fn leftmost_longest<T>(
    mut found: Vec<(Found, T)>,
    prefer: impl Fn(&T) -> u8,
) -> Vec<(Found, T)> {
    found.sort_by_key(|(m, t)| (m.start, std::cmp::Reverse(m.end), prefer(t)));
    let mut end = 0;
    let mut out = vec![];
    for (m, t) in found {
        if m.start >= end {
            end = m.end;
            out.push((m, t));
        }
    }
    out
}

/// One match: where it lies in the text (bytes) and which pattern it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub pattern: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a leftmost-longest automaton over `patterns` finds in `text`.
    fn leftmost(patterns: &[&str], text: &str) -> Vec<Found> {
        let numbered = patterns.iter().enumerate().map(|(i, p)| (*p, i as u32));
        let automaton: CharwiseDoubleArrayAhoCorasick<u32> =
            CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build_with_values(numbered)
                .expect("automaton");
        automaton
            .leftmost_find_iter(text)
            .map(|m| Found {
                start: m.start(),
                end: m.end(),
                pattern: m.value() as usize,
            })
            .collect()
    }

    fn chosen(patterns: &[&str], text: &str) -> Vec<Found> {
        let all = AllMatches::new(patterns).expect("automaton");
        let found: Vec<(Found, ())> = all.find_all(text).map(|m| (m, ())).collect();
        leftmost_longest(found, |_| 0)
            .into_iter()
            .map(|(m, _)| m)
            .collect()
    }

    #[test]
    fn the_leftmost_then_longest_pattern_wins_and_matches_do_not_overlap() {
        let found = chosen(&["广深", "广深港", "深港", "南沙"], "在广深港南沙");
        assert_eq!(
            found,
            [
                Found {
                    start: 3,
                    end: 12,
                    pattern: 1
                },
                Found {
                    start: 12,
                    end: 18,
                    pattern: 3
                }
            ]
        );
        assert!(AllMatches::new::<&str>(&[]).is_none());
    }

    #[test]
    fn every_match_then_the_leftmost_longest_is_what_the_leftmost_automaton_finds() {
        let patterns = ["广深", "广深港", "深港", "南沙", "港南", "沙", "深港南沙"];
        for text in ["在广深港南沙，深港南沙", "港南沙广深港", "沙沙广深深港"]
        {
            assert_eq!(chosen(&patterns, text), leftmost(&patterns, text), "{text}");
        }
    }

    #[test]
    fn shards_find_what_one_automaton_finds() {
        let patterns = ["广深", "广深港", "深港", "南沙", "港南", "沙", "深港南沙"];
        let text = "在广深港南沙，深港南沙";
        let sorted = |m: &AllMatches| {
            let mut found: Vec<Found> = m.find_all(text).collect();
            found.sort_by_key(|f| (f.start, f.end, f.pattern));
            found
        };
        let one = AllMatches::in_shards(&patterns, patterns.len()).expect("automaton");
        let three = AllMatches::in_shards(&patterns, 3).expect("automata");
        assert_eq!(three.0.len(), 3);
        assert_eq!(sorted(&three), sorted(&one));
    }
}
