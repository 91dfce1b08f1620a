//! Partner feeds: `loader import FILE --feed NAME`. A feed is NDJSON (one record per line) or CSV
//! (a header row, one record per row) in the seed record format plus a `type` field. It is read
//! record by record and checked exactly like the seeds, against the stored records and sources it
//! references, and written in one transaction under `origin = feed:NAME`: a later feed from the
//! same partner updates its records and retracts (deletes, with tombstones) the ones it no longer
//! carries; curated records and other partners' records are never touched.
use std::path::Path;

use indicatif::ProgressBar;
use sea_orm::DatabaseConnection;
use serde_json::{Map, Value};

use crate::convert::{Converter, Lines};
use crate::node::{Loc, Problem};
use crate::read::SeedSet;
use crate::seed::*;
use crate::validate::{Policy, validate_with};
use crate::write::MentionScope;
use crate::{LoadError, Summary, write};

mod context;
mod parse;

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
    let input = std::fs::File::open(file).map_err(|source| LoadError::Io {
        path: name.clone(),
        source,
    })?;
    let input = std::io::BufReader::new(input);
    let origin = origin(feed);
    let mut set = SeedSet::default();
    let mut problems = vec![];
    let each = |r: parse::Record, problems: &mut Vec<Problem>| {
        convert(&name, r, &mut set, problems);
    };
    let read = if name.ends_with(".csv") {
        parse::csv(input, &name, &mut problems, each)
    } else {
        parse::ndjson(input, &name, &mut problems, each)
    };
    if let Err(stop) = read {
        return Err(LoadError::Invalid(vec![stop]));
    }
    let wanted = context::Wanted::of(&set.nodes);
    let (existing, sources) = context::read(db, &origin, &wanted).await?;
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
    let scope = MentionScope::StoredSources;
    write::write(db, &graph, &origin, allow_deletions, scope, progress).await
}

/// Turns one feed record into a node through the seed files' own parser, so both formats (and
/// the seeds) accept exactly the same fields.
fn convert(name: &str, r: parse::Record, set: &mut SeedSet, problems: &mut Vec<Problem>) {
    let lines = Lines::fixed(name, r.line);
    let at = lines.loc(0);
    if !KINDS.contains(&r.kind.as_str()) {
        problems.push(Problem::new(
            &at,
            format!(
                "unknown type \"{}\" (feeds carry {} records)",
                r.kind,
                KINDS.join(", ")
            ),
        ));
        return;
    }
    let doc = Value::Object(Map::from_iter([(
        r.kind,
        Value::Array(vec![without_nulls(Value::Object(r.fields))]),
    )]));
    // One record's text at a time: the seed parser reads TOML with spans, which only a TOML
    // document provides.
    let parsed = toml::Value::try_from(doc)
        .map_err(|e| e.to_string())
        .and_then(|v| toml::to_string(&v).map_err(|e| e.to_string()))
        .and_then(|t| toml::from_str::<SeedFile>(&t).map_err(|e| e.message().trim().to_owned()));
    let file = match parsed {
        Ok(file) => file,
        Err(e) => {
            problems.push(Problem::new(&at, e));
            return;
        }
    };
    let mut c = Converter {
        lines: &lines,
        problems,
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
