//! Partnerships: the records of `seeds/partnerships.toml` (with their parties) and their
//! conversion.
use entity::ids::Kind;
use entity::relation;
use entity::vocab::PartyRole;
use toml::Spanned;

use crate::convert::{Convert, Converter, fk, many};
use crate::node::{Evidence, Loc, Node, Problem, Quote, Relation};
use crate::seed::{PartySeed, record_seed};

entity::partnership_columns!(record_seed! {
    /// A partnership in `seeds/partnerships.toml`.
    PartnershipSeed(name_zh) {
        #[serde(default)]
        sectors: Vec<String>,
        #[serde(default)]
        projects: Vec<String>,
        #[serde(default)]
        parties: Vec<Spanned<PartySeed>>,
    }
});

impl Convert for entity::partnership::Entity {
    type Seed = PartnershipSeed;

    fn convert(p: &PartnershipSeed, c: &mut Converter<'_>, at: Loc) -> Node {
        c.date(&at, "date", p.date.as_deref());
        let mut relations = fk(&at, relation::Relation::PartnershipDocument, &p.document, &None);
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
                ..Relation::new(relation::Relation::PartnershipParty, *target_kind, (*target).clone(), party_at, evidence)
            });
        }
        relations.extend(many(&at, relation::Relation::PartnershipProject, &p.projects));
        relations.extend(many(&at, relation::Relation::PartnershipSector, &p.sectors));
        if p.parties.is_empty() {
            c.problems
                .push(Problem::new(&at, "a partnership needs at least one party"));
        }
        let mut node = c.node::<Self>(at, p, p.columns(), relations);
        node.descriptive_name = p.descriptive_name;
        node
    }
}
