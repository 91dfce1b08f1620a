//! The seed format's controlled vocabularies (kinds, levels, statuses, roles) as GraphQL enums, so
//! front ends get a typed schema and a misspelt filter value is a validation error, not an empty
//! page. Values are stored in lower snake case (`cooperation_zone`) and published in GraphQL's upper
//! snake case (`COOPERATION_ZONE`); a test keeps every enum equal to the loader's list.
mod document_kind;
mod organization_kind;
mod partnership_kind;
mod party_role;
mod platform_kind;
mod platform_level;
mod project_kind;
mod project_status;
mod zone_kind;

pub use document_kind::DocumentKind;
pub use organization_kind::OrganizationKind;
pub use partnership_kind::PartnershipKind;
pub use party_role::PartyRole;
pub use platform_kind::PlatformKind;
pub use platform_level::PlatformLevel;
pub use project_kind::ProjectKind;
pub use project_status::ProjectStatus;
pub use zone_kind::ZoneKind;

use crate::error::{Res, internal};

/// A GraphQL enum mirroring one of the loader's vocabularies.
pub trait Vocab: Copy + PartialEq + Sized + 'static {
    /// Every value with the string stored in the database.
    const ALL: &'static [(Self, &'static str)];

    /// The string stored in the database.
    fn stored(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(v, _)| *v == self)
            .map_or("", |(_, s)| s)
    }
}

/// The enum value of a stored string; the loader validates every value, so a miss is a bug.
pub fn from_stored<T: Vocab>(stored: &str) -> Res<T> {
    T::ALL
        .iter()
        .find(|(_, s)| *s == stored)
        .map(|(v, _)| *v)
        .ok_or_else(|| {
            tracing::error!(value = stored, "a stored value is outside its vocabulary");
            internal()
        })
}

/// The enum value of an optional stored string.
pub fn from_stored_opt<T: Vocab>(stored: Option<&str>) -> Res<Option<T>> {
    stored.map(from_stored).transpose()
}

/// True when no values are given, or `stored` is one of them.
pub fn any_of<T: Vocab>(allowed: &Option<Vec<T>>, stored: &str) -> bool {
    allowed
        .as_ref()
        .is_none_or(|a| a.iter().any(|v| v.stored() == stored))
}

/// Declares a vocabulary enum: each variant with its description and its stored string.
macro_rules! vocabulary {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            $( $(#[doc = $vdoc:literal])* $variant:ident = $stored:literal, )*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
        pub enum $name {
            $( $(#[doc = $vdoc])* $variant, )*
        }

        impl $crate::schema::vocab::Vocab for $name {
            const ALL: &'static [(Self, &'static str)] = &[$(($name::$variant, $stored),)*];
        }
    };
}
pub(crate) use vocabulary;

#[cfg(test)]
mod tests {
    use super::*;
    use loader::vocab;

    fn stored<T: Vocab>() -> Vec<&'static str> {
        T::ALL.iter().map(|(_, s)| *s).collect()
    }

    #[test]
    fn every_enum_matches_the_loader_vocabulary() {
        assert_eq!(stored::<ZoneKind>(), vocab::ZONE_KINDS);
        assert_eq!(stored::<PlatformKind>(), vocab::PLATFORM_KINDS);
        assert_eq!(stored::<PlatformLevel>(), vocab::PLATFORM_LEVELS);
        assert_eq!(stored::<ProjectKind>(), vocab::PROJECT_KINDS);
        assert_eq!(stored::<ProjectStatus>(), vocab::PROJECT_STATUSES);
        assert_eq!(stored::<OrganizationKind>(), vocab::ORGANIZATION_KINDS);
        assert_eq!(stored::<DocumentKind>(), vocab::DOCUMENT_KINDS);
        assert_eq!(stored::<PartnershipKind>(), vocab::PARTNERSHIP_KINDS);
        assert_eq!(stored::<PartyRole>(), vocab::PARTY_ROLES);
    }

    #[test]
    fn stored_strings_round_trip() {
        for (v, s) in ZoneKind::ALL {
            assert_eq!(from_stored::<ZoneKind>(s).ok(), Some(*v));
            assert_eq!(v.stored(), *s);
        }
        assert!(from_stored::<ZoneKind>("galaxy").is_err());
        assert!(any_of::<ZoneKind>(&None, "anything"));
        assert!(any_of(&Some(vec![ZoneKind::Sar]), "sar"));
        assert!(!any_of(&Some(vec![ZoneKind::Sar]), "city"));
    }
}
