//! Public record IDs: opaque, derived from the record kind and its slug only, so the same record has
//! the same ID across reloads, databases and machines.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Declares every record kind once — its variant, its name in IDs, its table (also its seed
/// file's stem), the column holding its Chinese name, its Chinese label and its sea-orm entity
/// module — and derives from that one list [`Kind`], [`Kind::ALL`], the lookups below, each
/// entity's [`KindOf`], [`for_each_kind!`](crate::for_each_kind),
/// [`if_same_kind!`](crate::if_same_kind) and [`with_entity!`](crate::with_entity). Adding a kind
/// starts here.
///
/// `$d` is a `$` passed in, so the generated macros can have metavariables of their own.
macro_rules! kinds {
    ($d:tt $($(#[$doc:meta])* $kind:ident = $name:literal, $table:literal, $name_column:literal,
        $zh:literal, $module:ident;)*) => {
        /// The kinds of record that have a public ID, with the name used inside the ID.
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
            serde::Deserialize,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum Kind {
            $($(#[$doc])* $kind,)*
        }

        impl Kind {
            pub const ALL: [Kind; [$($name),*].len()] = [$(Kind::$kind),*];

            /// The registry's line for this kind.
            const fn about(self) -> About {
                match self {
                    $(Kind::$kind => About {
                        name: $name,
                        table: $table,
                        name_column: $name_column,
                        label_zh: $zh,
                    },)*
                }
            }
        }

        $(impl KindOf for $crate::$module::Entity {
            const KIND: Kind = Kind::$kind;
        })*

        /// `for_each_kind!(callback! { args })`: expands to `callback! { args Kind module, … }`
        /// with every kind's variant and entity module, in [`Kind::ALL`] order — for code that
        /// needs an item per kind (a field, a statement) where `with_entity!` picks one kind's
        /// entity at run time.
        #[macro_export]
        macro_rules! for_each_kind {
            ($d callback:ident! { $d($d args:tt)* }) => {
                $d callback! { $d($d args)* $($kind $module,)* }
            };
        }

        /// `if_same_kind!(A, B, { yes } else { no })`: `yes` when `A` and `B` name the same
        /// kind, `no` otherwise — how a macro keeps, of rows about every kind, those about one.
        #[macro_export]
        macro_rules! if_same_kind {
            $(($kind, $kind, { $d($d yes:tt)* } else { $d($d no:tt)* }) => { $d($d yes)* };)*
            ($d a:ident, $d b:ident, { $d($d yes:tt)* } else { $d($d no:tt)* }) => { $d($d no)* };
        }

        /// `with_entity!(kind, E => body)`: evaluates `body` with the type `E` naming the sea-orm
        /// entity of `kind`'s records — the one place a kind's entity is chosen, so code generic
        /// over entities serves every kind without a `match` of its own.
        #[macro_export]
        macro_rules! with_entity {
            ($d k:expr, $d entity:ident => $d body:expr) => {
                match $d k {
                    $($crate::ids::Kind::$kind => {
                        type $d entity = $crate::$module::Entity;
                        $d body
                    })*
                }
            };
        }
    };
}

/// The kind of an entity's records: `with_entity!` the other way round.
pub trait KindOf {
    const KIND: Kind;
}

/// A kind's line in the registry (see `kinds!`).
struct About {
    name: &'static str,
    table: &'static str,
    name_column: &'static str,
    label_zh: &'static str,
}

kinds! { $
    Source = "source", "sources", "title", "来源", source;
    Zone = "zone", "zones", "name_zh", "区域", zone;
    Platform = "platform", "platforms", "name_zh", "平台", platform;
    Project = "project", "projects", "name_zh", "项目", project;
    Organization = "organization", "organizations", "name_zh", "机构", organization;
    Document = "document", "documents", "title_zh", "政策文件", document;
    Sector = "sector", "sectors", "name_zh", "产业", sector;
    Partnership = "partnership", "partnerships", "name_zh", "合作", partnership;
    Metric = "metric", "metrics", "name_zh", "数据", metric;
}

impl Kind {
    /// The lowercase name used in IDs, citations, aliases and the change log (`zone`,
    /// `platform` …).
    pub const fn as_str(self) -> &'static str {
        self.about().name
    }

    /// The table that holds records of this kind (and the stem of its seed file).
    pub const fn table(self) -> &'static str {
        self.about().table
    }

    /// The column holding a record's name as written in the sources (a title for sources and
    /// documents).
    pub const fn name_column(self) -> &'static str {
        self.about().name_column
    }

    /// The kind's name in Chinese (区域, 平台 …).
    pub const fn label_zh(self) -> &'static str {
        self.about().label_zh
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
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
        public_id(self.kind, &self.slug)
    }

    /// Decodes a public ID; `None` for anything that is not a valid ID.
    pub fn from_public_id(id: &str) -> Option<Key> {
        let bytes = URL_SAFE_NO_PAD.decode(id).ok()?;
        String::from_utf8(bytes).ok()?.parse().ok()
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&KeyText(self.kind, &self.slug), f)
    }
}

/// How a key is written, `kind:slug`: the one place the form is spelled out ([`Key`]'s
/// `Display`, [`record_key`] and public IDs all write through it; [`parse_record_key`] reads it).
struct KeyText<'a, K>(K, &'a str);

impl<K: std::fmt::Display> std::fmt::Display for KeyText<'_, K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.0, self.1)
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
        let (kind, slug) = parse_record_key(text).ok_or(BadKey)?;
        Ok(Key::new(kind, slug))
    }
}

/// A record's key as text, `kind:slug` (see [`Key`]).
pub fn record_key(kind: impl std::fmt::Display, slug: &str) -> String {
    KeyText(kind, slug).to_string()
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
    fn each_kind_names_its_table_name_column_and_entity_consistently() {
        use sea_orm::{EntityName, IdenStatic, Iterable};
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
            let (table, columns): (&str, Vec<&str>) = with_entity!(kind, E => (
                E::default().table_name(),
                <E as sea_orm::EntityTrait>::Column::iter().map(|c| c.as_str()).collect(),
            ));
            assert_eq!(table, kind.table(), "{kind}: entity and table");
            assert!(
                columns.contains(&kind.name_column()),
                "{kind}: no column {}",
                kind.name_column()
            );
        }
    }

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
