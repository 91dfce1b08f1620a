//! Name queries over the chunks' name indexes: which records of a kind have a name containing a
//! text (name filters), and ranked search (`search`). Both read only the candidates of the
//! query's rarest gram in each chunk.
use std::cmp::Ordering;
use std::collections::HashMap;

use entity::ids::Kind;
use memchr::memmem::Finder;

use super::data::Id;
use super::names::{EN, Field, ZH, needle_grams};
use super::text::{fold, words};
use super::{CHUNK, Snapshot};

/// A ranked search result.
#[derive(Clone, Debug)]
pub struct Hit {
    pub id: Id,
    pub score: f64,
}

/// The best hits of a search, and how many records matched in all.
pub struct Hits {
    /// The first `limit` hits, best first.
    pub top: Vec<Hit>,
    pub total: usize,
}

/// How much a match on a field counts: the Chinese name highest, then aliases, then English.
fn weight(field: Field) -> f64 {
    match field {
        ZH => 1.0,
        EN => 0.85,
        _ => 0.9,
    }
}

impl Snapshot {
    /// Calls `each` with every live record of `kinds` (all when empty) carrying a name whose
    /// folded text contains every one of `needles` (folded, non-empty), with that name's folded
    /// text and which name it is.
    fn matching(&self, kinds: &[Kind], needles: &[String], mut each: impl FnMut(Id, Field, &str)) {
        // Every gram of every needle must occur, so the smallest bucket among them all bounds
        // the candidates.
        let grams: Vec<_> = needles.iter().flat_map(|n| needle_grams(n)).collect();
        let finders: Vec<Finder<'_>> = needles.iter().map(|n| Finder::new(n.as_bytes())).collect();
        let mask: u16 = if kinds.is_empty() {
            u16::MAX
        } else {
            kinds.iter().fold(0, |m, k| m | (1 << (*k as u16)))
        };
        for (c, chunk) in self.chunks.iter().enumerate() {
            let names = &chunk.names;
            if names.kinds & mask == 0 {
                continue;
            }
            names.candidates(&grams, |t| {
                let folded = names.term(&chunk.text, t);
                if !finders.iter().all(|f| f.find(folded.as_bytes()).is_some()) {
                    return;
                }
                for (i, field) in names.owners(t) {
                    let rec = &chunk.recs[i];
                    if mask & (1 << (rec.kind as u16)) != 0 {
                        each(Id((c * CHUNK + i) as u32), field, folded);
                    }
                }
            });
        }
    }

    /// The live records of `kind` with a name (Chinese, English or an alias) containing
    /// `needle`, folded like the names; each once, in ID order. A needle that folds to nothing
    /// is contained in every name.
    pub fn containing(&self, kind: Kind, needle: &str) -> Vec<Id> {
        let needle = fold(needle);
        let mut ids = vec![];
        self.matching(&[kind], &[needle], |id, _, _| ids.push(id));
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The name of `id` that `field` designates.
    fn name(&self, id: Id, field: Field) -> &str {
        let r = self.rec(id);
        match field {
            ZH => r.name_zh(),
            // A name the index holds exists: these fall back only for a field it never lists.
            EN => r.name_en().unwrap_or_default(),
            a => r.aliases().nth(usize::from(a - 2)).unwrap_or_default(),
        }
    }

    /// The best `limit` hits for `query`, best first, restricted to `kinds` when given, and the
    /// number of records that match. Ties go to the better-connected record, then to the shorter
    /// name.
    pub fn search(&self, query: &str, kinds: &[Kind], limit: usize) -> Hits {
        let q = fold(query);
        let q_words = words(query);
        let q_folded: Vec<String> = q_words
            .iter()
            .map(|w| fold(w))
            .filter(|w| !w.is_empty())
            .collect();
        if q.is_empty() || q_folded.is_empty() {
            return Hits {
                top: vec![],
                total: 0,
            };
        }
        let q_chars = q.chars().count() as f64;
        let mut best: HashMap<Id, f64> = HashMap::new();
        self.matching(kinds, &q_folded, |id, field, folded| {
            let name_words = words(self.name(id, field));
            let whole_words = q_words.iter().all(|w| name_words.contains(w));
            // How much of the name the query covers: 南沙 matches 南沙区 better than 南沙港区四期,
            // "knowledge city" matches "… Knowledge City" better than a long title containing it.
            let chars = q_chars / folded.chars().count().max(1) as f64;
            let covered = q_words.len() as f64 / name_words.len().max(1) as f64;
            let (base, coverage) = if folded == q {
                (1.0, 1.0)
            } else if whole_words {
                (0.9, covered)
            } else if folded.starts_with(&q) {
                (0.8, chars)
            } else if folded.contains(&q) {
                (0.6, chars)
            } else if q_words
                .iter()
                .all(|w| name_words.iter().any(|n| n.starts_with(w.as_str())))
            {
                (0.5, covered)
            } else {
                return;
            };
            let score = weight(field) * base * (0.75 + 0.25 * coverage.min(1.0));
            let slot = best.entry(id).or_insert(0.0);
            if score > *slot {
                *slot = score;
            }
        });
        let total = best.len();
        let mut ranked: Vec<(Hit, u32, usize, (Kind, &str))> = best
            .into_iter()
            .map(|(id, score)| {
                let r = self.rec(id);
                let hit = Hit {
                    id,
                    score: (score * 1000.0).round() / 1000.0,
                };
                (
                    hit,
                    r.degree(),
                    r.name_zh().chars().count(),
                    (r.kind(), r.slug()),
                )
            })
            .collect();
        let order = |a: &(Hit, u32, usize, (Kind, &str)), b: &(Hit, u32, usize, (Kind, &str))| {
            b.0.score
                .partial_cmp(&a.0.score)
                .unwrap_or(Ordering::Equal)
                .then_with(|| b.1.cmp(&a.1))
                .then_with(|| a.2.cmp(&b.2))
                .then_with(|| a.3.cmp(&b.3))
        };
        // Only the first `limit` need sorting: select them in linear time, then sort those.
        if limit < ranked.len() {
            ranked.select_nth_unstable_by(limit, order);
            ranked.truncate(limit);
        }
        ranked.sort_unstable_by(order);
        Hits {
            top: ranked.into_iter().map(|(h, ..)| h).collect(),
            total,
        }
    }
}
