//! Public record IDs: opaque, derived from the record kind and its slug only, so the same record has
//! the same ID across reloads, databases and machines.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The kinds of record that have a public ID, with the name used inside the ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Source,
    Zone,
    Platform,
    Project,
    Organization,
    Document,
    Sector,
    Partnership,
    Metric,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Source,
        Kind::Zone,
        Kind::Platform,
        Kind::Project,
        Kind::Organization,
        Kind::Document,
        Kind::Sector,
        Kind::Partnership,
        Kind::Metric,
    ];

    /// The lowercase name used in IDs, citations, aliases and the change log (`zone`, `platform` …).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Source => "source",
            Kind::Zone => "zone",
            Kind::Platform => "platform",
            Kind::Project => "project",
            Kind::Organization => "organization",
            Kind::Document => "document",
            Kind::Sector => "sector",
            Kind::Partnership => "partnership",
            Kind::Metric => "metric",
        }
    }

    /// The table that holds records of this kind.
    pub fn table(self) -> &'static str {
        match self {
            Kind::Source => "sources",
            Kind::Zone => "zones",
            Kind::Platform => "platforms",
            Kind::Project => "projects",
            Kind::Organization => "organizations",
            Kind::Document => "documents",
            Kind::Sector => "sectors",
            Kind::Partnership => "partnerships",
            Kind::Metric => "metrics",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A record's key as text, `kind:slug`: the form citation targets, party lists, tombstones, metric
/// subjects and cursor tie-breaks store, and what a public ID encodes. Declared once here.
pub fn record_key(kind: impl std::fmt::Display, slug: &str) -> String {
    format!("{kind}:{slug}")
}

/// Splits a `kind:slug` key; `None` for an unknown kind or an empty slug.
pub fn parse_record_key(key: &str) -> Option<(Kind, &str)> {
    let (kind, slug) = key.split_once(':')?;
    let kind = Kind::parse(kind)?;
    (!slug.is_empty()).then_some((kind, slug))
}

/// The public ID of a record: URL-safe base64 of its `kind:slug` key.
pub fn public_id(kind: Kind, slug: &str) -> String {
    URL_SAFE_NO_PAD.encode(record_key(kind, slug))
}

/// Decodes a public ID back into kind and slug; `None` for anything that is not a valid ID.
pub fn parse_public_id(id: &str) -> Option<(Kind, String)> {
    let bytes = URL_SAFE_NO_PAD.decode(id).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    parse_record_key(&text).map(|(kind, slug)| (kind, slug.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_ids_round_trip_and_reject_garbage() {
        let id = public_id(Kind::Zone, "huangpu");
        assert_eq!(
            parse_public_id(&id),
            Some((Kind::Zone, "huangpu".to_owned()))
        );
        assert_eq!(parse_public_id("not an id"), None);
        assert_eq!(
            parse_public_id(&URL_SAFE_NO_PAD.encode("planet:earth")),
            None
        );
    }
}
