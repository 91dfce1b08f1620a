//! Partner feeds: `loader import FILE --feed NAME`. A feed is NDJSON (one record per line) or CSV
//! (a header row, one record per row) in the seed record format plus a `type` field. It is checked
//! exactly like the seeds, against the records already in the database, and written in one
//! transaction under `origin = feed:NAME`: a later feed from the same partner updates its records
//! and retracts (deletes, with tombstones) the ones it no longer carries; curated records and other
//! partners' records are never touched.
use std::path::Path;

use entity::ids::Kind;
use entity::*;
use indicatif::ProgressBar;
use sea_orm::{DatabaseConnection, EntityTrait};
use serde_json::{Map, Value};

use crate::convert::{Converter, Lines};
use crate::node::{Loc, Node, Problem};
use crate::read::{SeedSet, SourceDoc};
use crate::seed::*;
use crate::validate::{Policy, validate_with};
use crate::{LoadError, Summary, write};

/// Fields whose CSV cells hold JSON (lists, tables, numbers, booleans).
const JSON_FIELDS: &[&str] = &[
    "aliases",
    "sectors",
    "projects",
    "parties",
    "milestones",
    "citations",
    "value",
    "area_km2",
    "year",
    "is_target",
    "descriptive_name",
];

/// Record types a feed may carry.
const KINDS: &[&str] = &[
    "zone",
    "platform",
    "project",
    "organization",
    "document",
    "sector",
    "partnership",
    "metric",
];

/// JSON nulls mean "absent" (TOML has no null).
fn without_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// The origin a feed's records carry.
pub fn origin(feed: &str) -> String {
    format!("feed:{feed}")
}

/// Imports `file` as partner feed `feed`; all or nothing.
pub async fn import(
    db: &DatabaseConnection,
    file: &Path,
    feed: &str,
    progress: &ProgressBar,
) -> Result<Summary, LoadError> {
    import_with(db, file, feed, false, progress).await
}

/// `import`; with `allow_deletions`, the feed may retract any share of its earlier records.
pub async fn import_with(
    db: &DatabaseConnection,
    file: &Path,
    feed: &str,
    allow_deletions: bool,
    progress: &ProgressBar,
) -> Result<Summary, LoadError> {
    let name = file.display().to_string();
    let at = Loc {
        file: name.clone().into(),
        line: 1,
    };
    if !crate::vocab::is_valid_slug(feed) {
        return Err(LoadError::Invalid(vec![Problem::new(
            &at,
            format!("feed name \"{feed}\" must be lowercase kebab-case"),
        )]));
    }
    let bytes = std::fs::read(file).map_err(|source| LoadError::Io {
        path: name.clone(),
        source,
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let problem = crate::read::invalid_utf8(&name, e.as_bytes(), e.utf8_error());
            return Err(LoadError::Invalid(vec![problem]));
        }
    };
    let origin = origin(feed);
    let mut set = SeedSet::default();
    let mut problems = vec![];
    let records = if name.ends_with(".csv") {
        csv_records(&text, &name, &mut problems)
    } else {
        ndjson_records(&text, &name, &mut problems)
    };
    let all = Lines::new(&name, &text);
    for (offset, kind, record) in records {
        let line = all.loc(offset).line;
        let lines = Lines::fixed(&name, line);
        let at = lines.loc(0);
        if !KINDS.contains(&kind.as_str()) {
            problems.push(Problem::new(
                &at,
                format!(
                    "unknown type \"{kind}\" (feeds carry {} records)",
                    KINDS.join(", ")
                ),
            ));
            continue;
        }
        // The record goes through the seed files' own parser, so both formats accept exactly the same fields.
        let doc = Value::Object(Map::from_iter([(
            kind.clone(),
            Value::Array(vec![without_nulls(Value::Object(record))]),
        )]));
        let parsed = toml::Value::try_from(doc)
            .map_err(|e| e.to_string())
            .and_then(|v| toml::to_string(&v).map_err(|e| e.to_string()))
            .and_then(|t| {
                toml::from_str::<SeedFile>(&t).map_err(|e| e.message().trim().to_owned())
            });
        match parsed {
            Ok(file) => {
                let mut c = Converter {
                    lines: &lines,
                    problems: &mut problems,
                };
                set.nodes.extend(file.zone.iter().map(|s| c.zone(s)));
                set.nodes
                    .extend(file.platform.iter().map(|s| c.platform(s)));
                set.nodes.extend(file.project.iter().map(|s| c.project(s)));
                set.nodes
                    .extend(file.organization.iter().map(|s| c.organization(s)));
                set.nodes
                    .extend(file.document.iter().map(|s| c.document(s)));
                set.nodes.extend(file.sector.iter().map(|s| c.sector(s)));
                set.nodes
                    .extend(file.partnership.iter().map(|s| c.partnership(s)));
                set.nodes.extend(file.metric.iter().map(|s| c.metric(s)));
            }
            Err(e) => problems.push(Problem::new(&at, e)),
        }
    }
    let (existing, sources) = context(db, &origin).await?;
    set.nodes.extend(existing);
    set.sources = sources;
    let graph = validate_with(
        set,
        problems,
        Policy {
            allow_source_urls: true,
        },
    )
    .map_err(LoadError::Invalid)?;
    write::write(db, &graph, &origin, allow_deletions, progress).await
}

/// Records from NDJSON: (byte offset of the line, type, fields).
fn ndjson_records(
    text: &str,
    name: &str,
    problems: &mut Vec<Problem>,
) -> Vec<(usize, String, Map<String, Value>)> {
    let mut out = vec![];
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        if line.trim().is_empty() {
            continue;
        }
        let at = Loc {
            file: name.into(),
            line: i + 1,
        };
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(mut obj)) => match obj.remove("type") {
                Some(Value::String(t)) => out.push((start, t, obj)),
                _ => problems.push(Problem::new(&at, "a record needs a string \"type\"")),
            },
            Ok(_) => problems.push(Problem::new(&at, "each line must be one JSON object")),
            Err(e) => problems.push(Problem::new(&at, format!("not JSON: {e}"))),
        }
    }
    out
}

/// Records from CSV: a header row names the fields; JSON_FIELDS cells hold JSON, others text.
fn csv_records(
    text: &str,
    name: &str,
    problems: &mut Vec<Problem>,
) -> Vec<(usize, String, Map<String, Value>)> {
    let rows = parse_csv(text);
    let Some((_, header)) = rows.first() else {
        return vec![];
    };
    let mut out = vec![];
    for (offset, cells) in rows.iter().skip(1) {
        let line = text[..*offset].matches('\n').count() + 1;
        let at = Loc {
            file: name.into(),
            line,
        };
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        if cells.len() != header.len() {
            problems.push(Problem::new(
                &at,
                format!("{} cells, the header has {}", cells.len(), header.len()),
            ));
            continue;
        }
        let mut obj = Map::new();
        let mut kind = None;
        for (field, cell) in header.iter().zip(cells) {
            if cell.is_empty() {
                continue;
            }
            if field == "type" {
                kind = Some(cell.clone());
            } else if JSON_FIELDS.contains(&field.as_str()) {
                match serde_json::from_str(cell) {
                    Ok(v) => {
                        obj.insert(field.clone(), v);
                    }
                    Err(e) => problems.push(Problem::new(&at, format!("{field}: not JSON: {e}"))),
                }
            } else {
                obj.insert(field.clone(), Value::String(cell.clone()));
            }
        }
        match kind {
            Some(k) => out.push((*offset, k, obj)),
            None => problems.push(Problem::new(&at, "a record needs a \"type\" cell")),
        }
    }
    out
}

/// The rows of a CSV text (RFC 4180, with the `csv` crate), each with the byte offset of its
/// first line, so problems name the line a record starts on even when a cell spans lines.
fn parse_csv(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = vec![];
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let start = record.position().map_or(0, |p| p.byte() as usize);
                // After a CRLF the reader's position is on the LF; the record starts past it.
                let start = start + usize::from(text.as_bytes().get(start) == Some(&b'\n'));
                rows.push((start, record.iter().map(str::to_owned).collect()));
            }
            Ok(false) => break,
            // Only invalid UTF-8 fails here, and the text is already a `str`.
            Err(e) => {
                tracing::warn!(error = %e, "unreadable CSV row skipped");
                break;
            }
        }
    }
    rows
}

/// The records already in the database (except this feed's own) as external nodes, so references
/// resolve and evidence can name them; and the source texts quotes are checked against.
async fn context(
    db: &DatabaseConnection,
    origin: &str,
) -> Result<(Vec<Node>, Vec<SourceDoc>), LoadError> {
    let at = Loc {
        file: "database".into(),
        line: 1,
    };
    let mut nodes = vec![];
    let mut push = |kind: Kind, slug: String, name: String, record_origin: String| {
        if record_origin != origin {
            nodes.push(Node {
                kind,
                slug,
                at: at.clone(),
                name_zh: name,
                descriptive_name: false,
                aliases: vec![],
                citations: vec![],
                columns: vec![],
                relations: vec![],
                milestones: vec![],
                value_text: None,
                external: true,
                content_hash: None,
            });
        }
    };
    for m in zone::Entity::find().all(db).await? {
        push(Kind::Zone, m.slug, m.name_zh, m.origin);
    }
    for m in platform::Entity::find().all(db).await? {
        push(Kind::Platform, m.slug, m.name_zh, m.origin);
    }
    for m in project::Entity::find().all(db).await? {
        push(Kind::Project, m.slug, m.name_zh, m.origin);
    }
    for m in organization::Entity::find().all(db).await? {
        push(Kind::Organization, m.slug, m.name_zh, m.origin);
    }
    for m in document::Entity::find().all(db).await? {
        push(Kind::Document, m.slug, m.title_zh, m.origin);
    }
    for m in sector::Entity::find().all(db).await? {
        push(Kind::Sector, m.slug, m.name_zh, m.origin);
    }
    for m in partnership::Entity::find().all(db).await? {
        push(Kind::Partnership, m.slug, m.name_zh, m.origin);
    }
    for m in metric::Entity::find().all(db).await? {
        push(Kind::Metric, m.slug, m.name_zh, m.origin);
    }
    // One lookup per alias (a hash map over the records), not a scan of every record.
    let position: std::collections::HashMap<(Kind, String), usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| ((n.kind, n.slug.clone()), i))
        .collect();
    for a in alias::Entity::find().all(db).await? {
        if let Some(kind) = Kind::parse(&a.entity_kind)
            && let Some(&i) = position.get(&(kind, a.entity_slug))
        {
            nodes[i].aliases.push(a.alias);
        }
    }
    let sources = source::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| SourceDoc {
            slug: s.slug,
            body: s.body,
            meta: SourceMeta {
                title: s.title,
                publisher: s.publisher,
                reporter: s.reporter,
                date: s.date,
                date_note: s.date_note,
                original_file: s.original_file,
            },
            at: at.clone(),
        })
        .collect();
    Ok((nodes, sources))
}

#[cfg(test)]
mod tests {
    use super::parse_csv;

    #[test]
    fn csv_cells_may_quote_commas_quotes_and_newlines() {
        let rows = parse_csv("a,b\r\n\"x, \"\"y\"\"\",\"line\nbreak\"\n");
        assert_eq!(
            rows[1].1,
            vec!["x, \"y\"".to_owned(), "line\nbreak".to_owned()]
        );
        assert_eq!(rows[1].0, 5);
    }
}
