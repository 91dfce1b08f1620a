//! Feeds for data partners over HTTP: bulk exports (`/export/{kind}.ndjson|csv`,
//! `/export/graph.ndjson`, their `.sha256` companions) and the change feed
//! (`/changes?since=CURSOR`). Each response is read inside one snapshot transaction and streamed
//! in pages, states the change cursor it is consistent at in `Baygraph-Cursor`, and is complete
//! or visibly failed: NDJSON ends with an end line carrying count, cursor and SHA-256, and a
//! failure midway aborts the connection (see `stream`).
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use entity::ids::{Kind, parse_public_id};
use sea_orm::{
    AccessMode, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, IsolationLevel,
    TransactionTrait,
};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::oneshot;

use crate::app::AppState;
use crate::records::{self, Select};
use crate::telemetry;

pub mod changelog;
pub mod stream;

pub use changelog::{ChangeRow, changes_after, parse_cursor, records_for};
use stream::{FeedBody, FeedError, Sink};

/// Records per statement while streaming.
const PAGE: u64 = 200;

/// Pages that may wait for a slow client; memory per download is bounded by this times a page.
const QUEUED_PAGES: usize = 2;

/// Records of `kind` per statement: sources carry their full text (tens of kilobytes each), so
/// they are read a few at a time and a page stays small whatever the corpus.
fn page_size(kind: Kind) -> u64 {
    match kind {
        Kind::Source => 20,
        _ => PAGE,
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Format {
    Ndjson,
    Csv,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Format::Ndjson => "application/x-ndjson; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8; header=present",
        }
    }
}

/// A read-only transaction that sees one consistent snapshot of the database.
pub async fn snapshot(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            db.begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await
        }
        // SQLite in WAL mode: a read transaction sees the snapshot of its first read.
        _ => db.begin().await,
    }
}

fn text(status: StatusCode, message: impl Into<String>) -> Response {
    (status, message.into()).into_response()
}

fn unavailable() -> Response {
    text(
        StatusCode::SERVICE_UNAVAILABLE,
        "the database is unavailable; retry shortly",
    )
}

/// A feed being produced: its body and the cursor of its snapshot.
struct Opened {
    body: FeedBody,
    cursor: i64,
}

/// Starts a feed: takes one of the feed slots (503 when all are busy), opens a snapshot, and runs
/// `produce` in its own task. The body ends cleanly only if `produce` returns its sink and the
/// end is written; an error (logged) or a panic ends it with an error instead.
async fn open<F, Fut>(state: &AppState, end_line: bool, produce: F) -> Result<Opened, Response>
where
    F: FnOnce(DatabaseTransaction, Sink, i64) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<Sink, FeedError>> + Send,
{
    let Ok(permit) = state.feed_slots.clone().try_acquire_owned() else {
        let mut r = text(
            StatusCode::SERVICE_UNAVAILABLE,
            "every feed slot is busy; retry shortly",
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return Err(r);
    };
    let idle = Duration::from_secs(state.limits.feed_idle_secs.max(1));
    let (sink, body) = Sink::new(QUEUED_PAGES, idle);
    let (cursor_tx, cursor_rx) = oneshot::channel::<i64>();
    let db = state.db.clone();
    tokio::spawn(async move {
        let _permit = permit;
        let result = async {
            let txn = snapshot(&db).await?;
            let cursor = changelog::cursor(&txn).await?;
            if cursor_tx.send(cursor).is_err() {
                return Err(FeedError::ClientGone);
            }
            let sink = produce(txn, sink, cursor).await?;
            sink.finish(end_line, cursor).await
        }
        .await;
        match result {
            Ok(digest) => {
                telemetry::count_feed("complete");
                tracing::debug!(records = digest.count, "feed sent");
            }
            Err(FeedError::ClientGone) => {
                telemetry::count_feed("abandoned");
                tracing::info!("feed abandoned by its client");
            }
            Err(e) => {
                telemetry::count_feed("failed");
                tracing::error!(error = %e, "feed failed midway; connection aborted");
            }
        }
    });
    match cursor_rx.await {
        Ok(cursor) => Ok(Opened { body, cursor }),
        Err(_) => Err(unavailable()),
    }
}

/// The streamed response of an opened feed.
fn respond(opened: Opened, format: Format, file: Option<&str>, etag: Option<&str>) -> Response {
    let mut response = Response::new(Body::from_stream(opened.body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    headers.insert("baygraph-cursor", HeaderValue::from(opened.cursor));
    if let Some(file) = file
        && let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Some(etag) = etag
        && let Ok(v) = HeaderValue::from_str(etag)
    {
        headers.insert(header::ETAG, v);
    }
    response
}

/// Where a resumed export starts: after this record of this kind.
struct Resume {
    kind: Kind,
    slug: String,
}

/// A page of records as NDJSON lines or CSV rows of `fields`.
fn render(
    format: Format,
    fields: &[&str],
    page: &[serde_json::Value],
) -> Result<String, FeedError> {
    match format {
        Format::Ndjson => Ok(page.iter().map(|r| r.to_string() + "\n").collect()),
        Format::Csv => {
            let mut csv = records::CsvPage::default();
            for r in page {
                csv.row(fields, r)?;
            }
            Ok(csv.finish()?)
        }
    }
}

/// A CSV header row.
fn csv_header(fields: &[&str]) -> Result<String, FeedError> {
    let mut csv = records::CsvPage::default();
    csv.header(fields)?;
    Ok(csv.finish()?)
}

/// Sends records of `kinds`, page by page, starting after `resume` when given.
async fn send_records(
    txn: &DatabaseTransaction,
    mut sink: Sink,
    kinds: &[Kind],
    format: Format,
    resume: Option<Resume>,
) -> Result<Sink, FeedError> {
    let start = resume
        .as_ref()
        .and_then(|r| kinds.iter().position(|k| *k == r.kind))
        .unwrap_or(0);
    for (i, &kind) in kinds.iter().enumerate().skip(start) {
        let mut after: Option<String> = match &resume {
            Some(r) if i == start => Some(r.slug.clone()),
            _ => None,
        };
        let fields = records::fields(kind);
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        if format == Format::Csv {
            sink.send(csv_header(&refs)?, 0).await?;
        }
        loop {
            let size = page_size(kind);
            let page = records::read(txn, kind, Select::After(after.as_deref(), size)).await?;
            let Some(last) = page.last() else { break };
            after = last["slug"].as_str().map(str::to_owned);
            sink.send(render(format, &refs, &page)?, page.len() as u64)
                .await?;
            if (page.len() as u64) < size || after.is_none() {
                break;
            }
        }
    }
    Ok(sink)
}

/// Sends the citations table, page by page, starting after the citation `after` when given.
async fn send_citations(
    txn: &DatabaseTransaction,
    mut sink: Sink,
    format: Format,
    mut after: Option<String>,
) -> Result<Sink, FeedError> {
    if format == Format::Csv {
        sink.send(csv_header(&records::CITATION_FIELDS)?, 0).await?;
    }
    loop {
        let page = records::citations(txn, after.as_deref(), PAGE).await?;
        sink.send(
            render(format, &records::CITATION_FIELDS, &page)?,
            page.len() as u64,
        )
        .await?;
        match page.last().and_then(|l| l["id"].as_str()) {
            Some(last) if page.len() as u64 == PAGE => after = Some(last.to_owned()),
            _ => return Ok(sink),
        }
    }
}

/// What an export path names.
struct Export {
    file: String,
    format: Format,
    /// Record kinds in order; empty for the citations table.
    kinds: Vec<Kind>,
    /// `.sha256`: the digest of the export rather than the export.
    digest_only: bool,
}

fn parse_export(path: &str) -> Option<Export> {
    let (file, digest_only) = match path.strip_suffix(".sha256") {
        Some(f) => (f, true),
        None => (path, false),
    };
    let (name, ext) = file.rsplit_once('.')?;
    let format = match ext {
        "ndjson" => Format::Ndjson,
        "csv" => Format::Csv,
        _ => return None,
    };
    // `citations` is the evidence of every record as one flat table; the rest are record kinds.
    let kinds: Vec<Kind> = match name {
        "graph" if format == Format::Ndjson => Kind::ALL.to_vec(),
        "citations" => Vec::new(),
        // Each kind's export is named after its table (`zones.ndjson`).
        _ => vec![Kind::ALL.into_iter().find(|k| k.table() == name)?],
    };
    Some(Export {
        file: file.to_owned(),
        format,
        kinds,
        digest_only,
    })
}

#[derive(Deserialize)]
pub struct ExportParams {
    /// Resume after this record: the `id` of the last record received (a citation's `id` for
    /// the citations export). The rest comes from a new snapshot; see `docs/feeds.md`.
    after: Option<String>,
}

/// `GET /export/{file}`: `zones.ndjson`, `platforms.csv` …, `graph.ndjson` (every record), or
/// any of them with `.sha256` appended for its digest.
pub async fn export(
    State(state): State<AppState>,
    Path(path): Path<String>,
    Query(params): Query<ExportParams>,
    headers: HeaderMap,
) -> Response {
    let Some(export) = parse_export(&path) else {
        return not_found(&path);
    };
    let resume = match (&params.after, export.kinds.is_empty()) {
        (None, _) | (Some(_), true) => None,
        (Some(id), false) => match parse_public_id(id) {
            Some((kind, slug)) if export.kinds.contains(&kind) => Some(Resume { kind, slug }),
            _ => {
                return text(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "after must be the id of a record in {} (the last one you received)",
                        export.file
                    ),
                );
            }
        },
    };
    // The data changes only when the change log advances, so the cursor makes a strong ETag
    // (for a whole export; a resumed one is a different representation).
    let etag = if params.after.is_none() && !export.digest_only {
        let Ok(cursor) = changelog::cursor(&state.db).await else {
            return unavailable();
        };
        let etag = format!("\"{cursor}-{}\"", export.file);
        if headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
        {
            let mut r = StatusCode::NOT_MODIFIED.into_response();
            if let Ok(v) = HeaderValue::from_str(&etag) {
                r.headers_mut().insert(header::ETAG, v);
            }
            return r;
        }
        Some(etag)
    } else {
        None
    };
    let Export {
        file,
        format,
        kinds,
        digest_only,
    } = export;
    let citations_after = params.after.filter(|_| kinds.is_empty());
    let end_line = format == Format::Ndjson && !digest_only;
    let opened = match open(&state, end_line, move |txn, sink, _| async move {
        if kinds.is_empty() {
            send_citations(&txn, sink, format, citations_after).await
        } else {
            send_records(&txn, sink, &kinds, format, resume).await
        }
    })
    .await
    {
        Ok(o) => o,
        Err(r) => return r,
    };
    if digest_only {
        return digest_response(opened, &file).await;
    }
    respond(opened, format, Some(&file), etag.as_deref())
}

/// `FILE.sha256`: `sha256sum`'s format (`HEX  FILE`), with the cursor and record count it is for.
async fn digest_response(opened: Opened, file: &str) -> Response {
    let cursor = opened.cursor;
    match opened.body.digest().await {
        Ok(d) => {
            let mut r = format!("{}  {file}\n", d.sha256).into_response();
            let h = r.headers_mut();
            h.insert("baygraph-cursor", HeaderValue::from(cursor));
            h.insert("baygraph-count", HeaderValue::from(d.count));
            r
        }
        Err(e) => {
            tracing::error!(error = %e, "digest of an export failed");
            unavailable()
        }
    }
}

fn not_found(file: &str) -> Response {
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.table()).collect();
    text(
        StatusCode::NOT_FOUND,
        format!(
            "no export \"{file}\"; try graph.ndjson or {{{},citations}}.{{ndjson,csv}}, \
             with .sha256 appended for a digest",
            kinds.join(",")
        ),
    )
}

#[derive(Deserialize)]
pub struct ChangesParams {
    /// Only changes after this cursor (a `Baygraph-Cursor` value); from the beginning when absent.
    since: Option<String>,
}

/// The answer for a cursor older than the change log's retention.
pub fn expired_message(since: i64, floor: i64) -> String {
    format!(
        "cursor {since} is older than the change log keeps deletions (it has purged up to \
         {floor}); download a fresh export and follow the changes from its Baygraph-Cursor"
    )
}

/// `GET /changes?since=CURSOR`: upserts (with the record as it is now) and deletions, in commit
/// order, then the end line.
pub async fn changes(
    State(state): State<AppState>,
    Query(params): Query<ChangesParams>,
) -> Response {
    let since = match params.since.as_deref().map(parse_cursor) {
        None => 0,
        Some(Some(n)) => n,
        Some(None) => {
            return text(
                StatusCode::BAD_REQUEST,
                "since must be a cursor from Baygraph-Cursor (a non-negative integer)",
            );
        }
    };
    match changelog::floor(&state.db).await {
        Ok(floor) if since > 0 && since < floor => {
            return text(StatusCode::GONE, expired_message(since, floor));
        }
        Ok(_) => {}
        Err(_) => return unavailable(),
    }
    let opened = match open(&state, true, move |txn, mut sink, _| async move {
        let mut after = since;
        loop {
            let page = changes_after(&txn, after, None, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            let mut records = records_for(&txn, &page).await?;
            let mut out = String::new();
            for c in &page {
                let Some(kind) = changelog::kind_of(c) else {
                    return Err(FeedError::Db(DbErr::Type(format!(
                        "change {} names an unknown kind {:?}",
                        c.seq, c.kind
                    ))));
                };
                let mut line = json!({
                    "cursor": c.seq.to_string(), "op": c.op, "type": c.kind,
                    "id": entity::ids::public_id(kind, &c.slug), "slug": c.slug, "at": c.at,
                });
                if c.op == "upsert" {
                    // An upserted record is in the same snapshot as its change row.
                    let Some(record) = records.remove(&(c.kind.clone(), c.slug.clone())) else {
                        return Err(FeedError::Db(DbErr::RecordNotFound(format!(
                            "{}:{} is in the change log but not in its table",
                            c.kind, c.slug
                        ))));
                    };
                    line["record"] = record;
                }
                out.push_str(&line.to_string());
                out.push('\n');
            }
            sink.send(out, page.len() as u64).await?;
        }
        Ok(sink)
    })
    .await
    {
        Ok(o) => o,
        Err(r) => return r,
    };
    respond(opened, Format::Ndjson, None, None)
}
