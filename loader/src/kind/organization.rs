//! Organizations: the records of `seeds/organizations.toml` and their conversion.
use entity::relation::Relation;

use crate::convert::{Convert, Converter, fk};
use crate::node::{Loc, Node};
use crate::seed::record_seed;

entity::organization_columns!(record_seed! {
    /// An organization in `seeds/organizations.toml`.
    OrganizationSeed(name_zh) {
        zone_note: Option<String>,
    }
});

impl Convert for entity::organization::Entity {
    type Seed = OrganizationSeed;

    fn convert(o: &OrganizationSeed, c: &mut Converter<'_>, at: Loc) -> Node {
        let relations = fk(&at, Relation::OrganizationZone, &o.zone, &o.zone_note);
        c.node::<Self>(at, o, o.columns(), relations)
    }
}
