//! Name search over Chinese names, English names and aliases. Every name is normalised once
//! (NFKC, lowercase, no spaces or punctuation) and indexed by its characters and character pairs
//! (a 1–2-gram index), so a query reads only the postings of its rarest gram and then tests the
//! few candidates by exact, prefix and substring match, plus word prefixes for English
//! ("knowledge city"). Its cost follows the number of candidates, not the number of records, and
//! 2-character Chinese queries (南沙), which trigram indexes miss, hit.
use std::cmp::Ordering;
use std::collections::HashMap;

use entity::ids::Kind;
use memchr::memmem::Finder;
use unicode_normalization::UnicodeNormalization;

use crate::index::{Index, Key};

/// One searchable string of one record.
struct Term {
    key: Key,
    /// The string normalised for matching.
    folded: String,
    /// Lowercase words of the original (for English word-prefix matching).
    words: Vec<String>,
    /// How much a match on this field counts: the Chinese name highest, then aliases, then English.
    weight: f64,
}

/// Term ids, ascending, each once.
type Postings = Vec<u32>;

#[derive(Default)]
pub struct SearchIndex {
    terms: Vec<Term>,
    /// Terms containing each character (for 1-character needles).
    unigrams: HashMap<char, Postings>,
    /// Terms containing each pair of adjacent characters.
    bigrams: HashMap<(char, char), Postings>,
}

/// A ranked search result.
#[derive(Clone, Debug)]
pub struct Hit {
    pub key: Key,
    pub score: f64,
}

/// The best hits of a search, and how many records matched in all.
pub struct Hits {
    /// The first `limit` hits, best first.
    pub top: Vec<Hit>,
    pub total: usize,
}

/// NFKC, lowercase, and only letters and digits: "Knowledge-City" and "ｋｎｏｗｌｅｄｇｅ city" fold alike.
pub fn fold(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn words(s: &str) -> Vec<String> {
    s.nfkc()
        .collect::<String>()
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

impl SearchIndex {
    pub fn build(index: &Index) -> SearchIndex {
        let mut out = SearchIndex::default();
        for (key, e) in &index.entries {
            out.add(key, &e.name_zh, 1.0);
            for a in &e.aliases {
                out.add(key, a, 0.9);
            }
            if let Some(en) = &e.name_en {
                out.add(key, en, 0.85);
            }
        }
        out
    }

    fn add(&mut self, key: &Key, s: &str, weight: f64) {
        let folded = fold(s);
        if folded.is_empty() {
            return;
        }
        let Ok(id) = u32::try_from(self.terms.len()) else {
            tracing::error!("more than 2^32 search terms; the rest are not searchable");
            return;
        };
        let chars: Vec<char> = folded.chars().collect();
        let post = |list: &mut Postings| {
            if list.last() != Some(&id) {
                list.push(id);
            }
        };
        for c in &chars {
            post(self.unigrams.entry(*c).or_default());
        }
        for pair in chars.windows(2) {
            post(self.bigrams.entry((pair[0], pair[1])).or_default());
        }
        self.terms.push(Term {
            key: key.clone(),
            folded,
            words: words(s),
            weight,
        });
    }

    /// The shortest postings list that every term containing `needle` (folded) is on.
    fn rarest(&self, needle: &str) -> &[u32] {
        let chars: Vec<char> = needle.chars().collect();
        let list = match chars.as_slice() {
            [] => return &[],
            [c] => self.unigrams.get(c),
            _ => chars
                .windows(2)
                .map(|p| self.bigrams.get(&(p[0], p[1])))
                .min_by_key(|l| l.map_or(0, Vec::len))
                .flatten(),
        };
        list.map_or(&[], Vec::as_slice)
    }

    /// The candidates for terms containing every one of `needles` (folded, non-empty): the
    /// rarest postings list among them, which is a superset of the answer.
    fn candidates<'a>(&'a self, needles: &[String]) -> &'a [u32] {
        needles
            .iter()
            .map(|n| self.rarest(n))
            .min_by_key(|l| l.len())
            .unwrap_or(&[])
    }

    /// The records of `kind` with a name (Chinese, English or an alias) containing `needle`,
    /// folded like the names; each once, in no particular order.
    pub fn containing(&self, kind: Kind, needle: &str) -> Vec<Key> {
        let needle = fold(needle);
        if needle.is_empty() {
            return vec![];
        }
        let finder = Finder::new(&needle);
        let mut keys: Vec<&Key> = self
            .candidates(std::slice::from_ref(&needle))
            .iter()
            .map(|t| &self.terms[*t as usize])
            .filter(|t| t.key.0 == kind && finder.find(t.folded.as_bytes()).is_some())
            .map(|t| &t.key)
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys.into_iter().cloned().collect()
    }

    /// The best `limit` hits for `query`, best first, restricted to `kinds` when given, and the
    /// number of records that match. Ties go to the better-connected record, then to the shorter
    /// name.
    pub fn search(&self, index: &Index, query: &str, kinds: &[Kind], limit: usize) -> Hits {
        let q = fold(query);
        if q.is_empty() {
            return Hits {
                top: vec![],
                total: 0,
            };
        }
        let q_words = words(query);
        let q_chars = q.chars().count() as f64;
        let q_folded_words: Vec<String> = q_words
            .iter()
            .map(|w| fold(w))
            .filter(|w| !w.is_empty())
            .collect();
        // Substring finders built once per query (SIMD search rather than a window-by-window scan).
        let finders: Vec<Finder<'_>> = q_folded_words.iter().map(Finder::new).collect();
        let mut best: HashMap<&Key, f64> = HashMap::new();
        for t in self.candidates(&q_folded_words) {
            let t = &self.terms[*t as usize];
            if !kinds.is_empty() && !kinds.contains(&t.key.0) {
                continue;
            }
            // Every way of matching below needs each query word inside the folded name.
            if !finders
                .iter()
                .all(|f| f.find(t.folded.as_bytes()).is_some())
            {
                continue;
            }
            let whole_words = !q_words.is_empty() && q_words.iter().all(|w| t.words.contains(w));
            // How much of the name the query covers: 南沙 matches 南沙区 better than 南沙港区四期,
            // "knowledge city" matches "… Knowledge City" better than a long title containing it.
            let chars = q_chars / t.folded.chars().count().max(1) as f64;
            let words = q_words.len() as f64 / t.words.len().max(1) as f64;
            let (base, coverage) = if t.folded == q {
                (1.0, 1.0)
            } else if whole_words {
                (0.9, words)
            } else if t.folded.starts_with(&q) {
                (0.8, chars)
            } else if t.folded.contains(&q) {
                (0.6, chars)
            } else if !q_words.is_empty()
                && q_words
                    .iter()
                    .all(|w| t.words.iter().any(|tw| tw.starts_with(w.as_str())))
            {
                (0.5, words)
            } else {
                continue;
            };
            let score = t.weight * base * (0.75 + 0.25 * coverage.min(1.0));
            let slot = best.entry(&t.key).or_insert(0.0);
            if score > *slot {
                *slot = score;
            }
        }
        let total = best.len();
        // Degree and name length once per hit, not once per comparison.
        let mut ranked: Vec<(Hit, usize, usize)> = best
            .into_iter()
            .map(|(key, score)| {
                let degree = index.degree(key.0, &key.1);
                let len = name_len(index, key);
                let hit = Hit {
                    key: key.clone(),
                    score: (score * 1000.0).round() / 1000.0,
                };
                (hit, degree, len)
            })
            .collect();
        let order = |(a, da, la): &(Hit, usize, usize), (b, db, lb): &(Hit, usize, usize)| {
            b.score
                .partial_cmp(&a.score)
                .unwrap_or(Ordering::Equal)
                .then_with(|| db.cmp(da))
                .then_with(|| la.cmp(lb))
                .then_with(|| a.key.cmp(&b.key))
        };
        // Only the first `limit` need sorting: select them in linear time, then sort those.
        if limit < ranked.len() {
            ranked.select_nth_unstable_by(limit, order);
            ranked.truncate(limit);
        }
        ranked.sort_unstable_by(order);
        Hits {
            top: ranked.into_iter().map(|(h, _, _)| h).collect(),
            total,
        }
    }
}

fn name_len(index: &Index, key: &Key) -> usize {
    index
        .entry(key)
        .map_or(usize::MAX, |e| e.name_zh.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_width_case_and_punctuation() {
        assert_eq!(fold("Knowledge-City"), "knowledgecity");
        assert_eq!(fold("ＫＮＯＷＬＥＤＧＥ city"), "knowledgecity");
        assert_eq!(fold("中新广州知识城"), "中新广州知识城");
    }
}
