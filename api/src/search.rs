//! Name search over Chinese names, English names and aliases. Names are short and curated, so every
//! name is normalised once (NFKC, lowercase, no spaces or punctuation) and a query is matched by
//! exact, prefix and substring tests, plus word prefixes for English ("knowledge city"). That
//! handles 2-character Chinese queries (南沙) that trigram indexes miss.
use std::cmp::Ordering;

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

#[derive(Default)]
pub struct SearchIndex {
    terms: Vec<Term>,
}

/// A ranked search result.
#[derive(Clone, Debug)]
pub struct Hit {
    pub key: Key,
    pub score: f64,
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
        let mut terms = vec![];
        for (key, e) in &index.entries {
            let mut add = |s: &str, weight: f64| {
                let folded = fold(s);
                if !folded.is_empty() {
                    terms.push(Term {
                        key: key.clone(),
                        folded,
                        words: words(s),
                        weight,
                    });
                }
            };
            add(&e.name_zh, 1.0);
            for a in &e.aliases {
                add(a, 0.9);
            }
            if let Some(en) = &e.name_en {
                add(en, 0.85);
            }
        }
        SearchIndex { terms }
    }

    /// Ranked hits for `query`, best first, restricted to `kinds` when given. Ties go to the
    /// better-connected record, then to the shorter name.
    pub fn search(&self, index: &Index, query: &str, kinds: &[Kind]) -> Vec<Hit> {
        let q = fold(query);
        if q.is_empty() {
            return vec![];
        }
        let q_words = words(query);
        let q_chars = q.chars().count() as f64;
        let q_folded_words: Vec<String> = q_words.iter().map(|w| fold(w)).collect();
        // Substring finders built once per query (SIMD search rather than a window-by-window scan).
        let finders: Vec<Finder<'_>> = q_folded_words.iter().map(Finder::new).collect();
        let mut best: std::collections::HashMap<&Key, f64> = std::collections::HashMap::new();
        for t in &self.terms {
            if !kinds.is_empty() && !kinds.contains(&t.key.0) {
                continue;
            }
            // Every way of matching below needs each query word inside the folded name, so this
            // cheap test skips almost every term before the scoring.
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
        let hits: Vec<Hit> = best
            .into_iter()
            .map(|(key, score)| Hit {
                key: key.clone(),
                score: (score * 1000.0).round() / 1000.0,
            })
            .collect();
        // Degree and name length once per hit, not once per comparison.
        let mut ranked: Vec<(Hit, usize, usize)> = hits
            .into_iter()
            .map(|h| {
                let degree = index.degree(h.key.0, &h.key.1);
                let len = name_len(index, &h.key);
                (h, degree, len)
            })
            .collect();
        ranked.sort_by(|(a, da, la), (b, db, lb)| {
            b.score
                .partial_cmp(&a.score)
                .unwrap_or(Ordering::Equal)
                .then_with(|| db.cmp(da))
                .then_with(|| la.cmp(lb))
                .then_with(|| a.key.cmp(&b.key))
        });
        ranked.into_iter().map(|(h, _, _)| h).collect()
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
