//! Public record IDs: opaque, derived from the record kind and its slug only, so the same record has
//! the same ID across reloads, databases and machines.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The kinds of record that have a public ID, with the name used inside the ID.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
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

    /// The kind's name in Chinese (区域, 平台 …).
    pub fn label_zh(self) -> &'static str {
        match self {
            Kind::Source => "来源",
            Kind::Zone => "区域",
            Kind::Platform => "平台",
            Kind::Project => "项目",
            Kind::Organization => "机构",
            Kind::Document => "政策文件",
            Kind::Sector => "产业",
            Kind::Partnership => "合作",
            Kind::Metric => "数据",
        }
    }

    /// The kinds that are places in the graph (walked by graph queries, found by search):
    /// every kind but figures.
    pub fn is_graph_record(self) -> bool {
        self != Kind::Metric
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A record's identity: its kind and its slug. Written `kind:slug` (the form citation targets,
/// tombstones, metric subjects and cursor tie-breaks store) and, as a public ID, URL-safe base64
/// of that text. Declared once here; every place that forms or reads a key goes through it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub kind: Kind,
    pub slug: String,
}

impl Key {
    pub fn new(kind: Kind, slug: impl Into<String>) -> Key {
        Key {
            kind,
            slug: slug.into(),
        }
    }

    /// The public ID: URL-safe base64 (no padding) of `kind:slug`.
    pub fn public_id(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.to_string())
    }

    /// Decodes a public ID; `None` for anything that is not a valid ID.
    pub fn from_public_id(id: &str) -> Option<Key> {
        let bytes = URL_SAFE_NO_PAD.decode(id).ok()?;
        String::from_utf8(bytes).ok()?.parse().ok()
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.kind, self.slug)
    }
}

/// Why a text is not a `kind:slug` key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadKey;

impl std::fmt::Display for BadKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("expected <kind>:<slug> with a known kind and a non-empty slug")
    }
}

impl std::error::Error for BadKey {}

impl std::str::FromStr for Key {
    type Err = BadKey;

    fn from_str(text: &str) -> Result<Key, BadKey> {
        let (kind, slug) = text.split_once(':').ok_or(BadKey)?;
        let kind = Kind::parse(kind).ok_or(BadKey)?;
        if slug.is_empty() {
            return Err(BadKey);
        }
        Ok(Key::new(kind, slug))
    }
}

/// A record's key as text, `kind:slug` (see [`Key`]).
pub fn record_key(kind: impl std::fmt::Display, slug: &str) -> String {
    format!("{kind}:{slug}")
}

/// Splits a `kind:slug` key; `None` for an unknown kind or an empty slug.
pub fn parse_record_key(key: &str) -> Option<(Kind, &str)> {
    let (kind, slug) = key.split_once(':')?;
    let kind = Kind::parse(kind)?;
    (!slug.is_empty()).then_some((kind, slug))
}

/// The public ID of a record (see [`Key::public_id`]).
pub fn public_id(kind: Kind, slug: &str) -> String {
    URL_SAFE_NO_PAD.encode(record_key(kind, slug))
}

/// Decodes a public ID back into kind and slug; `None` for anything that is not a valid ID.
pub fn parse_public_id(id: &str) -> Option<(Kind, String)> {
    Key::from_public_id(id).map(|k| (k.kind, k.slug))
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
        let key = Key::new(Kind::Platform, "nansha-port");
        assert_eq!(key.to_string(), "platform:nansha-port");
        assert_eq!("platform:nansha-port".parse::<Key>(), Ok(key.clone()));
        assert_eq!(Key::from_public_id(&key.public_id()), Some(key));
        assert_eq!("planet:earth".parse::<Key>(), Err(BadKey));
        assert_eq!("zone:".parse::<Key>(), Err(BadKey));
        assert_eq!(
            parse_public_id(&URL_SAFE_NO_PAD.encode("planet:earth")),
            None
        );
    }
}
