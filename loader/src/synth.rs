//! `loader synth`: writes a valid synthetic seed set N times the size of a real one, with the real
//! graph's shape. Copy `i` of every record gets the slug suffix `-s<i>`, and every Chinese character
//! of its names, quotes and source texts is shifted by an amount that depends on `i`. The shift is
//! applied character by character, so every quote is still found verbatim, every name still occurs
//! in its sources and every relation keeps its evidence, while copies do not mention each other.
use entity::vocab::{Qualifier, Vocabulary};
use std::path::Path;

use toml::{Table, Value};

use crate::error::LoadError;
use crate::read::kind_files;

/// Fields holding a slug or a reference to one.
const SLUG_FIELDS: &[&str] = &[
    "slug",
    "parent",
    "broader",
    "zone",
    "platform",
    "organization",
    "document",
    "issuer_zone",
    "issuer_organization",
    "source",
    "sectors",
    "projects",
    "expands_to",
    // The relation a `contextual` entry marks.
    "sector",
    "project",
];

/// Fields holding text from the sources (shifted with the source texts).
const TEXT_FIELDS: &[&str] = &[
    "name_zh",
    "aliases",
    "quote",
    "title_zh",
    "value_text",
    "event_zh",
    "text",
    "form",
    "term",
];

const CJK_FIRST: u32 = 0x4E00;
const CJK_LEN: u32 = 0x9FFF - 0x4E00 + 1;

fn shift_char(c: char, by: u32) -> char {
    let code = c as u32;
    if (CJK_FIRST..CJK_FIRST + CJK_LEN).contains(&code) {
        char::from_u32(CJK_FIRST + (code - CJK_FIRST + by) % CJK_LEN).unwrap_or(c)
    } else {
        c
    }
}

/// Copy `i`'s character shift (copy 0 is shifted too, so no copy equals the real graph).
fn shift_for(copy: usize) -> u32 {
    ((copy as u32 + 1) * 7_919) % CJK_LEN
}

fn shift_text(s: &str, by: u32) -> String {
    s.chars().map(|c| shift_char(c, by)).collect()
}

fn rewrite(value: &mut Value, field: &str, copy: usize) {
    match value {
        Value::String(s) if field == "subject" || field == "names" => {
            if let Some((kind, slug)) = s.split_once(':') {
                *s = entity::ids::record_key(kind, &format!("{slug}-s{copy}"));
            }
        }
        Value::String(s) if SLUG_FIELDS.contains(&field) => *s = format!("{s}-s{copy}"),
        Value::String(s) if TEXT_FIELDS.contains(&field) => *s = shift_text(s, shift_for(copy)),
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite(v, field, copy)),
        Value::Table(t) => {
            for (k, v) in t.iter_mut() {
                rewrite(v, k, copy);
            }
        }
        _ => {}
    }
}

/// A shifted figure's qualifier is what its shifted quote states: shifting turns 超过 into other
/// characters (and may, rarely, turn another character into one that qualifies).
fn requalify(metric: &mut Value) {
    let Some(t) = metric.as_table_mut() else {
        return;
    };
    let text = t.get("value_text").and_then(Value::as_str).unwrap_or("");
    let stated = t
        .get("citations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("quote").and_then(Value::as_str))
        .find_map(|quote| crate::figure::stated(quote, text))
        .unwrap_or(Qualifier::Exact);
    t.insert("qualifier".into(), Value::String(stated.as_str().into()));
    if stated == Qualifier::Range {
        let value = t.get("value").and_then(Value::as_float).unwrap_or(0.0);
        t.entry("value_max").or_insert(Value::Float(value + 1.0));
    } else {
        t.remove("value_max");
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> LoadError + '_ {
    move |source| LoadError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Writes `scale` shifted copies of the seeds in `from` into `out`.
pub fn synthesize(from: &Path, out: &Path, scale: usize) -> Result<(), LoadError> {
    // The copies are only valid if the original is.
    crate::check(from)?;
    let out_sources = out.join("sources");
    std::fs::create_dir_all(&out_sources).map_err(io(&out_sources))?;
    for (file, key) in kind_files() {
        let path = from.join(&file);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let table: Table = toml::from_str(&text).map_err(|e| LoadError::Io {
            path: path.display().to_string(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let records = table
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut copies = Vec::with_capacity(records.len() * scale);
        for copy in 0..scale {
            for r in &records {
                let mut r = r.clone();
                rewrite(&mut r, "", copy);
                if key == "metric" {
                    requalify(&mut r);
                }
                copies.push(r);
            }
        }
        let mut doc = Table::new();
        doc.insert(key.to_owned(), Value::Array(copies));
        let body = toml::to_string(&doc).map_err(|e| LoadError::Io {
            path: file.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let header = format!(
            "# Synthetic seeds: {scale} shifted copies of {}. Generated by `loader synth`; do not edit.\n",
            path.display()
        );
        let target = out.join(&file);
        std::fs::write(&target, header + &body).map_err(io(&target))?;
    }
    let sources = from.join("sources");
    let mut entries: Vec<_> = std::fs::read_dir(&sources)
        .map_err(io(&sources))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    entries.sort();
    for txt in entries {
        let Some(stem) = txt.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let body = std::fs::read_to_string(&txt).map_err(io(&txt))?;
        let meta_path = txt.with_extension("toml");
        let meta = std::fs::read_to_string(&meta_path).map_err(io(&meta_path))?;
        for copy in 0..scale {
            let name = format!("{stem}-s{copy}");
            let t = out_sources.join(format!("{name}.txt"));
            std::fs::write(&t, shift_text(&body, shift_for(copy))).map_err(io(&t))?;
            let m = out_sources.join(format!("{name}.toml"));
            std::fs::write(&m, &meta).map_err(io(&m))?;
        }
    }
    Ok(())
}
