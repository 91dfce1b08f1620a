//! Figures: the records of `seeds/metrics.toml` and their conversion, the qualifier checked
//! against the quote.
use entity::relation::{self, SUBJECT_COLUMNS};
use entity::vocab::{Qualifier, Vocabulary};

use crate::convert::{Convert, Converter};
use crate::node::{Cell, Evidence, Loc, Node, Problem, Relation, columns};
use crate::seed::MetricSeed;
use crate::figure;

impl Convert for entity::metric::Entity {
    type Seed = MetricSeed;

    fn convert(m: &MetricSeed, c: &mut Converter<'_>, at: Loc) -> Node {
        let mut subject: [Option<String>; SUBJECT_COLUMNS.len()] = Default::default();
        let mut relations = vec![];
        match m.subject.split_once(':') {
            Some((kind, slug))
                if let Some(i) = SUBJECT_COLUMNS
                    .iter()
                    .position(|(_, column)| *column == kind) =>
            {
                subject[i] = Some(slug.to_owned());
                relations.push(Relation::new(
                    relation::Relation::MetricSubject,
                    SUBJECT_COLUMNS[i].0,
                    slug.to_owned(),
                    at.clone(),
                    Evidence::Record,
                ));
            }
            _ => c.problems.push(Problem::new(
                &at,
                format!(
                    "subject \"{}\" must be <zone|platform|project|partnership>:<slug>",
                    m.subject
                ),
            )),
        }
        if !m.value.is_finite() {
            c.problems
                .push(Problem::new(&at, "value must be a finite number"));
        }
        let qualifier = qualifier(c, &at, m);
        c.date(&at, "as_of", m.as_of.as_deref());
        let [zone, platform, project, partnership] = subject;
        let mut columns = vec![
            ("zone", Cell::Text(zone)),
            ("platform", Cell::Text(platform)),
            ("project", Cell::Text(project)),
            ("partnership", Cell::Text(partnership)),
        ];
        columns.extend(columns!(m; name_zh, name_en, value, value_text, unit, year, is_target));
        columns.push(("qualifier", qualifier.as_str().into()));
        columns.extend(columns!(m; value_max, as_of));
        let mut node = c.node::<Self>(at, m, columns, relations);
        node.value_text = Some(m.value_text.clone());
        node
    }
}

/// The figure's declared qualifier, checked against what its quote states around the value
/// text (超过200个 must be `more_than`) and, for a range, against its upper end.
fn qualifier(c: &mut Converter<'_>, at: &Loc, m: &MetricSeed) -> Qualifier {
    let declared = match m.qualifier.as_deref() {
        None => Qualifier::Exact,
        Some(q) => {
            c.one_of::<Qualifier>(at, "qualifier", q);
            Qualifier::parse(q).unwrap_or(Qualifier::Exact)
        }
    };
    let stated = m
        .citations
        .iter()
        .find_map(|c| figure::stated(&c.get_ref().quote, &m.value_text))
        .unwrap_or(Qualifier::Exact);
    if m.qualifier
        .as_deref()
        .is_none_or(|q| Qualifier::parse(q).is_some())
        && declared != stated
    {
        c.problems.push(Problem::new(
            at,
            format!(
                "value_text \"{}\" reads as qualifier \"{}\" in its quote, but the figure declares \"{}\"",
                m.value_text,
                stated.as_str(),
                declared.as_str()
            ),
        ));
    }
    match (declared, m.value_max) {
        (Qualifier::Range, Some(max)) if max > m.value => {}
        (Qualifier::Range, Some(max)) => c.problems.push(Problem::new(
            at,
            format!("value_max {max} must be greater than value {}", m.value),
        )),
        (Qualifier::Range, None) => c
            .problems
            .push(Problem::new(at, "a range needs value_max, its upper end")),
        (_, Some(_)) => c.problems.push(Problem::new(
            at,
            "value_max belongs to a range only (qualifier = \"range\")",
        )),
        (_, None) => {}
    }
    declared
}
