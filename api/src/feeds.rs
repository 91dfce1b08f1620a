//! Feeds for data partners over HTTP: bulk exports (`/export/{kind}.ndjson|csv`,
//! `/export/graph.ndjson`) and the change feed (`/changes?since=CURSOR`). Each response is read
//! inside one snapshot transaction and streamed in pages, so memory stays flat whatever the size,
//! and states the change cursor it is consistent at in `Baygraph-Cursor`.
use std::convert::Infallible;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use entity::ids::Kind;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Order, Query as Sql};
use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    IsolationLevel, TransactionTrait,
};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};

use crate::app::AppState;
use crate::index::change_cursor;
use crate::records::{self, KINDS, Select};

/// Records per statement while streaming.
const PAGE: u64 = 200;

/// Records of `kind` per statement: sources carry their full text (tens of kilobytes each), so
/// they are read a few at a time and a page stays small whatever the corpus.
fn page_size(kind: Kind) -> u64 {
    match kind {
        Kind::Source => 20,
        _ => PAGE,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Ndjson,
    Csv,
}

/// A read-only transaction that sees one consistent snapshot of the database.
async fn snapshot(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
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

type Chunk = Result<Bytes, Infallible>;

/// Streams what `produce` sends, with headers set once the snapshot's cursor is known.
async fn stream<F, Fut>(
    state: &AppState,
    content_type: &str,
    file: Option<String>,
    produce: F,
) -> Response
where
    F: FnOnce(DatabaseTransaction, mpsc::Sender<Chunk>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<(), DbErr>> + Send,
{
    // At most two pages wait for a slow client, so memory is bounded by the page size.
    let (tx, rx) = mpsc::channel::<Chunk>(2);
    let (cursor_tx, cursor_rx) = oneshot::channel::<i64>();
    let db = state.db.clone();
    tokio::spawn(async move {
        let result = async {
            let txn = snapshot(&db).await?;
            let cursor = change_cursor_in(&txn).await?;
            let _ = cursor_tx.send(cursor);
            produce(txn, tx).await
        }
        .await;
        if let Err(e) = result {
            // The status line is already sent; the stream ends early and the error is logged.
            tracing::error!(error = %e, "feed stream failed");
        }
    });
    let Ok(cursor) = cursor_rx.await else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "the database is unavailable",
        )
            .into_response();
    };
    let body = Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|c| (c, rx))
    }));
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&cursor.to_string()) {
        headers.insert("baygraph-cursor", v);
    }
    if let Some(file) = file {
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
            headers.insert(header::CONTENT_DISPOSITION, v);
        }
        if let Ok(v) = HeaderValue::from_str(&format!("\"{cursor}-{file}\"")) {
            headers.insert(header::ETAG, v);
        }
    }
    response
}

async fn change_cursor_in(txn: &DatabaseTransaction) -> Result<i64, DbErr> {
    let stmt = Sql::select()
        .expr(Func::max(Expr::col("seq")))
        .from("changes")
        .to_owned();
    Ok(txn
        .query_one(&stmt)
        .await?
        .and_then(|r| r.try_get_by_index::<Option<i64>>(0).ok().flatten())
        .unwrap_or(0))
}

/// Sends records of `kinds`, page by page; false when the client went away.
async fn send_records(
    txn: &DatabaseTransaction,
    tx: &mpsc::Sender<Chunk>,
    kinds: &[Kind],
    format: Format,
) -> Result<bool, DbErr> {
    for &kind in kinds {
        let mut after: Option<String> = None;
        let fields = records::fields(kind);
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        if format == Format::Csv
            && tx
                .send(Ok(Bytes::from(refs.join(",") + "\r\n")))
                .await
                .is_err()
        {
            return Ok(false);
        }
        loop {
            let size = page_size(kind);
            let page = records::read(txn, kind, Select::After(after.as_deref(), size)).await?;
            let Some(last) = page.last() else { break };
            after = last["slug"].as_str().map(str::to_owned);
            let mut out = String::new();
            for r in &page {
                match format {
                    Format::Ndjson => {
                        out.push_str(&r.to_string());
                        out.push('\n');
                    }
                    Format::Csv => out.push_str(&records::csv_line(&refs, r)),
                }
            }
            if tx.send(Ok(Bytes::from(out))).await.is_err() {
                return Ok(false);
            }
            if (page.len() as u64) < size {
                break;
            }
        }
    }
    Ok(true)
}

/// `GET /export/{file}`: `zones.ndjson`, `platforms.csv` …, or `graph.ndjson` (every record).
pub async fn export(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some((name, ext)) = file.rsplit_once('.') else {
        return not_found(&file);
    };
    let format = match ext {
        "ndjson" => Format::Ndjson,
        "csv" => Format::Csv,
        _ => return not_found(&file),
    };
    // `citations` is the evidence of every record as one flat table; the rest are record kinds.
    let kinds: Vec<Kind> = match name {
        "graph" if format == Format::Ndjson => KINDS.iter().map(|(_, k)| *k).collect(),
        "citations" => Vec::new(),
        _ => match KINDS.iter().find(|(n, _)| *n == name) {
            Some((_, k)) => vec![*k],
            None => return not_found(&file),
        },
    };
    // The data changes only when the change log advances, so the cursor makes a strong ETag.
    let Ok(cursor) = change_cursor(&state.db).await else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "the database is unavailable",
        )
            .into_response();
    };
    let etag = format!("\"{cursor}-{file}\"");
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
    let content_type = match format {
        Format::Ndjson => "application/x-ndjson; charset=utf-8",
        Format::Csv => "text/csv; charset=utf-8; header=present",
    };
    stream(
        &state,
        content_type,
        Some(file.clone()),
        move |txn, tx| async move {
            if kinds.is_empty() {
                send_citations(&txn, &tx, format).await?;
            } else {
                send_records(&txn, &tx, &kinds, format).await?;
            }
            txn.commit().await
        },
    )
    .await
}

/// Sends the citations table, page by page; false when the client went away.
async fn send_citations(
    txn: &DatabaseTransaction,
    tx: &mpsc::Sender<Chunk>,
    format: Format,
) -> Result<bool, DbErr> {
    let mut after: Option<String> = None;
    let mut out = String::new();
    if format == Format::Csv {
        out.push_str(&(records::CITATION_FIELDS.join(",") + "\r\n"));
    }
    loop {
        let page = records::citations(txn, after.as_deref(), PAGE).await?;
        for r in &page {
            match format {
                Format::Ndjson => {
                    out.push_str(&r.to_string());
                    out.push('\n');
                }
                Format::Csv => out.push_str(&records::csv_line(&records::CITATION_FIELDS, r)),
            }
        }
        if !out.is_empty()
            && tx
                .send(Ok(Bytes::from(std::mem::take(&mut out))))
                .await
                .is_err()
        {
            return Ok(false);
        }
        match page.last() {
            Some(last) if page.len() as u64 == PAGE => {
                after = last["id"].as_str().map(str::to_owned);
            }
            _ => return Ok(true),
        }
    }
}

fn not_found(file: &str) -> Response {
    let kinds: Vec<&str> = KINDS.iter().map(|(n, _)| *n).collect();
    (
        StatusCode::NOT_FOUND,
        format!(
            "no export \"{file}\"; try graph.ndjson or {{{},citations}}.{{ndjson,csv}}",
            kinds.join(",")
        ),
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct ChangesParams {
    /// Only changes after this cursor (a `Baygraph-Cursor` value); from the beginning when absent.
    since: Option<String>,
}

/// One change in the feed, as NDJSON.
pub struct ChangeRow {
    pub seq: i64,
    pub kind: String,
    pub slug: String,
    pub op: String,
    pub at: String,
}

/// The latest change of each record after `since`, in commit order, `limit` at a time.
pub async fn changes_after<C: ConnectionTrait>(
    db: &C,
    since: i64,
    limit: u64,
) -> Result<Vec<ChangeRow>, DbErr> {
    let latest = Sql::select()
        .expr(Func::max(Expr::col("seq")))
        .from("changes")
        .and_where(Expr::col("seq").gt(since))
        .group_by_columns(["kind", "slug"])
        .to_owned();
    let stmt = Sql::select()
        .columns(["seq", "kind", "slug", "op"])
        .expr(Expr::col("at"))
        .from("changes")
        .and_where(Expr::col("seq").in_subquery(latest))
        .order_by("seq", Order::Asc)
        .limit(limit)
        .to_owned();
    let rows = db.query_all(&stmt).await?;
    rows.iter()
        .map(|r| {
            let at: chrono::DateTime<chrono::Utc> = r.try_get_by_index(4)?;
            Ok(ChangeRow {
                seq: r.try_get_by_index(0)?,
                kind: r.try_get_by_index(1)?,
                slug: r.try_get_by_index(2)?,
                op: r.try_get_by_index(3)?,
                at: at.to_rfc3339(),
            })
        })
        .collect()
}

/// The records of upserted changes, keyed by kind and slug (one read per kind).
pub async fn records_for<C: ConnectionTrait>(
    db: &C,
    changes: &[ChangeRow],
) -> Result<std::collections::HashMap<(String, String), Value>, DbErr> {
    let mut out = std::collections::HashMap::new();
    for (_, kind) in KINDS {
        let slugs: Vec<String> = changes
            .iter()
            .filter(|c| c.op == "upsert" && c.kind == kind.as_str())
            .map(|c| c.slug.clone())
            .collect();
        if slugs.is_empty() {
            continue;
        }
        for r in records::read(db, kind, Select::Slugs(&slugs)).await? {
            let slug = r["slug"].as_str().unwrap_or_default().to_owned();
            out.insert((kind.as_str().to_owned(), slug), r);
        }
    }
    Ok(out)
}

/// Parses a change cursor (a non-negative integer in text).
pub fn parse_cursor(s: &str) -> Option<i64> {
    s.trim().parse::<i64>().ok().filter(|n| *n >= 0)
}

/// `GET /changes?since=CURSOR`: upserts (with the record as it is now) and deletions, in commit order.
pub async fn changes(
    State(state): State<AppState>,
    Query(params): Query<ChangesParams>,
) -> Response {
    let since = match params.since.as_deref().map(parse_cursor) {
        None => 0,
        Some(Some(n)) => n,
        Some(None) => {
            return (
                StatusCode::BAD_REQUEST,
                "since must be a cursor from Baygraph-Cursor (a non-negative integer)",
            )
                .into_response();
        }
    };
    stream(
        &state,
        "application/x-ndjson; charset=utf-8",
        None,
        move |txn, tx| async move {
            let mut after = since;
            loop {
                let page = changes_after(&txn, after, PAGE).await?;
                let Some(last) = page.last() else { break };
                after = last.seq;
                let mut records = records_for(&txn, &page).await?;
                let mut out = String::new();
                for c in &page {
                    let Some(kind) = Kind::parse(&c.kind) else {
                        continue;
                    };
                    let mut line = json!({
                        "cursor": c.seq.to_string(), "op": c.op, "type": c.kind,
                        "id": entity::ids::public_id(kind, &c.slug), "slug": c.slug, "at": c.at,
                    });
                    if c.op == "upsert" {
                        line["record"] = records
                            .remove(&(c.kind.clone(), c.slug.clone()))
                            .unwrap_or(Value::Null);
                    }
                    out.push_str(&line.to_string());
                    out.push('\n');
                }
                if tx.send(Ok(Bytes::from(out))).await.is_err() {
                    break;
                }
            }
            txn.commit().await
        },
    )
    .await
}
