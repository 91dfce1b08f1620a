//! The coverage check: scans each source for name-like strings (runs ending in 区, 实验室, 中心, 园 …
//! and every 《…》 title) and reports each one that is not an entity name, an alias, or an
//! `ignored.toml` text ending at the same place. Missing an entity becomes a visible decision.
use std::collections::HashSet;

use crate::validate::Graph;

/// Endings that make a run of characters look like a name, each with the characters that, when
/// they follow it, show the ending is part of a longer ordinary word (区域, 城市, 港澳 …).
const SUFFIXES: &[(&str, &str)] = &[
    ("区", "域位划间块内"),
    ("实验室", ""),
    ("中心", "城"),
    ("园", "区林"),
    ("城", "市镇乡际区"),
    ("港", "澳人资企籍口区股深珠台币元城务现"),
    ("基地", ""),
    ("学校", ""),
    ("码头", ""),
    ("高铁", "站"),
    ("城际", ""),
    ("方案", ""),
    ("协议", ""),
    ("大学", "生"),
    ("医院", ""),
    ("机场", ""),
    ("基金", ""),
    ("银行", ""),
    ("大赛", ""),
    ("走廊", ""),
    ("口岸", ""),
];

/// Longest name considered when looking back from an ending.
const MAX_NAME_CHARS: usize = 40;

/// A name-like string that is neither an entity, an alias, nor ignored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uncovered {
    pub file: String,
    pub line: usize,
    /// The characters before the ending, up to the previous punctuation, and the ending.
    pub candidate: String,
}

impl std::fmt::Display for Uncovered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: \"{}\" is not an entity name, an alias, or in ignored.toml",
            self.file, self.line, self.candidate
        )
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Every uncovered candidate in every source of `graph`, in source order.
pub fn check(graph: &Graph, sources_dir: &str) -> Vec<Uncovered> {
    let mut known: HashSet<&str> = graph.nodes.iter().flat_map(|n| n.surface_forms()).collect();
    known.extend(graph.ignored.iter().map(|i| i.seed.text.as_str()));
    let mut out = vec![];
    for s in &graph.sources {
        let file = format!("{sources_dir}/{}.txt", s.slug);
        let chars: Vec<char> = s.body.chars().collect();
        let mut seen = HashSet::new();
        let mut line = 1;
        for end in 1..=chars.len() {
            if chars[end - 1] == '\n' {
                line += 1;
            }
            let next = chars.get(end).copied();
            let ends_name = SUFFIXES.iter().any(|(suffix, continuations)| {
                let n = suffix.chars().count();
                end >= n
                    && chars[end - n..end].iter().copied().eq(suffix.chars())
                    && !next.is_some_and(|c| continuations.contains(c))
            });
            if !ends_name {
                continue;
            }
            let covered = (1..=MAX_NAME_CHARS.min(end)).any(|len| {
                let candidate: String = chars[end - len..end].iter().collect();
                known.contains(candidate.as_str())
            });
            if covered {
                continue;
            }
            let start = (0..end)
                .rev()
                .take_while(|&i| is_word_char(chars[i]) && end - i <= 12)
                .last()
                .unwrap_or(end - 1);
            let candidate: String = chars[start..end].iter().collect();
            if seen.insert(candidate.clone()) {
                out.push(Uncovered {
                    file: file.clone(),
                    line,
                    candidate,
                });
            }
        }
        out.extend(titles(&s.body, &known, &file));
    }
    out
}

/// 《…》 titles that are neither a document title, an alias, nor ignored.
fn titles(body: &str, known: &HashSet<&str>, file: &str) -> Vec<Uncovered> {
    let mut out = vec![];
    let mut rest = body;
    let mut offset = 0;
    while let Some(open) = rest.find('《') {
        let after = &rest[open + '《'.len_utf8()..];
        let Some(close) = after.find('》') else {
            break;
        };
        let title = &after[..close];
        if !known.contains(title) {
            let line = body[..offset + open].matches('\n').count() + 1;
            out.push(Uncovered {
                file: file.to_owned(),
                line,
                candidate: format!("《{title}》"),
            });
        }
        let consumed = open + '《'.len_utf8() + close + '》'.len_utf8();
        offset += consumed;
        rest = &rest[consumed..];
    }
    out
}
