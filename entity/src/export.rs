//! A record as data partners receive it (exports, the change feed, GraphQL `changes`) and its
//! content hash. Each list a record carries is built here from rows keyed by column name, so
//! the API (from the rows it reads) and the loader (from the rows it is about to write) build
//! the same record, and a partner can recompute the hash from what it received.
use sea_orm::EntityTrait;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::ids::{Kind, parse_record_key, public_id};
use crate::relation::junctions;
use crate::{alias, citation, mention, milestone, partnership_party};

/// A table row by column name: a sea-orm `Model` serialised, or the loader's cells named.
pub type Row = Map<String, Value>;

/// Fields the content hash leaves out: the hash itself, when and by whom the record was last
/// written, and mentions (derived from the source texts, not stated by the record).
pub const UNHASHED: [&str; 4] = ["content_hash", "updated_at", "origin", "mentions"];

/// The lists a record of `kind` carries besides its own columns, in export order.
pub fn list_fields(kind: Kind) -> Vec<&'static str> {
    let mut fields = vec!["aliases", "citations"];
    // A source is what mentions point into; it has none of its own.
    if kind != Kind::Source {
        fields.push("mentions");
    }
    fields.extend(
        junctions()
            .filter(|(d, _)| d.from == kind)
            .map(|(d, _)| d.forward),
    );
    match kind {
        Kind::Project => fields.push("milestones"),
        Kind::Partnership => fields.push("parties"),
        _ => {}
    }
    fields
}

fn table<E: EntityTrait + Default>() -> &'static str {
    E::default().table_name()
}

/// The list a row of `table` belongs to in its owner's record, and the item it adds there;
/// `None` for a table whose rows are not part of a record (or an unknown table). Takes the row so
/// its values move into the item rather than being copied (an export builds one per row).
pub fn item(table_name: &str, mut row: Row) -> Option<(&'static str, Value)> {
    // Both callers name every column of the table (a model serialised whole, or the loader's
    // column list of the same entity), so a missing key does not occur; it would read as null
    // and the export test, which recomputes every hash, would fail.
    let mut v = |column: &str| row.remove(column).unwrap_or(Value::Null);
    let item = if table_name == table::<alias::Entity>() {
        ("aliases", v("alias"))
    } else if table_name == table::<citation::Entity>() {
        let target = v("target").as_str().and_then(target_id);
        let item = json!({
            "relation": v("relation"), "target": target, "source": v("source"),
            "source_url": v("source_url"), "quote": v("quote"), "start": v("start_offset"),
            "end": v("end_offset"), "note": v("note"),
        });
        ("citations", item)
    } else if table_name == table::<mention::Entity>() {
        let item = json!({
            "source": v("source"), "start": v("start_offset"), "end": v("end_offset"),
            "surface": v("surface"),
        });
        ("mentions", item)
    } else if table_name == table::<milestone::Entity>() {
        let item = own(&mut v, &["date", "date_note", "event_zh", "event_en"]);
        ("milestones", item)
    } else if table_name == table::<partnership_party::Entity>() {
        let item = own(&mut v, &["role", "zone", "platform", "organization"]);
        ("parties", item)
    } else {
        // A junction: the target's slug, or `{<target column>, <role column>}` with a role.
        let (def, j) = junctions().find(|(_, j)| j.table == table_name)?;
        let item = match j.role {
            None => v(j.target),
            Some(role) => json!({ j.target: v(j.target), role: v(role) }),
        };
        (def.forward, item)
    };
    Some(item)
}

/// The item of a row's `columns`, each under its own name (`v` takes a column's value).
fn own(mut v: impl FnMut(&str) -> Value, columns: &[&str]) -> Value {
    Value::Object(columns.iter().map(|&c| (c.to_owned(), v(c))).collect())
}

/// Appends `item` to `record`'s list `field`.
pub fn push(record: &mut Row, field: &str, item: Value) {
    match record.get_mut(field) {
        Some(Value::Array(items)) => items.push(item),
        _ => {
            record.insert(field.to_owned(), Value::Array(vec![item]));
        }
    }
}

/// Completes a record of `kind` from its table row and lists: `id`, `type`, and an empty list
/// for every list it has no item in.
pub fn finish(kind: Kind, slug: &str, record: &mut Row) {
    record.insert("id".to_owned(), json!(public_id(kind, slug)));
    record.insert("type".to_owned(), json!(kind.as_str()));
    for field in list_fields(kind) {
        record.entry(field).or_insert_with(|| json!([]));
    }
}

/// The public ID of a citation's relation target, stored as `kind:slug`; `None` for a target
/// that is not a record (a milestone's citation names the milestone's position).
pub fn target_id(target: &str) -> Option<String> {
    let (kind, slug) = parse_record_key(target)?;
    Some(public_id(kind, slug))
}

/// A record's content hash: the SHA-256 (hex) of its canonical JSON without [`UNHASHED`].
/// Canonical: object keys sorted, array items sorted by their own canonical text, no spaces,
/// strings as `serde_json` (and Python's `json.dumps(…, ensure_ascii=False)`) write them.
/// Order-free, so a list's order in a response never changes the hash (docs/feeds.md).
pub fn content_hash(record: &Row) -> String {
    let mut text = Vec::with_capacity(1024);
    let hashed = record
        .iter()
        .filter(|(k, _)| !UNHASHED.contains(&k.as_str()));
    write_object(hashed, &mut text);
    hex::encode(Sha256::digest(&text))
}

/// Writes `fields` as a canonical object: keys sorted, values canonical.
fn write_object<'v>(fields: impl Iterator<Item = (&'v String, &'v Value)>, out: &mut Vec<u8>) {
    let mut fields: Vec<(&String, &Value)> = fields.collect();
    fields.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out.push(b'{');
    for (i, (k, v)) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_json(k.as_str(), out);
        out.push(b':');
        write_canonical(v, out);
    }
    out.push(b'}');
}

fn write_canonical(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Object(m) => write_object(m.iter(), out),
        Value::Array(items) => {
            let mut texts: Vec<Vec<u8>> = items
                .iter()
                .map(|item| {
                    let mut text = Vec::new();
                    write_canonical(item, &mut text);
                    text
                })
                .collect();
            texts.sort_unstable();
            out.push(b'[');
            for (i, text) in texts.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(text);
            }
            out.push(b']');
        }
        scalar => write_json(scalar, out),
    }
}

fn write_json<T: serde::Serialize + ?Sized>(v: &T, out: &mut Vec<u8>) {
    // `serde_json` fails only on a failing writer or a map with non-string keys; a Vec never
    // fails and a string or scalar is no map.
    serde_json::to_writer(&mut *out, v).expect("a string or scalar always serialises");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `v`'s canonical JSON text (see [`content_hash`]).
    fn canonical(v: &Value) -> String {
        let mut text = Vec::new();
        write_canonical(v, &mut text);
        String::from_utf8(text).expect("JSON text is UTF-8")
    }

    #[test]
    fn the_hash_ignores_order_and_unhashed_fields_but_not_content() {
        let a: Row = serde_json::from_str(
            r#"{"slug":"a","name_zh":"甲","aliases":["x","y"],"content_hash":"1","origin":"seeds"}"#,
        )
        .unwrap();
        let b: Row = serde_json::from_str(
            r#"{"aliases":["y","x"],"origin":"feed:p","name_zh":"甲","slug":"a","mentions":[1]}"#,
        )
        .unwrap();
        assert_eq!(content_hash(&a), content_hash(&b));
        let mut c = a.clone();
        c.insert("name_zh".to_owned(), json!("乙"));
        assert_ne!(content_hash(&a), content_hash(&c));
        let mut d = a.clone();
        d.insert("aliases".to_owned(), json!(["x"]));
        assert_ne!(content_hash(&a), content_hash(&d));
    }

    #[test]
    fn canonical_text_is_what_python_json_dumps_writes() {
        // The sorted keys and compact separators of `json.dumps(v, ensure_ascii=False,
        // sort_keys=True, separators=(",", ":"))`, for one value of every kind.
        let v: Value =
            serde_json::from_str(r#"{"b":[2,1.5,"中\n\"q\""],"a":null,"c":{"y":true,"x":-3}}"#)
                .unwrap();
        assert_eq!(
            canonical(&v),
            r#"{"a":null,"b":["中\n\"q\"",1.5,2],"c":{"x":-3,"y":true}}"#
        );
    }
}
