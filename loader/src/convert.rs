//! Turns each parsed seed record into a `Node`, checking the per-kind vocabularies and dates on the way.
use entity::ids::Kind;
use entity::relation::SUBJECT_COLUMNS;
use entity::vocab::{
    DocumentKind, OrganizationKind, PartnershipKind, PartyRole, PlatformKind, PlatformLevel,
    ProjectKind, ProjectRole, ProjectStatus, Qualifier, Vocabulary, ZoneKind,
};
use toml::Spanned;

use crate::node::{Cell, Evidence, Loc, Milestone, Node, Problem, Quote, Relation};
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

impl Converter<'_> {
    /// Every record `file` holds, converted (a seed file holds one kind; a feed line one record).
    pub fn records(&mut self, file: &SeedFile) -> Vec<Node> {
        let mut nodes = vec![];
        nodes.extend(file.zone.iter().map(|s| self.zone(s)));
        nodes.extend(file.platform.iter().map(|s| self.platform(s)));
        nodes.extend(file.project.iter().map(|s| self.project(s)));
        nodes.extend(file.organization.iter().map(|s| self.organization(s)));
        nodes.extend(file.document.iter().map(|s| self.document(s)));
        nodes.extend(file.sector.iter().map(|s| self.sector(s)));
        nodes.extend(file.partnership.iter().map(|s| self.partnership(s)));
        nodes.extend(file.metric.iter().map(|s| self.metric(s)));
        nodes
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

    #[allow(clippy::too_many_arguments)]
    /// The node of a record of `kind`: its common seed fields (the relations its `contextual`
    /// entries name are marked), name, own columns and relations.
    fn node(
        &mut self,
        kind: Kind,
        at: Loc,
        seed: Common<'_>,
        name_zh: &str,
        columns: Vec<(&'static str, Cell)>,
        mut relations: Vec<Relation>,
    ) -> Node {
        mark_contextual(self.lines, &mut relations, seed.contextual, self.problems);
        Node {
            aliases: seed.aliases.to_vec(),
            citations: self.quotes(seed.citations),
            columns,
            relations,
            ..Node::new(kind, seed.slug.to_owned(), at, name_zh.to_owned())
        }
    }

    pub fn zone(&mut self, s: &Spanned<ZoneSeed>) -> Node {
        let (at, z) = (self.lines.at(s), s.get_ref());
        self.one_of::<ZoneKind>(&at, "zone kind", &z.kind);
        let relations = fk(&at, "parent", Kind::Zone, &z.parent, &z.parent_note);
        let columns = vec![
            ("name_zh", (&z.name_zh).into()),
            ("name_en", (&z.name_en).into()),
            ("kind", (&z.kind).into()),
            ("parent", (&z.parent).into()),
        ];
        self.node(Kind::Zone, at, z.common(), &z.name_zh, columns, relations)
    }

    pub fn platform(&mut self, s: &Spanned<PlatformSeed>) -> Node {
        let (at, p) = (self.lines.at(s), s.get_ref());
        self.one_of::<PlatformKind>(&at, "platform kind", &p.kind);
        if let Some(level) = &p.level {
            self.one_of::<PlatformLevel>(&at, "platform level", level);
        }
        let mut relations = fk(&at, "zone", Kind::Zone, &p.zone, &p.zone_note);
        relations.extend(fk(&at, "parent", Kind::Platform, &p.parent, &p.parent_note));
        relations.extend(many(&at, "sector", Kind::Sector, &p.sectors));
        let columns = vec![
            ("name_zh", (&p.name_zh).into()),
            ("name_en", (&p.name_en).into()),
            ("kind", (&p.kind).into()),
            ("level", (&p.level).into()),
            ("zone", (&p.zone).into()),
            ("parent", (&p.parent).into()),
            ("area_km2", Cell::Float(p.area_km2)),
        ];
        let located = p.zone.is_some() || p.parent.is_some();
        self.unlocated(&at, located, &p.unlocated);
        let mut node = self.node(
            Kind::Platform,
            at,
            p.common(),
            &p.name_zh,
            columns,
            relations,
        );
        node.unlocated = p.unlocated.clone();
        node
    }

    pub fn project(&mut self, s: &Spanned<ProjectSeed>) -> Node {
        let (at, p) = (self.lines.at(s), s.get_ref());
        self.one_of::<ProjectKind>(&at, "project kind", &p.kind);
        if let Some(status) = &p.status {
            self.one_of::<ProjectStatus>(&at, "project status", status);
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
            let o_at = self.lines.at(o);
            let o = o.get_ref();
            self.one_of::<ProjectRole>(&o_at, "project role", &o.role);
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
        let columns = vec![
            ("name_zh", (&p.name_zh).into()),
            ("name_en", (&p.name_en).into()),
            ("kind", (&p.kind).into()),
            ("status", (&p.status).into()),
            ("platform", (&p.platform).into()),
            ("zone", (&p.zone).into()),
        ];
        let located = p.platform.is_some() || p.zone.is_some();
        self.unlocated(&at, located, &p.unlocated);
        let mut node = self.node(
            Kind::Project,
            at,
            p.common(),
            &p.name_zh,
            columns,
            relations,
        );
        node.unlocated = p.unlocated.clone();
        for m in &p.milestones {
            let m_at = self.lines.at(m);
            let m = m.get_ref();
            self.date(&m_at, "milestone date", Some(&m.date));
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

    pub fn organization(&mut self, s: &Spanned<OrganizationSeed>) -> Node {
        let (at, o) = (self.lines.at(s), s.get_ref());
        self.one_of::<OrganizationKind>(&at, "organization kind", &o.kind);
        let relations = fk(&at, "zone", Kind::Zone, &o.zone, &o.zone_note);
        let columns = vec![
            ("name_zh", (&o.name_zh).into()),
            ("name_en", (&o.name_en).into()),
            ("kind", (&o.kind).into()),
            ("zone", (&o.zone).into()),
        ];
        self.node(
            Kind::Organization,
            at,
            o.common(),
            &o.name_zh,
            columns,
            relations,
        )
    }

    pub fn document(&mut self, s: &Spanned<DocumentSeed>) -> Node {
        let (at, d) = (self.lines.at(s), s.get_ref());
        self.one_of::<DocumentKind>(&at, "document kind", &d.kind);
        self.date(&at, "date", d.date.as_deref());
        let mut relations = fk(&at, "issuer_zone", Kind::Zone, &d.issuer_zone, &None);
        relations.extend(fk(
            &at,
            "issuer_organization",
            Kind::Organization,
            &d.issuer_organization,
            &None,
        ));
        let columns = vec![
            ("title_zh", (&d.title_zh).into()),
            ("title_en", (&d.title_en).into()),
            ("kind", (&d.kind).into()),
            ("date", (&d.date).into()),
            ("date_note", (&d.date_note).into()),
            ("issuer_zone", (&d.issuer_zone).into()),
            ("issuer_organization", (&d.issuer_organization).into()),
        ];
        self.node(
            Kind::Document,
            at,
            d.common(),
            &d.title_zh,
            columns,
            relations,
        )
    }

    pub fn partnership(&mut self, s: &Spanned<PartnershipSeed>) -> Node {
        let (at, p) = (self.lines.at(s), s.get_ref());
        self.one_of::<PartnershipKind>(&at, "partnership kind", &p.kind);
        self.date(&at, "date", p.date.as_deref());
        let mut relations = fk(&at, "document", Kind::Document, &p.document, &None);
        for party in &p.parties {
            let party_at = self.lines.at(party);
            let party = party.get_ref();
            self.one_of::<PartyRole>(&party_at, "party role", &party.role);
            let targets: Vec<(Kind, &String)> = [
                (Kind::Zone, &party.zone),
                (Kind::Platform, &party.platform),
                (Kind::Organization, &party.organization),
            ]
            .into_iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
            .collect();
            let [(target_kind, target)] = targets.as_slice() else {
                self.problems.push(Problem::new(
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
                    self.problems.push(Problem::new(
                        &party_at,
                        "a party's own evidence needs both source and quote",
                    ));
                    Evidence::Pending
                }
            };
            relations.push(Relation {
                role: Some(party.role.clone()),
                contextual: party.contextual.clone().map(|c| (c, party_at.clone())),
                ..Relation::new("party", *target_kind, (*target).clone(), party_at, evidence)
            });
        }
        relations.extend(many(&at, "project", Kind::Project, &p.projects));
        relations.extend(many(&at, "sector", Kind::Sector, &p.sectors));
        if p.parties.is_empty() {
            self.problems
                .push(Problem::new(&at, "a partnership needs at least one party"));
        }
        let columns = vec![
            ("name_zh", (&p.name_zh).into()),
            ("name_en", (&p.name_en).into()),
            ("kind", (&p.kind).into()),
            ("descriptive_name", Cell::Bool(p.descriptive_name)),
            ("date", (&p.date).into()),
            ("date_note", (&p.date_note).into()),
            ("document", (&p.document).into()),
        ];
        let mut node = self.node(
            Kind::Partnership,
            at,
            p.common(),
            &p.name_zh,
            columns,
            relations,
        );
        node.descriptive_name = p.descriptive_name;
        node
    }

    pub fn sector(&mut self, s: &Spanned<SectorSeed>) -> Node {
        let (at, x) = (self.lines.at(s), s.get_ref());
        let relations = fk(&at, "broader", Kind::Sector, &x.broader, &x.broader_note);
        let columns = vec![
            ("name_zh", (&x.name_zh).into()),
            ("name_en", (&x.name_en).into()),
            ("broader", (&x.broader).into()),
        ];
        self.node(Kind::Sector, at, x.common(), &x.name_zh, columns, relations)
    }

    pub fn metric(&mut self, s: &Spanned<MetricSeed>) -> Node {
        let (at, m) = (self.lines.at(s), s.get_ref());
        let mut subject: [Option<String>; SUBJECT_COLUMNS.len()] = Default::default();
        let mut relations = vec![];
        match m.subject.split_once(':') {
            Some((kind, slug))
                if let Some(i) = SUBJECT_COLUMNS.iter().position(|(_, c)| *c == kind) =>
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
            _ => self.problems.push(Problem::new(
                &at,
                format!(
                    "subject \"{}\" must be <zone|platform|project|partnership>:<slug>",
                    m.subject
                ),
            )),
        }
        if !m.value.is_finite() {
            self.problems
                .push(Problem::new(&at, "value must be a finite number"));
        }
        let qualifier = self.qualifier(&at, m);
        self.date(&at, "as_of", m.as_of.as_deref());
        let [zone, platform, project, partnership] = subject;
        let columns = vec![
            ("zone", Cell::Text(zone)),
            ("platform", Cell::Text(platform)),
            ("project", Cell::Text(project)),
            ("partnership", Cell::Text(partnership)),
            ("name_zh", (&m.name_zh).into()),
            ("name_en", (&m.name_en).into()),
            ("value", Cell::Float(Some(m.value))),
            ("value_text", (&m.value_text).into()),
            ("unit", (&m.unit).into()),
            ("year", Cell::Int(m.year.map(i64::from))),
            ("is_target", Cell::Bool(m.is_target)),
            ("qualifier", qualifier.as_str().into()),
            ("value_max", Cell::Float(m.value_max)),
            ("as_of", (&m.as_of).into()),
        ];
        let mut node = self.node(Kind::Metric, at, m.common(), &m.name_zh, columns, relations);
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
