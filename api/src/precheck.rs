//! Checks that bound a query's cost before async-graphql validates it, each linear in its input:
//! - [`tokens`] on the raw text, before parsing (the parser's work grows with it), read by a
//!   spec-compliant GraphQL lexer (apollo-parser's) rather than a hand-written one;
//! - [`Shape::of`] on the parsed document: fields, aliases and depth *after* fragment expansion,
//!   with each fragment measured once and reused at every spread (memoised over the fragment
//!   graph), so a document whose fragments spread each other twice per level is priced at its
//!   expanded size (2^25 fields for 25 levels) in microseconds instead of being expanded.
//!
//! Aliases are counted on the parsed document, so the count agrees with the parser on every
//! ignored token (a BOM between an alias and its `:`, comments ended by `\r` …).
use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

/// Counts the lexical tokens of `query`, stopping once past `limit` (so the cost is bounded by
/// the limit, not the text). Tokens are read by apollo-parser's spec-compliant lexer: strings and
/// comments are one token and ignored characters (whitespace, commas, BOMs, line terminators)
/// none; a lexical error counts as a token and is left for the parser to report.
pub fn tokens(query: &str, limit: usize) -> usize {
    use apollo_parser::TokenKind;
    apollo_parser::Lexer::new(query)
        .filter(|t| match t {
            Ok(t) => !matches!(
                t.kind(),
                TokenKind::Whitespace | TokenKind::Comment | TokenKind::Comma | TokenKind::Eof
            ),
            Err(_) => true,
        })
        .take(limit.saturating_add(1))
        .count()
}

/// What executing (and validating) a document would walk, after fragment expansion.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    /// Field selections, every fragment counted once per spread.
    pub fields: u64,
    /// Aliased fields, counted the same way.
    pub aliases: u64,
    /// Deepest field nesting.
    pub depth: u64,
}

impl Shape {
    fn add(self, other: Shape) -> Shape {
        Shape {
            fields: self.fields.saturating_add(other.fields),
            aliases: self.aliases.saturating_add(other.aliases),
            depth: self.depth.max(other.depth),
        }
    }
}

/// Why a document's shape cannot be measured.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ShapeError {
    /// A fragment spreads itself, directly or through others (invalid GraphQL).
    #[error("fragment \"{0}\" spreads itself")]
    Cycle(String),
    /// Fragments spread fragments deeper than [`MAX_SPREAD_CHAIN`].
    #[error("fragments spread one another more than {MAX_SPREAD_CHAIN} levels deep")]
    TooDeep,
}

/// The longest chain of fragments spreading fragments that is measured (and accepted).
pub const MAX_SPREAD_CHAIN: usize = 64;

enum Memo {
    InProgress,
    Done(Shape),
}

impl Shape {
    /// The shape of every operation in `doc` together (validation walks all of them). Unknown
    /// fragments count as empty here; validation reports them.
    pub fn of(doc: &ExecutableDocument) -> Result<Shape, ShapeError> {
        let mut walk = Walk {
            doc,
            memo: HashMap::new(),
        };
        let mut total = Shape::default();
        for (_, op) in doc.operations.iter() {
            total = total.add(walk.set(&op.node.selection_set.node, 0)?);
        }
        // Fragments no operation uses are still validated.
        for name in doc.fragments.keys() {
            let shape = walk.fragment(name.as_str(), 0)?;
            total.depth = total.depth.max(shape.depth);
        }
        Ok(total)
    }
}

/// One measurement of a document: each fragment's shape, measured once and reused at every
/// spread. `chain` counts the fragments spread one inside another on the way in.
struct Walk<'a> {
    doc: &'a ExecutableDocument,
    memo: HashMap<&'a str, Memo>,
}

impl<'a> Walk<'a> {
    fn fragment(&mut self, name: &'a str, chain: usize) -> Result<Shape, ShapeError> {
        match self.memo.get(name) {
            Some(Memo::Done(shape)) => return Ok(*shape),
            Some(Memo::InProgress) => return Err(ShapeError::Cycle(name.to_owned())),
            None => {}
        }
        if chain >= MAX_SPREAD_CHAIN {
            return Err(ShapeError::TooDeep);
        }
        let Some((key, def)) = self.doc.fragments.get_key_value(name) else {
            return Ok(Shape::default());
        };
        self.memo.insert(key.as_str(), Memo::InProgress);
        let shape = self.set(&def.node.selection_set.node, chain + 1)?;
        self.memo.insert(key.as_str(), Memo::Done(shape));
        Ok(shape)
    }

    fn set(&mut self, selections: &'a SelectionSet, chain: usize) -> Result<Shape, ShapeError> {
        let mut total = Shape::default();
        for item in &selections.items {
            let shape = match &item.node {
                Selection::Field(f) => {
                    let inner = self.set(&f.node.selection_set.node, chain)?;
                    Shape {
                        fields: inner.fields.saturating_add(1),
                        aliases: inner
                            .aliases
                            .saturating_add(u64::from(f.node.alias.is_some())),
                        depth: inner.depth + 1,
                    }
                }
                Selection::FragmentSpread(s) => {
                    self.fragment(s.node.fragment_name.node.as_str(), chain)?
                }
                Selection::InlineFragment(i) => self.set(&i.node.selection_set.node, chain)?,
            };
            total = total.add(shape);
        }
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn shape(q: &str) -> Result<Shape, ShapeError> {
        Shape::of(&parse_query(q).expect("valid syntax"))
    }

    // A fragment bomb's price is tested with the bomb itself, in tests/it/hostile.rs.

    #[test]
    fn aliases_and_depth_count_through_fragments_and_inline_fragments() {
        let s = shape(
            "query { a: zones { nodes { ...Z } } b: zones { nodes { ... on Zone { c: slug } } } }
             fragment Z on Zone { d: slug platforms { nodes { slug } } }",
        )
        .expect("ok");
        assert_eq!(s.aliases, 4);
        assert_eq!(s.depth, 5);
        assert_eq!(s.fields, 2 + 2 + 1 + 1 + 2 + 1);
    }

    #[test]
    fn fragment_cycles_and_endless_chains_are_refused() {
        assert_eq!(
            shape(
                "{ zones { nodes { ...A } } } fragment A on Zone { ...B } fragment B on Zone { ...A }"
            ),
            Err(ShapeError::Cycle("A".into()))
        );
        let mut chain = String::from("{ zones { nodes { ...F0 } } }\n");
        for i in 0..100 {
            chain.push_str(&format!("fragment F{i} on Zone {{ ...F{} }}\n", i + 1));
        }
        assert_eq!(shape(&chain), Err(ShapeError::TooDeep));
    }

    #[test]
    fn ignored_characters_are_not_tokens_and_comments_end_at_any_line_terminator() {
        assert_eq!(tokens("{ a\u{feff} : zones }", 100), 5);
        assert_eq!(
            tokens("#\r{ a b c }", 100),
            5,
            "the comment ends at the \\r"
        );
        assert_eq!(
            tokens(r#"{ search(query: "a b c d e f") { score } }"#, 100),
            11
        );
        // The count stops just past the limit, however long the text.
        let huge = "{ a }".repeat(1_000_000);
        assert_eq!(tokens(&huge, 2_000), 2_001);
        let s = shape("{ a\u{feff}: zones { totalCount } }").expect("the parser accepts a BOM");
        assert_eq!(s.aliases, 1);
    }

    /// Never panics, and whatever parses is measured in bounded time.
    fn check_document(q: &str) {
        let _ = tokens(q, 2_000);
        if let Ok(doc) = parse_query(q) {
            let started = std::time::Instant::now();
            let _ = Shape::of(&doc);
            assert!(
                started.elapsed() < std::time::Duration::from_millis(100),
                "{q:?}"
            );
        }
    }

    #[test]
    fn fuzz_raw_documents() {
        bolero::check!()
            .with_iterations(3_000)
            .for_each(|bytes: &[u8]| check_document(&String::from_utf8_lossy(bytes)));
    }

    /// A selection of a generated document: a field (name, aliased?, its selections), a spread
    /// of fragment `n % 3`, or an inline fragment.
    #[derive(Clone, Debug)]
    enum Sel {
        Field(u8, bool, Vec<Sel>),
        Spread(u8),
        Inline(Vec<Sel>),
    }

    /// Reads a selection tree from fuzzer bytes, one instruction per byte: a leaf field, a field
    /// or inline fragment that opens a nested set, the end of a set, or a spread. Any byte string
    /// is some valid tree, so every input reaches the check.
    fn tree(codes: &mut std::slice::Iter<'_, u8>, depth: usize) -> Vec<Sel> {
        let mut out = Vec::new();
        while let Some(&c) = codes.next() {
            let (n, alias) = (c >> 3, c & 4 != 0);
            match c % 4 {
                0 => out.push(Sel::Field(n, alias, vec![])),
                1 if depth < 12 => out.push(Sel::Field(n, alias, tree(codes, depth + 1))),
                2 if depth < 12 => out.push(Sel::Inline(tree(codes, depth + 1))),
                3 if c & 8 != 0 => out.push(Sel::Spread(n)),
                _ => break,
            }
        }
        // Every selection set needs a selection.
        if out.is_empty() {
            out.push(Sel::Field(0, false, vec![]));
        }
        out
    }

    /// Separators between tokens, including the ones a hand-written pre-lexer gets wrong.
    const GAPS: &[&str] = &[" ", "\n", ",", "\u{feff}", " #c\r", " #c\n", "\t"];

    fn render(sels: &[Sel], gap: &mut impl Iterator<Item = &'static str>, out: &mut String) {
        out.push('{');
        for s in sels {
            out.push_str(gap.next().unwrap_or(" "));
            match s {
                Sel::Field(n, alias, inner) => {
                    if *alias {
                        out.push_str(&format!("a{n}{}:", gap.next().unwrap_or(" ")));
                    }
                    out.push_str(&format!("f{n}"));
                    if !inner.is_empty() {
                        render(inner, gap, out);
                    }
                }
                Sel::Spread(n) => out.push_str(&format!("...F{}", n % 3)),
                Sel::Inline(inner) => {
                    out.push_str("... on T");
                    render(inner, gap, out);
                }
            }
        }
        out.push_str(gap.next().unwrap_or(" "));
        out.push('}');
    }

    /// Why brute-force expansion stopped.
    #[derive(Debug, PartialEq)]
    enum Stop {
        Cycle,
        Budget,
    }

    /// The shape by brute-force expansion, spending one unit of `budget` per selection visited.
    fn expand(
        sels: &[Sel],
        frags: &[Vec<Sel>],
        stack: &mut Vec<usize>,
        budget: &mut u32,
    ) -> Result<Shape, Stop> {
        let mut total = Shape::default();
        for s in sels {
            *budget = budget.checked_sub(1).ok_or(Stop::Budget)?;
            let shape = match s {
                Sel::Field(_, alias, inner) => {
                    let i = expand(inner, frags, stack, budget)?;
                    Shape {
                        fields: i.fields + 1,
                        aliases: i.aliases + u64::from(*alias),
                        depth: i.depth + 1,
                    }
                }
                Sel::Inline(inner) => expand(inner, frags, stack, budget)?,
                Sel::Spread(n) => {
                    let f = usize::from(*n % 3);
                    if f >= frags.len() {
                        Shape::default()
                    } else if stack.contains(&f) {
                        return Err(Stop::Cycle);
                    } else {
                        stack.push(f);
                        let shape = expand(&frags[f], frags, stack, budget)?;
                        stack.pop();
                        shape
                    }
                }
            };
            total = total.add(shape);
        }
        Ok(total)
    }

    static CHECKED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    #[test]
    fn fuzz_generated_documents_measure_as_their_expansion() {
        bolero::check!()
            .with_type::<(Vec<u8>, Vec<Vec<u8>>, Vec<u8>)>()
            .with_iterations(2_000)
            .for_each(|(op, frags, gaps): &(Vec<u8>, Vec<Vec<u8>>, Vec<u8>)| {
                let op = tree(&mut op.iter(), 0);
                let frags: Vec<Vec<Sel>> = frags
                    .iter()
                    .take(3)
                    .map(|f| tree(&mut f.iter(), 0))
                    .collect();
                let (op, frags) = (&op, &frags);
                let mut gap = gaps
                    .iter()
                    .cycle()
                    .map(|g| GAPS[usize::from(*g) % GAPS.len()]);
                let mut q = String::from("query ");
                render(op, &mut gap, &mut q);
                for (i, f) in frags.iter().enumerate() {
                    q.push_str(&format!("\nfragment F{i} on T "));
                    render(f, &mut gap, &mut q);
                }
                check_document(&q);
                let doc = parse_query(&q).unwrap_or_else(|e| panic!("{q:?}: {e}"));
                CHECKED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let mut budget = 100_000;
                let expected = expand(op, frags, &mut vec![], &mut budget);
                // Every fragment is checked for cycles, used or not.
                let cycle = (0..frags.len()).any(|f| {
                    let mut budget = 100_000;
                    expand(&frags[f], frags, &mut vec![f], &mut budget) == Err(Stop::Cycle)
                });
                match (Shape::of(&doc), expected) {
                    (Ok(got), Ok(want)) if !cycle => {
                        assert_eq!(
                            (got.fields, got.aliases),
                            (want.fields, want.aliases),
                            "{q:?}"
                        );
                    }
                    (Err(ShapeError::Cycle(_)), _) if cycle => {}
                    (Err(ShapeError::Cycle(_)), Err(Stop::Cycle)) => {}
                    (_, Err(Stop::Budget)) => {}
                    (got, want) => {
                        panic!("{q:?}: measured {got:?}, expanded {want:?}, cycle {cycle}")
                    }
                }
            });
        let checked = CHECKED.load(std::sync::atomic::Ordering::Relaxed);
        eprintln!("{checked} generated documents checked");
        assert!(checked > 200, "the generator reaches the check ({checked})");
    }
}
