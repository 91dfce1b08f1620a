//! Zones: the records of `seeds/zones.toml` and their conversion.
use entity::relation::Relation;

use crate::convert::{Convert, Converter, fk};
use crate::node::{Loc, Node};
use crate::seed::record_seed;

entity::zone_columns!(record_seed! {
    /// A zone in `seeds/zones.toml`.
    ZoneSeed(name_zh) {
        parent_note: Option<String>,
    }
});

impl Convert for entity::zone::Entity {
    type Seed = ZoneSeed;

    fn convert(z: &ZoneSeed, c: &mut Converter<'_>, at: Loc) -> Node {
        let relations = fk(&at, Relation::ZoneParent, &z.parent, &z.parent_note);
        c.node::<Self>(at, z, z.columns(), relations)
    }
}
