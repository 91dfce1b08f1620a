//! The seed file format as serde structs, exactly as documented in `seeds/README.md`.
//! Parsing only: unknown fields are rejected here, meaning is checked in `convert` (to which
//! `SeedFile::records` hands each kind's records) and `validate`.
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::convert::{Convert, Converter};
use crate::node::Node;

/// A record's seed struct: `slug`, the fields given, then what every record may carry
/// (`aliases`, `citations`, and `contextual` markers for one-ended evidence); the record is
/// named by its field `$name_zh`.
macro_rules! record_seed {
    ($(#[$doc:meta])* $name:ident($name_zh:ident) {
        $( $(#[$field_doc:meta])* $field:ident: $ty:ty, )*
    }) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Deserialize, Serialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            pub slug: String,
            $( $(#[$field_doc])* pub $field: $ty, )*
            #[serde(default)]
            pub aliases: Vec<String>,
            #[serde(default)]
            pub citations: Vec<Spanned<CitationSeed>>,
            /// Relations whose evidence names only one end, with the reason.
            #[serde(default)]
            pub contextual: Vec<Spanned<ContextualSeed>>,
        }

        impl RecordSeed for $name {
            fn name_zh(&self) -> &str {
                &self.$name_zh
            }

            fn common(&self) -> Common<'_> {
                Common {
                    slug: &self.slug,
                    aliases: &self.aliases,
                    citations: &self.citations,
                    contextual: &self.contextual,
                }
            }
        }
    };
}

/// A record kind's seed struct: the record's name and what every record carries.
pub trait RecordSeed {
    /// The record's name as the sources write it (a document's title).
    fn name_zh(&self) -> &str;
    /// The fields every record seed carries.
    fn common(&self) -> Common<'_>;
}

/// What every record's seed carries besides its own columns: slug, aliases, citations and the
/// relations marked contextual (`record_seed!`; sectors and metrics have fewer).
#[derive(Clone, Copy)]
pub struct Common<'s> {
    pub slug: &'s str,
    pub aliases: &'s [String],
    pub citations: &'s [Spanned<CitationSeed>],
    pub contextual: &'s [Spanned<ContextualSeed>],
}

/// A verbatim quote from a source, as written in a seed file.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CitationSeed {
    /// The slug of a source document in the database (its text is checked for the quote).
    #[serde(default)]
    pub source: String,
    /// For partner feeds only: where the quote comes from when it is not one of Baygraph's sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    pub quote: String,
}

/// Declares `ContextualSeed` from the names of the relations a marker may name: a field per
/// relation and `targets`, which reads them.
macro_rules! contextual_seed {
    ($(#[$doc:meta])* ContextualSeed { $($relation:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Deserialize, Serialize)]
        #[serde(deny_unknown_fields)]
        pub struct ContextualSeed {
            $(pub $relation: Option<String>,)*
            pub reason: String,
        }

        impl ContextualSeed {
            /// The marked relations as (relation name, target slug); a valid marker names exactly
            /// one.
            pub fn targets(&self) -> Vec<(&'static str, &str)> {
                [$((stringify!($relation), &self.$relation)),*]
                    .into_iter()
                    .filter_map(|(name, slug)| slug.as_deref().map(|s| (name, s)))
                    .collect()
            }
        }
    };
}

contextual_seed! {
    /// A relation whose evidence names only one of its ends, marked as such (seeds/README.md,
    /// rule 7): the relation by its field and target slug, and why no quote names both ends.
    ContextualSeed {
        parent, zone, platform, document, issuer_zone, issuer_organization, sector, project,
    }
}

/// `seeds/sources/<slug>.toml`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceMeta {
    pub title: String,
    pub publisher: String,
    pub reporter: Option<String>,
    pub date: Option<String>,
    pub date_note: Option<String>,
    pub original_file: String,
    /// The original publication's address, where the received text states it.
    pub url: Option<String>,
    /// Why there is no `url` (the received text states no address).
    pub url_note: Option<String>,
}

record_seed! {
    /// A zone in `seeds/zones.toml`.
    ZoneSeed(name_zh) {
        name_zh: String,
        name_en: Option<String>,
        kind: String,
        parent: Option<String>,
        parent_note: Option<String>,
    }
}

record_seed! {
    /// A platform in `seeds/platforms.toml`.
    PlatformSeed(name_zh) {
        name_zh: String,
        name_en: Option<String>,
        kind: String,
        level: Option<String>,
        zone: Option<String>,
        zone_note: Option<String>,
        parent: Option<String>,
        parent_note: Option<String>,
        area_km2: Option<f64>,
        #[serde(default)]
        sectors: Vec<String>,
        /// Why the record has no location where the texts give none (a policy, a corridor …).
        unlocated: Option<String>,
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneSeed {
    pub date: String,
    pub event_zh: String,
    pub event_en: Option<String>,
    pub source: String,
    pub quote: String,
    pub date_note: Option<String>,
}

record_seed! {
    /// A project in `seeds/projects.toml`.
    ProjectSeed(name_zh) {
        name_zh: String,
        name_en: Option<String>,
        kind: String,
        status: Option<String>,
        platform: Option<String>,
        platform_note: Option<String>,
        zone: Option<String>,
        zone_note: Option<String>,
        #[serde(default)]
        sectors: Vec<String>,
        /// Organizations that own, build or run the project, each with its role.
        #[serde(default)]
        organizations: Vec<Spanned<ProjectOrganizationSeed>>,
        #[serde(default)]
        milestones: Vec<Spanned<MilestoneSeed>>,
        /// Why the record has no location where the texts give none (a policy, a corridor …).
        unlocated: Option<String>,
    }
}

/// `organizations = [{ organization = "…", role = "owner" }]` in a project: its evidence is the
/// project's first citation naming the organization.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectOrganizationSeed {
    pub organization: String,
    /// `owner`, `builder` or `operator`.
    pub role: String,
}

record_seed! {
    /// An organization in `seeds/organizations.toml`.
    OrganizationSeed(name_zh) {
        name_zh: String,
        name_en: Option<String>,
        kind: String,
        zone: Option<String>,
        zone_note: Option<String>,
    }
}

record_seed! {
    /// A policy document in `seeds/documents.toml`.
    DocumentSeed(title_zh) {
        title_zh: String,
        title_en: Option<String>,
        kind: String,
        date: Option<String>,
        /// Required when the date is inferred rather than stated: how, with the sentence that implies it.
        date_note: Option<String>,
        issuer_zone: Option<String>,
        issuer_organization: Option<String>,
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PartySeed {
    pub zone: Option<String>,
    pub platform: Option<String>,
    pub organization: Option<String>,
    pub role: String,
    pub source: Option<String>,
    pub quote: Option<String>,
    /// Why the party's evidence names only one end (seeds/README.md, rule 7).
    pub contextual: Option<String>,
}

record_seed! {
    /// A partnership in `seeds/partnerships.toml`.
    PartnershipSeed(name_zh) {
        name_zh: String,
        #[serde(default)]
        descriptive_name: bool,
        name_en: Option<String>,
        kind: String,
        date: Option<String>,
        date_note: Option<String>,
        document: Option<String>,
        #[serde(default)]
        sectors: Vec<String>,
        #[serde(default)]
        projects: Vec<String>,
        #[serde(default)]
        parties: Vec<Spanned<PartySeed>>,
    }
}

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

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MetricSeed {
    pub slug: String,
    pub subject: String,
    pub name_zh: String,
    pub name_en: Option<String>,
    pub value: f64,
    pub value_text: String,
    pub unit: String,
    pub year: Option<i32>,
    /// How `value` relates to the text (`more_than` for 超过200个); `exact` when absent.
    pub qualifier: Option<String>,
    /// The upper end of a `range` (5 for 3年至5年).
    pub value_max: Option<f64>,
    /// The date a cumulative count stands at, where the text dates it.
    pub as_of: Option<String>,
    #[serde(default)]
    pub is_target: bool,
    #[serde(default)]
    pub citations: Vec<Spanned<CitationSeed>>,
}

impl RecordSeed for MetricSeed {
    fn name_zh(&self) -> &str {
        &self.name_zh
    }

    /// A metric has no aliases and names its subject.
    fn common(&self) -> Common<'_> {
        Common {
            slug: &self.slug,
            aliases: &[],
            citations: &self.citations,
            contextual: &[],
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoredSeed {
    pub text: String,
    pub reason: String,
}

/// `abbreviations.toml`: a form the texts use to name several zones at once (广深 = 广州 + 深圳).
/// A quote containing the form names every zone of the expansion (see seeds/README.md).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AbbreviationSeed {
    pub form: String,
    /// Zone slugs, in the order the form names them.
    pub expands_to: Vec<String>,
    /// Why the form means these zones (which character stands for which place).
    pub note: Option<String>,
    /// A back-reference (两市) rather than a fixed short name: it holds only inside its cited
    /// passages, and each of them names the antecedent.
    #[serde(default)]
    pub anaphor: bool,
    /// Passages showing the form in use.
    #[serde(default)]
    pub citations: Vec<Spanned<CitationSeed>>,
}

/// `defined_terms.toml`: a term one source document defines for a record and then uses in its
/// place (加快推动广州穗港智造合作区（下称合作区）建设). Inside that source, after the definition, a
/// quote in which the term stands on its own names the record (see seeds/README.md).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DefinedTermSeed {
    /// The term as the source writes it (合作区).
    pub term: String,
    /// The record it stands for: `<kind>:<slug>`.
    pub names: String,
    /// Optional: what the definition says, in English.
    pub note: Option<String>,
    /// The defining sentence or clause, verbatim from the defining source: it names the record and
    /// the term (its `source` is the only document where the term holds).
    pub definition: Spanned<CitationSeed>,
}

/// Declares `SeedFile`: a list per record kind of `entity::Kind` but sources (a folder of their
/// own), under the kind's name and of the seed struct of its [`Convert`], then the lists given.
/// Its `counts` and `records` follow from the same keys, so a key the struct accepts is always
/// one `counts` reports, and every record kind's list is converted.
macro_rules! seed_file {
    ([$($kinds:ident)*] { $($lists:tt)* } Source source, $($rest:tt)*) => {
        seed_file!([$($kinds)*] { $($lists)* } $($rest)*);
    };
    ([$($kinds:ident)*] { $($lists:tt)* } $kind:ident $module:ident, $($rest:tt)*) => {
        seed_file!([$($kinds)* $module] { $($lists)* } $($rest)*);
    };
    ([$($kind:ident)*] { $(#[$doc:meta])* $( $key:ident: $seed:ty, )* }) => {
        $(#[$doc])*
        #[derive(Debug, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct SeedFile {
            $(
                #[serde(default)]
                pub $kind: Vec<Spanned<<entity::$kind::Entity as Convert>::Seed>>,
            )*
            $(
                #[serde(default)]
                pub $key: Vec<Spanned<$seed>>,
            )*
        }

        impl SeedFile {
            /// How many top-level keys a seed file may have.
            const KEYS: usize = [$(stringify!($kind),)* $(stringify!($key)),*].len();

            /// How many entries each top-level key holds (a seed file may hold only its own).
            pub fn counts(&self) -> [(&'static str, usize); Self::KEYS] {
                [
                    $((stringify!($kind), self.$kind.len()),)*
                    $((stringify!($key), self.$key.len())),*
                ]
            }

            /// Every record the file holds, converted (a seed file holds one kind; a feed line
            /// one record).
            pub fn records(&self, c: &mut Converter<'_>) -> Vec<Node> {
                let mut nodes = vec![];
                $(nodes.extend(self.$kind.iter().map(|s| c.record::<entity::$kind::Entity>(s)));)*
                nodes
            }
        }
    };
}

entity::for_each_kind!(seed_file! {
    [] {
        /// One seed file per kind: the top-level key names the record type (`[[zone]]` …).
        ignored: IgnoredSeed,
        abbreviation: AbbreviationSeed,
        defined_term: DefinedTermSeed,
    }
});

#[cfg(test)]
mod tests {
    use super::*;

    /// Each record kind's key (its entity module's name) is the one its seed file is read under.
    #[test]
    fn keys_are_those_of_the_seed_files() {
        let keys: Vec<&str> = SeedFile::default().counts().map(|(key, _)| key).to_vec();
        let files: Vec<&str> = crate::read::kind_files()
            .into_iter()
            .map(|(_, key)| key)
            .collect();
        assert_eq!(keys, files);
    }
}
