//! Sectors: the records of `seeds/sectors.toml` and their conversion.
use entity::ids::Kind;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::convert::{Convert, Converter, fk};
use crate::node::{Loc, Node, columns};
use crate::seed::{RecordSeed, Common, CitationSeed};

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SectorSeed {
    pub slug: String,
    pub name_zh: String,
    pub name_en: Option<String>,
    /// The broader sector this one is a branch of (生物制药 → `biomedicine`).
    pub broader: Option<String>,
    /// Why, where no quote names both (a curated hierarchy, not a fact of the texts).
    pub broader_note: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub citations: Vec<Spanned<CitationSeed>>,
}

impl RecordSeed for SectorSeed {
    fn name_zh(&self) -> &str {
        &self.name_zh
    }

    /// A sector marks nothing contextual in the seed: its `broader_note` says why.
    fn common(&self) -> Common<'_> {
        Common {
            slug: &self.slug,
            aliases: &self.aliases,
            citations: &self.citations,
            contextual: &[],
        }
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
