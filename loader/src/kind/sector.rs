//! Sectors: the records of `seeds/sectors.toml` and their conversion.
use entity::relation::Relation;

use crate::convert::{Convert, Converter, fk};
use crate::node::{Loc, Node};
use crate::seed::record_seed;

entity::sector_columns!(record_seed! {
    /// A sector in `seeds/sectors.toml`.
    SectorSeed(name_zh) {
        /// Why, where no quote names both (a curated hierarchy, not a fact of the texts).
        broader_note: Option<String>,
    }
});

impl Convert for entity::sector::Entity {
    type Seed = SectorSeed;

    fn convert(x: &SectorSeed, c: &mut Converter<'_>, at: Loc) -> Node {
        let relations = fk(&at, Relation::SectorBroader, &x.broader, &x.broader_note);
        c.node::<Self>(at, x, x.columns(), relations)
    }
}
