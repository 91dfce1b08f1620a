//! Turns each parsed seed record into a `Node`, checking the per-kind vocabularies and dates on the way.
use entity::ids::{Kind, KindOf};

use entity::vocab::Vocabulary;
use serde::de::DeserializeOwned;
use toml::Spanned;

use crate::node::{Cell, Evidence, Loc, Node, Problem, Quote, Relation};
use crate::seed::{CitationSeed, ContextualSeed, RecordSeed};
use crate::vocab;

/// Maps byte offsets of one file to 1-based line numbers.
pub struct Lines {
    file: std::sync::Arc<str>,
    starts: Vec<usize>,
    /// Lines of the file before `text` (a chunk of a file read record by record).
    before: usize,
    /// Every offset maps to this line (a record converted from one line of a feed).
    fixed: Option<usize>,
}

impl Lines {
    pub fn new(file: &str, text: &str) -> Self {
        Lines::chunk(file.into(), text, 1)
    }

    /// Lines of `text`, a part of `file` starting on line `first_line`.
    pub fn chunk(file: std::sync::Arc<str>, text: &str, first_line: usize) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines {
            file,
            starts,
            before: first_line.saturating_sub(1),
            fixed: None,
        }
    }

    /// Locations that all point at one line of `file`.
    pub fn fixed(file: &str, line: usize) -> Self {
        Lines {
            file: file.into(),
            starts: vec![0],
            before: 0,
            fixed: Some(line),
        }
    }

    pub fn loc(&self, byte: usize) -> Loc {
        let line = self
            .fixed
            .unwrap_or_else(|| self.before + self.starts.partition_point(|&s| s <= byte));
        Loc {
            file: self.file.clone(),
            line: line.max(1),
        }
    }

    pub fn at<T>(&self, spanned: &Spanned<T>) -> Loc {
        self.loc(spanned.span().start)
    }
}

/// Collects vocabulary and date problems while records are converted.
pub struct Converter<'a> {
    pub lines: &'a Lines,
    pub problems: &'a mut Vec<Problem>,
}

/// How a record kind's seed becomes a node, implemented on the kind's entity. `SeedFile` has a
/// list of [`Convert::Seed`] for every kind but sources, so the compiler names a kind without one.
pub trait Convert: KindOf {
    /// The kind's seed struct.
    type Seed: RecordSeed + DeserializeOwned + std::fmt::Debug;

    /// The node of `seed`, a record written at `at`, its own vocabularies and dates checked on
    /// the way.
    fn convert(seed: &Self::Seed, c: &mut Converter<'_>, at: Loc) -> Node;
}

impl Converter<'_> {
    /// One record of `E`'s kind, converted.
    pub fn record<E: Convert>(&mut self, s: &Spanned<E::Seed>) -> Node {
        let at = self.lines.at(s);
        E::convert(s.get_ref(), self, at)
    }

    /// The node of a record that lies somewhere (a platform, a project): [`Converter::node`],
    /// with `unlocated`, the reason it names no place, checked against `located` and kept.
    pub(crate) fn placed_node<E: Convert>(
        &mut self,
        at: Loc,
        seed: &E::Seed,
        columns: Vec<(&'static str, Cell)>,
        relations: Vec<Relation>,
        (located, unlocated): (bool, &Option<String>),
    ) -> Node {
        self.unlocated(&at, located, unlocated);
        let mut node = self.node::<E>(at, seed, columns, relations);
        node.unlocated = unlocated.clone();
        node
    }

    /// `unlocated` says why a record has no location: it must give a reason, and a located
    /// record must not carry one (it would be stale).
    fn unlocated(&mut self, at: &Loc, located: bool, reason: &Option<String>) {
        match reason.as_deref().map(str::trim) {
            Some("") => self
                .problems
                .push(Problem::new(at, "unlocated needs a reason")),
            Some(_) if located => self.problems.push(Problem::new(
                at,
                "unlocated is for a record with no location; this one has one (remove the marker)",
            )),
            _ => {}
        }
    }

    /// Refuses a value outside its vocabulary in any of the record's columns that hold one
    /// (`entity::vocab::columns`, which the migration's checks are made from too).
    fn vocabulary_columns(&mut self, kind: Kind, at: &Loc, columns: &[(&'static str, Cell)]) {
        for (column, cell) in columns {
            if let Cell::Text(Some(value)) = cell
                && let Some(allowed) = entity::vocab::values_of(kind.table(), column)
                && !allowed.contains(&value.as_str())
            {
                self.unknown(at, format_args!("{kind} {column}"), value, allowed);
            }
        }
    }

    /// Refuses a value outside the vocabulary `V` (declared once in `entity::vocab`).
    pub(crate) fn one_of<V: Vocabulary>(&mut self, at: &Loc, field: &str, value: &str) {
        if V::parse(value).is_none() {
            self.unknown(at, field, value, &V::stored());
        }
    }

    /// The problem of a value outside its vocabulary, naming the values it allows.
    fn unknown(&mut self, at: &Loc, field: impl std::fmt::Display, value: &str, allowed: &[&str]) {
        self.problems.push(Problem::new(
            at,
            format!(
                "unknown {field} \"{value}\" (expected one of: {})",
                allowed.join(", ")
            ),
        ));
    }

    pub(crate) fn date(&mut self, at: &Loc, field: &str, value: Option<&str>) {
        if let Some(d) = value
            && !vocab::is_valid_date(d)
        {
            self.problems.push(Problem::new(
                at,
                format!("{field} \"{d}\" is not a valid YYYY, YYYY-MM or YYYY-MM-DD date"),
            ));
        }
    }

    pub(crate) fn quotes(&self, citations: &[Spanned<CitationSeed>]) -> Vec<Quote> {
        citations
            .iter()
            .map(|c| Quote::new(self.lines.at(c), c.get_ref()))
            .collect()
    }

    /// The node of `seed`, a record of `E`'s kind written at `at`: its name and common seed fields (the
    /// relations its `contextual` entries name are marked), its own columns and relations.
    pub(crate) fn node<E: Convert>(
        &mut self,
        at: Loc,
        seed: &E::Seed,
        columns: Vec<(&'static str, Cell)>,
        mut relations: Vec<Relation>,
    ) -> Node {
        self.vocabulary_columns(E::KIND, &at, &columns);
        let common = seed.common();
        mark_contextual(self.lines, &mut relations, common.contextual, self.problems);
        Node {
            aliases: common.aliases.to_vec(),
            citations: self.quotes(common.citations),
            columns,
            relations,
            ..Node::new(
                E::KIND,
                common.slug.to_owned(),
                at,
                seed.name_zh().to_owned(),
            )
        }
    }
}

/// Marks the relations named by a record's `contextual` entries; an entry naming no relation of
/// the record, or not exactly one, is a problem.
fn mark_contextual(
    lines: &Lines,
    relations: &mut [Relation],
    marks: &[Spanned<ContextualSeed>],
    problems: &mut Vec<Problem>,
) {
    for m in marks {
        let at = lines.at(m);
        let [(name, target)] = m.get_ref().targets()[..] else {
            problems.push(Problem::new(
                &at,
                format!(
                    "a contextual entry names exactly one relation ({}) and a reason",
                    ContextualSeed::RELATIONS.join(", ")
                ),
            ));
            continue;
        };
        match relations
            .iter_mut()
            .find(|r| r.name == name && r.target == target)
        {
            Some(r) => r.contextual = Some((m.get_ref().reason.clone(), at)),
            None => problems.push(Problem::new(
                &at,
                format!(
                    "contextual entry for {name} \"{target}\": the record has no such relation"
                ),
            )),
        }
    }
}

/// A to-one relation of the relation table, `of`, written as a slug field with an optional
/// `<field>_note`.
pub(crate) fn fk(
    at: &Loc,
    of: entity::relation::Relation,
    target: &Option<String>,
    note: &Option<String>,
) -> Vec<Relation> {
    target
        .iter()
        .map(|t| {
            let evidence = note
                .as_ref()
                .map_or(Evidence::Pending, |n| Evidence::Note(n.clone()));
            Relation::new(of, sole_target(of), t.clone(), at.clone(), evidence)
        })
        .collect()
}

/// A to-many relation of the relation table, `of`, written as a list of slugs.
pub(crate) fn many(at: &Loc, of: entity::relation::Relation, targets: &[String]) -> Vec<Relation> {
    targets
        .iter()
        .map(|t| {
            Relation::new(
                of,
                sole_target(of),
                t.clone(),
                at.clone(),
                Evidence::Pending,
            )
        })
        .collect()
}

/// The one kind a column or junction relation leads to.
pub(crate) fn sole_target(of: entity::relation::Relation) -> Kind {
    let to = of.def().to;
    debug_assert_eq!(to.len(), 1, "{of:?} leads to several kinds");
    to[0]
}
