//! Policy documents: the records of `seeds/documents.toml` and their conversion.
use entity::relation::Relation;

use crate::convert::{Convert, Converter, fk};
use crate::node::{Loc, Node};
use crate::seed::record_seed;

entity::document_columns!(record_seed! {
    /// A policy document in `seeds/documents.toml`.
    DocumentSeed(title_zh) {
    }
});

impl Convert for entity::document::Entity {
    type Seed = DocumentSeed;

    fn convert(d: &DocumentSeed, c: &mut Converter<'_>, at: Loc) -> Node {
        c.date(&at, "date", d.date.as_deref());
        let mut relations = fk(&at, Relation::DocumentIssuerZone, &d.issuer_zone, &None);
        relations.extend(fk(
            &at,
            Relation::DocumentIssuerOrganization,
            &d.issuer_organization,
            &None,
        ));
        c.node::<Self>(at, d, d.columns(), relations)
    }
}
