//! The seed file format as serde structs, exactly as documented in `seeds/README.md`: what every
//! record carries and the files' own lists here, each kind's record struct in its `kind` module.
//! Parsing only: unknown fields are rejected here, meaning is checked in `convert` (to which
//! `SeedFile::records` hands each kind's records) and `validate`.
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::convert::{Convert, Converter};
use crate::node::Node;

/// A record's seed struct, invoked through the kind's columns macro from `entity`
/// (`entity::zone_columns!(record_seed! { … })`): `slug`, the fields given (notes, lists), the
/// entity's own columns, then what every record may carry (`aliases`, `citations`, and
/// `contextual` markers for one-ended evidence); the record is named by its field `$name_zh`.
/// `columns()` gives the entity's columns with the seed's values, so a column is declared once,
/// on the entity.
macro_rules! record_seed {
    ($(#[$doc:meta])* $name:ident($name_zh:ident) {
        $( $(#[$field_doc:meta])* $field:ident: $ty:ty, )*
    }
    $( $(#[$column_doc:meta])* $column:ident: $column_ty:ty, )*) => {
        $(#[$doc])*
        #[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            pub slug: String,
            $( $(#[$column_doc])* pub $column: $column_ty, )*
            $( $(#[$field_doc])* pub $field: $ty, )*
            #[serde(default)]
            pub aliases: Vec<String>,
            #[serde(default)]
            pub citations: Vec<toml::Spanned<$crate::seed::CitationSeed>>,
            /// Relations whose evidence names only one end, with the reason.
            #[serde(default)]
            pub contextual: Vec<toml::Spanned<$crate::seed::ContextualSeed>>,
        }

        impl $name {
            /// The entity's own columns with this record's values, in the entity's order.
            pub fn columns(&self) -> Vec<(&'static str, $crate::node::Cell)> {
                vec![$((stringify!($column), $crate::node::Cell::from(&self.$column)),)*]
            }
        }

        impl $crate::seed::RecordSeed for $name {
            fn name_zh(&self) -> &str {
                &self.$name_zh
            }

            fn common(&self) -> $crate::seed::Common<'_> {
                $crate::seed::Common {
                    slug: &self.slug,
                    aliases: &self.aliases,
                    citations: &self.citations,
                    contextual: &self.contextual,
                }
            }
        }
    };
}

pub(crate) use record_seed;

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
            /// The relations a marker may name, by their seed field.
            pub const RELATIONS: &[&str] = &[$(stringify!($relation)),*];

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
        parent, zone, platform, document, issuer_zone, issuer_organization, sector, project, broader,
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

/// `organizations = [{ organization = "…", role = "owner" }]` in a project: its evidence is the
/// project's first citation naming the organization.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectOrganizationSeed {
    pub organization: String,
    /// `owner`, `builder` or `operator`.
    pub role: String,
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
