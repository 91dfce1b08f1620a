//! Turns each parsed seed record into a `Node`, checking the per-kind vocabularies and dates on the way.
use entity::ids::{Kind, KindOf};
use entity::relation::SUBJECT_COLUMNS;
use entity::vocab::{
    DocumentKind, OrganizationKind, PartnershipKind, PartyRole, PlatformKind, PlatformLevel,
    ProjectKind, ProjectRole, ProjectStatus, Qualifier, Vocabulary, ZoneKind,
};
use serde::de::DeserializeOwned;
use toml::Spanned;

use crate::node::{Cell, Evidence, Loc, Milestone, Node, Problem, Quote, Relation, columns};
use crate::seed::*;
use crate::{figure, vocab};

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

    /// Refuses a value outside the vocabulary `V` (declared once in `entity::vocab`).
    fn one_of<V: Vocabulary>(&mut self, at: &Loc, field: &str, value: &str) {
        if V::parse(value).is_none() {
            self.problems.push(Problem::new(
                at,
                format!(
                    "unknown {field} \"{value}\" (expected one of: {})",
                    V::stored().join(", ")
                ),
            ));
        }
    }

    /// The figure's declared qualifier, checked against what its quote states around the value
    /// text (超过200个 must be `more_than`) and, for a range, against its upper end.
    fn qualifier(&mut self, at: &Loc, m: &MetricSeed) -> Qualifier {
        let declared = match m.qualifier.as_deref() {
            None => Qualifier::Exact,
            Some(q) => {
                self.one_of::<Qualifier>(at, "qualifier", q);
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
            self.problems.push(Problem::new(
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
            (Qualifier::Range, Some(max)) => self.problems.push(Problem::new(
                at,
                format!("value_max {max} must be greater than value {}", m.value),
            )),
            (Qualifier::Range, None) => self
                .problems
                .push(Problem::new(at, "a range needs value_max, its upper end")),
            (_, Some(_)) => self.problems.push(Problem::new(
                at,
                "value_max belongs to a range only (qualifier = \"range\")",
            )),
            (_, None) => {}
        }
        declared
    }

    fn date(&mut self, at: &Loc, field: &str, value: Option<&str>) {
        if let Some(d) = value
            && !vocab::is_valid_date(d)
        {
            self.problems.push(Problem::new(
                at,
                format!("{field} \"{d}\" is not a valid YYYY, YYYY-MM or YYYY-MM-DD date"),
            ));
        }
    }

    fn quotes(&self, citations: &[Spanned<CitationSeed>]) -> Vec<Quote> {
        citations
            .iter()
            .map(|c| Quote::new(self.lines.at(c), c.get_ref()))
            .collect()
    }

    /// The node of `seed`, a record of `E`'s kind written at `at`: its name and common seed fields (the
    /// relations its `contextual` entries name are marked), its own columns and relations.
    fn node<E: Convert>(
        &mut self,
        at: Loc,
        seed: &E::Seed,
        columns: Vec<(&'static str, Cell)>,
        mut relations: Vec<Relation>,
    ) -> Node {
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

impl Convert for entity::zone::Entity {
    type Seed = ZoneSeed;

    fn convert(z: &ZoneSeed, c: &mut Converter<'_>, at: Loc) -> Node {
        c.one_of::<ZoneKind>(&at, "zone kind", &z.kind);
        let relations = fk(&at, "parent", Kind::Zone, &z.parent, &z.parent_note);
        let columns = columns!(z; name_zh, name_en, kind, parent);
        c.node::<Self>(at, z, columns, relations)
    }
}

impl Convert for entity::platform::Entity {
    type Seed = PlatformSeed;

    fn convert(p: &PlatformSeed, c: &mut Converter<'_>, at: Loc) -> Node {
        c.one_of::<PlatformKind>(&at, "platform kind", &p.kind);
        if let Some(level) = &p.level {
            c.one_of::<PlatformLevel>(&at, "platform level", level);
        }
        let mut relations = fk(&at, "zone", Kind::Zone, &p.zone, &p.zone_note);
        relations.extend(fk(&at, "parent", Kind::Platform, &p.parent, &p.parent_note));
        relations.extend(many(&at, "sector", Kind::Sector, &p.sectors));
        let columns = columns!(p; name_zh, name_en, kind, level, zone, parent, area_km2);
        let located = p.zone.is_some() || p.parent.is_some();
        c.unlocated(&at, located, &p.unlocated);
        let mut node = c.node::<Self>(at, p, columns, relations);
        node.unlocated = p.unlocated.clone();
        node
    }
}

impl Convert for entity::project::Entity {
    type Seed = ProjectSeed;

    fn convert(p: &ProjectSeed, c: &mut Converter<'_>, at: Loc) -> Node {
        c.one_of::<ProjectKind>(&at, "project kind", &p.kind);
        if let Some(status) = &p.status {
            c.one_of::<ProjectStatus>(&at, "project status", status);
        }
        let mut relations = fk(
            &at,
            "platform",
            Kind::Platform,
            &p.platform,
            &p.platform_note,
        );
        relations.extend(fk(&at, "zone", Kind::Zone, &p.zone, &p.zone_note));
        relations.extend(many(&at, "sector", Kind::Sector, &p.sectors));
        for o in &p.organizations {
            let o_at = c.lines.at(o);
            let o = o.get_ref();
            c.one_of::<ProjectRole>(&o_at, "project role", &o.role);
            relations.push(Relation {
                role: Some(o.role.clone()),
                ..Relation::new(
                    "organization",
                    Kind::Organization,
                    o.organization.clone(),
                    o_at,
                    Evidence::Pending,
                )
            });
        }
        let columns = columns!(p; name_zh, name_en, kind, status, platform, zone);
        let located = p.platform.is_some() || p.zone.is_some();
        c.unlocated(&at, located, &p.unlocated);
        let mut node = c.node::<Self>(at, p, columns, relations);
        node.unlocated = p.unlocated.clone();
        for m in &p.milestones {
            let m_at = c.lines.at(m);
            let m = m.get_ref();
            c.date(&m_at, "milestone date", Some(&m.date));
            node.milestones.push(Milestone {
                date: m.date.clone(),
                event_zh: m.event_zh.clone(),
                event_en: m.event_en.clone(),
                quote: Quote::in_source(m_at, &m.source, &m.quote),
                date_note: m.date_note.clone(),
            });
        }
        node
    }
}

impl Convert for entity::organization::Entity {
    type Seed = OrganizationSeed;

    fn convert(o: &OrganizationSeed, c: &mut Converter<'_>, at: Loc) -> Node {
        c.one_of::<OrganizationKind>(&at, "organization kind", &o.kind);
        let relations = fk(&at, "zone", Kind::Zone, &o.zone, &o.zone_note);
        let columns = columns!(o; name_zh, name_en, kind, zone);
        c.node::<Self>(at, o, columns, relations)
    }
}

impl Convert for entity::document::Entity {
    type Seed = DocumentSeed;

    fn convert(d: &DocumentSeed, c: &mut Converter<'_>, at: Loc) -> Node {
        c.one_of::<DocumentKind>(&at, "document kind", &d.kind);
        c.date(&at, "date", d.date.as_deref());
        let mut relations = fk(&at, "issuer_zone", Kind::Zone, &d.issuer_zone, &None);
        relations.extend(fk(
            &at,
            "issuer_organization",
            Kind::Organization,
            &d.issuer_organization,
            &None,
        ));
        let columns = columns!(d; title_zh, title_en, kind, date, date_note, issuer_zone, issuer_organization);
        c.node::<Self>(at, d, columns, relations)
    }
}

impl Convert for entity::partnership::Entity {
    type Seed = PartnershipSeed;

    fn convert(p: &PartnershipSeed, c: &mut Converter<'_>, at: Loc) -> Node {
        c.one_of::<PartnershipKind>(&at, "partnership kind", &p.kind);
        c.date(&at, "date", p.date.as_deref());
        let mut relations = fk(&at, "document", Kind::Document, &p.document, &None);
        for party in &p.parties {
            let party_at = c.lines.at(party);
            let party = party.get_ref();
            c.one_of::<PartyRole>(&party_at, "party role", &party.role);
            let targets: Vec<(Kind, &String)> = [
                (Kind::Zone, &party.zone),
                (Kind::Platform, &party.platform),
                (Kind::Organization, &party.organization),
            ]
            .into_iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
            .collect();
            let [(target_kind, target)] = targets.as_slice() else {
                c.problems.push(Problem::new(
                    &party_at,
                    "a party names exactly one of zone, platform, organization",
                ));
                continue;
            };
            let evidence = match (&party.source, &party.quote) {
                (Some(source), Some(quote)) => {
                    Evidence::Own(Box::new(Quote::in_source(party_at.clone(), source, quote)))
                }
                (None, None) => Evidence::Pending,
                _ => {
                    c.problems.push(Problem::new(
                        &party_at,
                        "a party's own evidence needs both source and quote",
                    ));
                    Evidence::Pending
                }
            };
            relations.push(Relation {
                role: Some(party.role.clone()),
                contextual: party.contextual.clone().map(|r| (r, party_at.clone())),
                ..Relation::new("party", *target_kind, (*target).clone(), party_at, evidence)
            });
        }
        relations.extend(many(&at, "project", Kind::Project, &p.projects));
        relations.extend(many(&at, "sector", Kind::Sector, &p.sectors));
        if p.parties.is_empty() {
            c.problems
                .push(Problem::new(&at, "a partnership needs at least one party"));
        }
        let columns =
            columns!(p; name_zh, name_en, kind, descriptive_name, date, date_note, document);
        let mut node = c.node::<Self>(at, p, columns, relations);
        node.descriptive_name = p.descriptive_name;
        node
    }
}

impl Convert for entity::sector::Entity {
    type Seed = SectorSeed;

    fn convert(x: &SectorSeed, c: &mut Converter<'_>, at: Loc) -> Node {
        let relations = fk(&at, "broader", Kind::Sector, &x.broader, &x.broader_note);
        let columns = columns!(x; name_zh, name_en, broader);
        c.node::<Self>(at, x, columns, relations)
    }
}

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
                    "subject",
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
        let qualifier = c.qualifier(&at, m);
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
                "a contextual entry names exactly one relation (parent, zone, platform, document, issuer_zone, issuer_organization, sector or project) and a reason",
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

/// A to-one relation written as a slug field with an optional `<field>_note`.
fn fk(
    at: &Loc,
    name: &'static str,
    target_kind: Kind,
    target: &Option<String>,
    note: &Option<String>,
) -> Vec<Relation> {
    target
        .iter()
        .map(|t| {
            let evidence = note
                .as_ref()
                .map_or(Evidence::Pending, |n| Evidence::Note(n.clone()));
            Relation::new(name, target_kind, t.clone(), at.clone(), evidence)
        })
        .collect()
}

/// A to-many relation written as a list of slugs.
fn many(at: &Loc, name: &'static str, target_kind: Kind, targets: &[String]) -> Vec<Relation> {
    targets
        .iter()
        .map(|t| Relation::new(name, target_kind, t.clone(), at.clone(), Evidence::Pending))
        .collect()
}
