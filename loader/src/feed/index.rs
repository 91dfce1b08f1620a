//! The first pass over a feed: what each record is (its key, the names that count as naming it,
//! its parents within the feed), kept compact, and in which part it is written. The records
//! themselves are read again, checked and written one part at a time (see `feed`), so an import
//! holds this index and one part, never the whole feed.
use std::collections::{HashMap, HashSet};
use std::io::Read;

use entity::ids::Kind;
use sha2::{Digest, Sha256};

use crate::node::{Loc, Node, Problem};

/// A feed record as the other records' checks see it.
pub struct Entry {
    pub line: usize,
    /// The strings that count as the record being named (`Node::surface_forms`).
    pub forms: Box<[Box<str>]>,
    /// Records of its own kind it points at (`parent`, `broader`): written before it.
    parents: Box<[Box<str>]>,
}

/// Which part of the second pass a line's record is written in.
pub type Part = u16;
/// No record starts on the line (or it is not written: it has a problem).
pub const NO_PART: Part = Part::MAX;
/// Parent chains longer than this are refused (each level is one more pass over the file).
pub const MAX_DEPTH: usize = 64;

/// Everything the first pass keeps.
#[derive(Default)]
pub struct Index {
    pub entries: HashMap<(Kind, Box<str>), Entry>,
    /// The sources the feed quotes.
    pub sources: HashSet<String>,
    /// Per line (1-based; index 0 unused), the part its record is written in.
    pub parts: Vec<Part>,
    pub records: u64,
}

impl Index {
    /// Notes `node` (read from `line`); a second record with its key is a problem.
    pub fn add(&mut self, node: &Node, line: usize, problems: &mut Vec<Problem>) {
        let key = (node.kind, Box::from(node.slug.as_str()));
        if let Some(first) = self.entries.get(&key) {
            problems.push(Problem::new(
                &node.at,
                format!(
                    "duplicate {} slug \"{}\" (first on line {})",
                    node.kind, node.slug, first.line
                ),
            ));
            return;
        }
        self.records += 1;
        for source in node.quoted_sources() {
            if !self.sources.contains(source) {
                self.sources.insert(source.to_owned());
            }
        }
        let parents = node
            .relations
            .iter()
            .filter(|r| r.target_kind == node.kind)
            .map(|r| Box::from(r.target.as_str()))
            .collect();
        let forms = node.surface_forms().map(Box::from).collect();
        self.entries.insert(
            key,
            Entry {
                line,
                forms,
                parents,
            },
        );
    }

    /// An external node for feed record `(kind, slug)`, so a record in another part that points
    /// at it resolves and its evidence can name it.
    pub fn external(&self, file: &str, kind: Kind, slug: &str) -> Option<Node> {
        let e = self.entries.get(&(kind, Box::from(slug)))?;
        let at = Loc {
            file: file.into(),
            line: e.line,
        };
        let forms = e.forms.iter().map(|f| f.to_string()).collect();
        Some(Node::external(
            kind,
            slug.to_owned(),
            at,
            String::new(),
            forms,
        ))
    }

    /// Gives every record its part: kinds in an order where each comes after the kinds its
    /// relations point at, and within a kind, parents before children. A parent chain that
    /// loops or is deeper than [`MAX_DEPTH`] is a problem.
    pub fn assign_parts(&mut self, file: &str, problems: &mut Vec<Problem>) {
        let order = crate::rows::record_order();
        let mut depth: HashMap<(Kind, &str), usize> = HashMap::new();
        for (kind, slug) in self.entries.keys() {
            self.depth(*kind, slug, &mut depth, &mut vec![]);
        }
        let mut parts = vec![];
        for ((kind, slug), e) in &self.entries {
            let d = depth.get(&(*kind, &**slug)).copied().unwrap_or(usize::MAX);
            if d > MAX_DEPTH {
                problems.push(Problem::new(
                    &Loc {
                        file: file.into(),
                        line: e.line,
                    },
                    format!(
                        "{kind} \"{slug}\": its chain of parents in the feed loops or is deeper \
                         than {MAX_DEPTH}"
                    ),
                ));
                continue;
            }
            let rank = order.iter().position(|k| k == kind).unwrap_or(order.len());
            parts.push((e.line, (rank * (MAX_DEPTH + 1) + d) as Part));
        }
        let last = parts.iter().map(|(line, _)| *line).max().unwrap_or(0);
        self.parts = vec![NO_PART; last + 1];
        for (line, part) in parts {
            self.parts[line] = part;
        }
    }

    /// The depth of `(kind, slug)` in its feed parents' chain (0: no parent in the feed); a loop
    /// gets `usize::MAX`.
    fn depth<'a>(
        &'a self,
        kind: Kind,
        slug: &'a str,
        memo: &mut HashMap<(Kind, &'a str), usize>,
        path: &mut Vec<&'a str>,
    ) -> usize {
        if let Some(&d) = memo.get(&(kind, slug)) {
            return d;
        }
        if path.contains(&slug) || path.len() > MAX_DEPTH {
            return usize::MAX;
        }
        let Some(e) = self.entries.get(&(kind, Box::from(slug))) else {
            return 0;
        };
        path.push(slug);
        let mut d = 0;
        for p in e.parents.iter() {
            if self.entries.contains_key(&(kind, p.clone())) {
                d = d.max(self.depth(kind, p, memo, path).saturating_add(1));
            }
        }
        path.pop();
        memo.insert((kind, slug), d);
        d
    }

    /// The parts records are written in, in order.
    pub fn part_order(&self) -> Vec<Part> {
        let mut parts: Vec<Part> = self
            .parts
            .iter()
            .copied()
            .filter(|&p| p != NO_PART)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        parts.sort_unstable();
        parts
    }
}

/// A reader that hashes what passes through it, so the second pass can tell that it read the
/// same file as the first.
pub struct Hashing<R> {
    pub inner: R,
    pub hasher: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

impl<R> Hashing<R> {
    pub fn new(inner: R) -> Self {
        Hashing {
            inner,
            hasher: Sha256::new(),
        }
    }

    pub fn digest(self) -> [u8; 32] {
        self.hasher.finalize().into()
    }
}
