//! Abbreviation evidence: the texts often name several zones in one short form (广深 = 广州 + 深圳,
//! 港澳 = 香港 + 澳门, 两市 for the two cities just named). `seeds/abbreviations.toml` lists each form
//! once with its expansion; a quote in which a listed form stands on its own names every zone of the
//! expansion. "On its own" means not inside a longer name of a zone, platform, project,
//! organization or document (港澳 in 粤港澳大湾区, 穗港 in 穗港智造合作区 name neither Hong Kong nor
//! Macao), nor inside a longer listed form (港澳 in 穗港澳). An anaphor (两市) holds only for quotes
//! lying inside one of its cited passages, each of which must name the antecedent.
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use entity::ids::Kind;
use rayon::prelude::*;

use crate::matcher::{AllMatches, Found, leftmost_longest};
use crate::name_index::NameIndex;
use crate::node::{Named, Problem, Quote};
use crate::read::Abbreviation;
use crate::validate::Names;

/// The listed abbreviations, with a matcher that finds them where they stand on their own.
pub struct Abbreviations<'a> {
    list: &'a [Abbreviation],
    /// The listed forms (None when nothing is listed: then no quote names a zone through one).
    matcher: Option<AllMatches>,
    /// For each pattern of `matcher`, the abbreviations it is the form of.
    pattern_abbreviations: Vec<Vec<usize>>,
    /// The names that shadow a form inside them.
    names: Arc<NameIndex<'a>>,
}

/// Kinds whose names shadow an abbreviation inside them (a partnership's or sector's name does
/// not: 穗港深度合作 does name Guangzhou and Hong Kong).
pub(crate) fn shadows(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Zone | Kind::Platform | Kind::Project | Kind::Organization | Kind::Document
    )
}

/// Matcher patterns: the forms of `listed`, each once, with every entry of its list it stands for
/// (`None` adds none: a form that only shadows). Empty forms are skipped.
pub(crate) fn patterns(
    listed: impl Iterator<Item = (String, Option<usize>)>,
) -> (Vec<String>, Vec<Vec<usize>>) {
    let mut patterns: Vec<String> = vec![];
    let mut entries: Vec<Vec<usize>> = vec![];
    let mut index: HashMap<String, usize> = HashMap::new();
    for (form, entry) in listed {
        if form.is_empty() {
            continue;
        }
        let i = *index.entry(form.clone()).or_insert_with(|| {
            patterns.push(form);
            entries.push(vec![]);
            patterns.len() - 1
        });
        entries[i].extend(entry);
    }
    (patterns, entries)
}

/// Where the listed patterns (`listed`, each with what it stands for) stand on their own in
/// `text`: leftmost-longest among them and the shadowing names of `names`, a listed pattern
/// before a name of the same span.
pub(crate) fn on_their_own<'t>(
    listed: &'t AllMatches,
    names: &'t NameIndex<'_>,
    text: &'t str,
) -> Vec<Found> {
    let mut found: Vec<(Found, bool)> = listed.find_all(text).map(|m| (m, true)).collect();
    found.extend(names.shadowing(text).map(|m| (m, false)));
    leftmost_longest(found, |listed| u8::from(!listed))
        .into_iter()
        .filter_map(|(m, listed)| listed.then_some(m))
        .collect()
}

impl<'a> Abbreviations<'a> {
    /// The listed abbreviations, shadowed by the names of `nodes`.
    pub fn new<N: Named + 'a>(
        list: &'a [Abbreviation],
        nodes: impl IntoIterator<Item = &'a N>,
    ) -> Self {
        Abbreviations::over(list, Arc::new(NameIndex::new(nodes)))
    }

    /// The listed abbreviations, shadowed by the names of `names`.
    pub fn over(list: &'a [Abbreviation], names: Arc<NameIndex<'a>>) -> Self {
        let forms = list
            .iter()
            .enumerate()
            .map(|(i, a)| (a.form.clone(), Some(i)));
        let (patterns, pattern_abbreviations) = patterns(forms);
        Abbreviations {
            list,
            matcher: AllMatches::new(&patterns),
            pattern_abbreviations,
            names,
        }
    }

    /// Where listed abbreviations stand on their own in `text`: byte range and abbreviation.
    pub fn occurrences(&self, text: &str) -> Vec<(usize, usize, &'a Abbreviation)> {
        let Some(matcher) = &self.matcher else {
            return vec![];
        };
        let list = self.list;
        on_their_own(matcher, &self.names, text)
            .into_iter()
            .flat_map(|m| {
                self.pattern_abbreviations[m.pattern]
                    .iter()
                    .map(move |&i| (m.start, m.end, &list[i]))
            })
            .collect()
    }

    /// The listed abbreviations standing on their own in `q` (an anaphor only where `q` lies inside
    /// one of its passages).
    pub fn in_quote(&self, q: &Quote) -> Vec<&'a Abbreviation> {
        let mut out: Vec<&Abbreviation> = vec![];
        for (_, _, a) in self.occurrences(&q.quote) {
            if (!a.anaphor || a.citations.iter().any(|c| encloses(c, q)))
                && !out.iter().any(|o| std::ptr::eq(*o, a))
            {
                out.push(a);
            }
        }
        out
    }

    /// For each listed abbreviation, whether its form occurs in one of `bodies` (on its own or
    /// not). Each body is read once by the matcher, on every core: a search for each form through
    /// the bodies grew with forms × sources (85 s of a load at `synth --scale 2000`, on one core).
    pub fn occurring(&self, bodies: &[&str]) -> Vec<bool> {
        let mut listed = vec![false; self.list.len()];
        let Some(matcher) = &self.matcher else {
            return listed;
        };
        let none = || vec![false; self.pattern_abbreviations.len()];
        let found = bodies
            .par_iter()
            .map(|body| {
                let mut found = none();
                for m in matcher.find_all(body) {
                    found[m.pattern] = true;
                }
                found
            })
            .reduce(none, |mut a, b| {
                a.iter_mut().zip(b).for_each(|(a, b)| *a |= b);
                a
            });
        for (pattern, entries) in self.pattern_abbreviations.iter().enumerate() {
            if found[pattern] {
                entries.iter().for_each(|&i| listed[i] = true);
            }
        }
        listed
    }

    /// The first listed abbreviation in `q` that names zone `slug`.
    pub fn naming(&self, q: &Quote, slug: &str) -> Option<&'a Abbreviation> {
        self.in_quote(q)
            .into_iter()
            .find(|a| a.expands_to.iter().any(|s| s == slug))
    }
}

/// Whether quote `inner` lies inside passage `outer` of the same source.
fn encloses(outer: &Quote, inner: &Quote) -> bool {
    let by_offsets = matches!(
        (outer.start, outer.end, inner.start, inner.end),
        (Some(os), Some(oe), Some(is), Some(ie)) if os <= is && ie <= oe
    );
    outer.source == inner.source && (by_offsets || outer.quote.contains(&inner.quote))
}

/// Checks the list itself: forms unique and present in the sources, expansions of at least two
/// existing zones, citations that show the form (and, for an anaphor, name its antecedent).
/// Citations must already be located.
pub fn check(
    listed: &Abbreviations<'_>,
    bodies: &HashMap<&str, &str>,
    records: &Names,
    problems: &mut Vec<Problem>,
) {
    let mut seen: HashSet<&str> = HashSet::new();
    let texts: Vec<&str> = bodies.values().copied().collect();
    let occurring = listed.occurring(&texts);
    for (a, occurs) in listed.list.iter().zip(occurring) {
        let label = format!("abbreviation \"{}\"", a.form);
        if a.form.trim().is_empty() {
            problems.push(Problem::new(&a.at, "an abbreviation needs a form"));
            continue;
        }
        if !seen.insert(a.form.as_str()) {
            problems.push(Problem::new(
                &a.at,
                format!("{label} is listed twice; list each form once"),
            ));
        }
        if !occurs {
            problems.push(Problem::new(
                &a.at,
                format!("{label} occurs in no source; list only forms the texts use"),
            ));
        }
        if a.expands_to.len() < 2 {
            problems.push(Problem::new(
                &a.at,
                format!(
                    "{label} expands to {} zone(s); a short form of one place is an alias of it",
                    a.expands_to.len()
                ),
            ));
        }
        let mut expansion: HashSet<&str> = HashSet::new();
        for slug in &a.expands_to {
            if !expansion.insert(slug.as_str()) {
                problems.push(Problem::new(
                    &a.at,
                    format!("{label} names zone \"{slug}\" twice"),
                ));
            }
            if !records.contains(Kind::Zone, slug) {
                problems.push(Problem::new(
                    &a.at,
                    format!("{label} expands to zone \"{slug}\", which does not exist in zones"),
                ));
            }
        }
        if a.citations.is_empty() {
            problems.push(Problem::new(
                &a.at,
                format!("{label} has no citation: cite a passage showing it in use"),
            ));
        }
        for q in &a.citations {
            if q.start.is_none() {
                continue; // not found: already reported
            }
            if !q.quote.contains(a.form.as_str()) {
                problems.push(Problem::new(
                    &q.at,
                    format!("the citation of {label} does not contain it"),
                ));
            }
            if a.anaphor {
                for slug in &a.expands_to {
                    let Some(names) = records.forms(Kind::Zone, slug) else {
                        continue;
                    };
                    let named = names.iter().any(|f| q.quote.contains(f))
                        || listed
                            .in_quote(q)
                            .iter()
                            .any(|f| !f.anaphor && f.expands_to.contains(slug));
                    if !named {
                        problems.push(Problem::new(
                            &q.at,
                            format!(
                                "the passage cited for anaphor {label} does not name its antecedent zone \"{slug}\" (by any of: {}, or a listed abbreviation)",
                                names.join(", ")
                            ),
                        ));
                    }
                }
            }
        }
    }
}
