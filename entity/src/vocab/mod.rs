//! The controlled vocabularies (kinds, levels, statuses, roles), declared once. Each value has
//! its stored string (lower snake case, as in the seeds and the database), a description (which
//! becomes the GraphQL enum value's description with the `graphql` feature) and a Chinese label.
//! The loader rejects values outside these lists, the migration adds CHECK constraints from them,
//! the API publishes them as GraphQL enums, and the explorer's labels are generated from them.
mod values;

/// Lists the vocabularies once, each with the columns that hold its values, and derives from
/// that list their `pub use`, [`all`], [`columns`] and `for_each_vocabulary!`.
macro_rules! vocabularies {
    ($d:tt $($name:ident $(in $($table:ident . $column:ident),+)?;)*) => {
        pub use values::{$($name),*};

        /// The names of every vocabulary with its stored strings, for checks that cover them
        /// all (seeds/README.md, the migration's CHECK constraints, the explorer's labels).
        pub fn all() -> Vec<(&'static str, Vec<&'static str>)> {
            vec![$(($name::NAME, $name::stored())),*]
        }

        /// Every column holding a vocabulary value (the migration's checks are made from this
        /// list).
        pub fn columns() -> Vec<VocabularyColumn> {
            vec![$($($(VocabularyColumn {
                table: stringify!($table),
                column: stringify!($column),
                vocabulary: $name::NAME,
                values: $name::stored(),
            },)+)?)*]
        }

        /// `for_each_vocabulary!(callback! { args })`: `callback! { args Type, … }` with every
        /// vocabulary's type, in declaration order.
        #[macro_export]
        macro_rules! for_each_vocabulary {
            ($d callback:ident! { $d($d args:tt)* }) => {
                $d callback! { $d($d args)* $($crate::vocab::$name,)* }
            };
        }
    };
}

vocabularies! { $
    ZoneKind in zones.kind;
    PlatformKind in platforms.kind;
    PlatformLevel in platforms.level;
    ProjectKind in projects.kind;
    ProjectStatus in projects.status;
    ProjectRole in project_organizations.role;
    OrganizationKind in organizations.kind;
    DocumentKind in documents.kind;
    PartnershipKind in partnerships.kind;
    PartyRole in partnership_parties.role;
    Qualifier in metrics.qualifier;
    EdgeKind;
}

/// A controlled vocabulary: a closed set of values with their stored strings.
pub trait Vocabulary: Copy + Eq + std::hash::Hash + std::fmt::Debug + Sized + 'static {
    /// The vocabulary's name (`ZoneKind`).
    const NAME: &'static str;
    /// Every value, in declaration order.
    const ALL: &'static [Self];

    /// The string stored in the seeds and the database (`cooperation_zone`).
    fn as_str(self) -> &'static str;
    /// The value's description.
    fn description(self) -> &'static str;
    /// The value's Chinese label (合作区).
    fn label_zh(self) -> &'static str;

    /// The value of a stored string.
    fn parse(stored: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == stored)
    }

    /// The value's position in `ALL` (a compact code for in-memory records).
    fn code(self) -> u8 {
        Self::ALL.iter().position(|v| *v == self).unwrap_or(0) as u8
    }

    /// The value at `code` (see [`Vocabulary::code`]).
    fn from_code(code: u8) -> Option<Self> {
        Self::ALL.get(usize::from(code)).copied()
    }

    /// Every stored string, in declaration order.
    fn stored() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.as_str()).collect()
    }
}

/// A column that holds values of one vocabulary.
#[derive(Clone, Debug)]
pub struct VocabularyColumn {
    pub table: &'static str,
    pub column: &'static str,
    pub vocabulary: &'static str,
    pub values: Vec<&'static str>,
}

/// The stored values the column `column` of `table` may hold, in code order (`Vocabulary::code`),
/// if it holds a vocabulary (see [`columns`]).
pub fn values_of(table: &str, column: &str) -> Option<&'static [&'static str]> {
    static COLUMNS: std::sync::LazyLock<Vec<VocabularyColumn>> = std::sync::LazyLock::new(columns);
    COLUMNS
        .iter()
        .find(|c| c.table == table && c.column == column)
        .map(|c| c.values.as_slice())
}

/// Declares a vocabulary: each value with its description, stored string and Chinese label.
macro_rules! vocabulary {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            $( $(#[doc = $vdoc:literal])* $variant:ident = $stored:literal / $zh:literal, )*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(
            Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            sea_orm::EnumIter, sea_orm::DeriveActiveEnum, serde::Serialize, serde::Deserialize,
        )]
        #[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
        #[sea_orm(rs_type = "String", db_type = "Text")]
        pub enum $name {
            $(
                $(#[doc = $vdoc])*
                #[sea_orm(string_value = $stored)]
                #[serde(rename = $stored)]
                $variant,
            )*
        }

        impl $crate::vocab::Vocabulary for $name {
            const NAME: &'static str = stringify!($name);
            const ALL: &'static [Self] = &[$($name::$variant),*];

            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $stored,)* }
            }
            fn description(self) -> &'static str {
                match self { $($name::$variant => concat!($($vdoc),*).trim_ascii(),)* }
            }
            fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh,)* }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::vocab::Vocabulary::as_str(*self))
            }
        }
    };
}
pub(crate) use vocabulary;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_strings_round_trip_and_codes_are_positions() {
        for (name, values) in all() {
            let mut seen = std::collections::HashSet::new();
            for v in &values {
                assert!(seen.insert(*v), "{name}: {v} twice");
            }
        }
        for v in ZoneKind::ALL {
            assert_eq!(ZoneKind::parse(v.as_str()), Some(*v));
            assert_eq!(ZoneKind::from_code(v.code()), Some(*v));
            assert!(!v.description().is_empty() && !v.label_zh().is_empty());
        }
        assert_eq!(ZoneKind::parse("galaxy"), None);
        assert_eq!(ZoneKind::CooperationZone.to_string(), "cooperation_zone");
        assert_eq!(
            ZoneKind::Sar.description(),
            "A special administrative region (特别行政区): Hong Kong, Macao."
        );
    }
}
