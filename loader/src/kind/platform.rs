//! Platforms: the records of `seeds/platforms.toml` and their conversion.
use entity::relation::Relation;

use crate::convert::{Convert, Converter, fk, many};
use crate::node::{Loc, Node};
use crate::seed::record_seed;

entity::platform_columns!(record_seed! {
    /// A platform in `seeds/platforms.toml`.
    PlatformSeed(name_zh) {
        zone_note: Option<String>,
        parent_note: Option<String>,
        #[serde(default)]
        sectors: Vec<String>,
        /// Why the record has no location where the texts give none (a policy, a corridor …).
        unlocated: Option<String>,
    }
});

impl Convert for entity::platform::Entity {
    type Seed = PlatformSeed;

    fn convert(p: &PlatformSeed, c: &mut Converter<'_>, at: Loc) -> Node {
        let mut relations = fk(&at, Relation::PlatformZone, &p.zone, &p.zone_note);
        relations.extend(fk(&at, Relation::PlatformParent, &p.parent, &p.parent_note));
        relations.extend(many(&at, Relation::PlatformSector, &p.sectors));
        let located = p.zone.is_some() || p.parent.is_some();
        c.placed_node::<Self>(at, p, p.columns(), relations, (located, &p.unlocated))
    }
}
