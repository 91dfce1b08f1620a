//! `loader mirror --from URL`: the reference client of Baygraph's feeds (`docs/feeds.md`). It takes
//! the whole-graph export once, then follows `/changes`, writing into a Baygraph database of its
//! own (same migrations, so the API can serve it). Each response is applied in one transaction
//! together with the cursor it reaches (table `mirror_state`), and only once its end line has
//! arrived and matched (count and SHA-256 of every byte before it): a mirror killed at any point
//! holds a consistent state and resumes from it. A cursor the source no longer serves (`410`)
//! means deletions were purged: the mirror takes a fresh export.
use entity::ids::{Kind, public_id};
use futures_util::StreamExt;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, TransactionTrait};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

mod apply;

/// Why a mirror run stopped; the mirror database keeps its last complete state.
#[derive(Debug, thiserror::Error)]
pub enum MirrorError {
    /// The source could not be reached or answered with an error status.
    #[error("{url}: {message}")]
    Http { url: String, message: String },
    /// A response ended without its end line, or the end line does not match what came before.
    #[error("{url}: incomplete or damaged feed: {reason}; nothing of it was applied")]
    Incomplete { url: String, reason: String },
    /// A line of a feed is not a record this client understands.
    #[error("{url}, line {line}: {reason}; nothing of this response was applied")]
    BadRecord {
        url: String,
        line: usize,
        reason: String,
    },
    /// The mirror database refused a write; the transaction was rolled back.
    #[error("mirror database: {0}")]
    Database(#[from] DbErr),
    /// The mirror's cursor is older than the source's change log keeps (`410 Gone`).
    #[error("{url}: the cursor has expired")]
    Expired { url: String },
    /// The database already mirrors another source.
    #[error("this database mirrors {0}; use another database for another source")]
    OtherSource(String),
}

impl MirrorError {
    /// Line `line` of the feed at `url` is not a record this client can take, for `reason`.
    fn bad_record(url: &str, line: usize, reason: impl Into<String>) -> Self {
        MirrorError::BadRecord {
            url: url.to_owned(),
            line,
            reason: reason.into(),
        }
    }
}

/// What one run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MirrorSummary {
    /// Whether the run took a whole export (first run, or after a `410`).
    pub exported: bool,
    /// Records written (export or upserts).
    pub upserted: usize,
    /// Records deleted.
    pub deleted: usize,
    /// The source's change-log position the mirror now holds.
    pub cursor: i64,
}

impl std::fmt::Display for MirrorSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}{} records written, {} deleted; at cursor {}",
            if self.exported { "export: " } else { "" },
            self.upserted,
            self.deleted,
            self.cursor
        )
    }
}

/// The stored position: (source, cursor).
async fn state(db: &DatabaseConnection) -> Result<Option<(String, i64)>, DbErr> {
    let select = Query::select()
        .columns(["source", "cursor"])
        .from("mirror_state")
        .and_where(Expr::col("id").eq(1))
        .to_owned();
    match db.query_one(&select).await? {
        Some(r) => Ok(Some((r.try_get_by_index(0)?, r.try_get_by_index(1)?))),
        None => Ok(None),
    }
}

async fn save_state<C: ConnectionTrait>(txn: &C, source: &str, cursor: i64) -> Result<(), DbErr> {
    let mut insert = Query::insert();
    insert
        .into_table("mirror_state")
        .columns(["id", "source", "cursor"])
        .values_panic([1.into(), source.into(), cursor.into()])
        .on_conflict(
            OnConflict::column("id")
                .update_columns(["source", "cursor"])
                .to_owned(),
        );
    txn.execute(&insert).await?;
    Ok(())
}

/// Brings the mirror in `db` up to date with the API at `from` (e.g. `http://127.0.0.1:8000`).
pub async fn mirror(db: &DatabaseConnection, from: &str) -> Result<MirrorSummary, MirrorError> {
    let from = from.trim_end_matches('/');
    // reqwest is built without a default TLS provider; ring is the one sqlx already uses. An
    // error only means a provider is installed already, which serves as well.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .build()
        .map_err(|e| MirrorError::Http {
            url: from.to_owned(),
            message: e.to_string(),
        })?;
    let stored = state(db).await?;
    if let Some((source, _)) = &stored
        && source != from
    {
        return Err(MirrorError::OtherSource(source.clone()));
    }
    let run = Run { db, client, from };
    let mut summary = MirrorSummary::default();
    let mut cursor = match stored {
        Some((_, cursor)) => cursor,
        None => run.export(&mut summary).await?,
    };
    loop {
        match run.follow(cursor, &mut summary).await {
            Err(MirrorError::Expired { .. }) => {
                cursor = run.export(&mut summary).await?;
            }
            Err(e) => return Err(e),
            Ok(next) if next == cursor => break,
            Ok(next) => cursor = next,
        }
    }
    summary.cursor = cursor;
    Ok(summary)
}

/// One mirror run: the mirror's database, the API it follows and the client that reads it.
struct Run<'a> {
    db: &'a DatabaseConnection,
    client: reqwest::Client,
    from: &'a str,
}

impl Run<'_> {
    /// Takes a whole export, replacing whatever the mirror held; returns its cursor.
    async fn export(&self, summary: &mut MirrorSummary) -> Result<i64, MirrorError> {
        let url = format!("{}/export/graph.ndjson", self.from);
        let txn = self.db.begin().await?;
        // Children first, so no foreign key points at a removed row.
        for kind in crate::rows::record_order().iter().rev() {
            for table in ["aliases", "citations", "mentions"] {
                let delete = Query::delete()
                    .from_table(table)
                    .and_where(
                        Expr::col(if table == "citations" {
                            "owner_kind"
                        } else {
                            "entity_kind"
                        })
                        .eq(kind.as_str()),
                    )
                    .to_owned();
                txn.execute(&delete).await?;
            }
            let delete = Query::delete().from_table(kind.table()).to_owned();
            txn.execute(&delete).await?;
        }
        let mut pending = apply::Pending::default();
        let end = read_feed(
            &self.client,
            &url,
            |line, v| {
                let (kind, slug, record) = record_of(&url, line, v)?;
                summary.upserted += 1;
                Ok(Op::Upsert(kind, slug, record))
            },
            &txn,
            &mut pending,
        )
        .await?;
        self.settle(txn, pending, end).await?;
        summary.exported = true;
        Ok(end)
    }

    /// Applies the changes after `since`; returns the cursor reached.
    async fn follow(&self, since: i64, summary: &mut MirrorSummary) -> Result<i64, MirrorError> {
        let url = &format!("{}/changes?since={since}", self.from);
        let txn = self.db.begin().await?;
        let mut pending = apply::Pending::default();
        let (mut upserted, mut deleted) = (0, 0);
        let end = read_feed(
            &self.client,
            url,
            |line, v| {
                let bad = |reason: &str| MirrorError::bad_record(url, line, reason);
                let op = v
                    .get("op")
                    .and_then(Value::as_str)
                    .ok_or_else(|| bad("no op"))?;
                let kind = v
                    .get("type")
                    .and_then(Value::as_str)
                    .and_then(Kind::parse)
                    .ok_or_else(|| bad("unknown type"))?;
                let slug = v
                    .get("slug")
                    .and_then(Value::as_str)
                    .ok_or_else(|| bad("no slug"))?;
                match op {
                    "upsert" => {
                        let record = v
                            .get("record")
                            .cloned()
                            .ok_or_else(|| bad("an upsert without its record"))?;
                        let (k, s, r) = record_of(url, line, record)?;
                        if (k, s.as_str()) != (kind, slug) {
                            return Err(bad("the record is not the one the change names"));
                        }
                        upserted += 1;
                        Ok(Op::Upsert(k, s, r))
                    }
                    "delete" => {
                        deleted += 1;
                        Ok(Op::Delete(kind, slug.to_owned()))
                    }
                    _ => Err(bad("unknown op")),
                }
            },
            &txn,
            &mut pending,
        )
        .await?;
        if end < since {
            return Err(MirrorError::Incomplete {
                url: url.to_owned(),
                reason: format!("its cursor {end} is behind the mirror's {since}"),
            });
        }
        self.settle(txn, pending, end).await?;
        summary.upserted += upserted;
        summary.deleted += deleted;
        Ok(end)
    }

    /// Applies what `pending` still holds and saves `end` as the cursor the mirror holds, then
    /// commits: all of a response, with its cursor, or nothing.
    async fn settle(
        &self,
        txn: DatabaseTransaction,
        pending: apply::Pending,
        end: i64,
    ) -> Result<(), MirrorError> {
        apply::finish(&txn, pending).await?;
        save_state(&txn, self.from, end).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// What one feed line asks of the mirror.
enum Op {
    Upsert(Kind, String, Map<String, Value>),
    Delete(Kind, String),
}

/// Checks an exported record: its type, slug, public ID, and its content hash against the hash
/// of the record as received (`entity::export::content_hash`).
fn record_of(
    url: &str,
    line: usize,
    v: Value,
) -> Result<(Kind, String, Map<String, Value>), MirrorError> {
    let bad = |reason: String| MirrorError::bad_record(url, line, reason);
    let Value::Object(record) = v else {
        return Err(bad("not a JSON object".to_owned()));
    };
    let kind = record
        .get("type")
        .and_then(Value::as_str)
        .and_then(Kind::parse)
        .ok_or_else(|| bad("unknown type".to_owned()))?;
    let slug = record
        .get("slug")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("no slug".to_owned()))?
        .to_owned();
    if record.get("id").and_then(Value::as_str) != Some(public_id(kind, &slug).as_str()) {
        return Err(bad(format!("id does not match {kind} \"{slug}\"")));
    }
    let hash = record
        .get("content_hash")
        .and_then(Value::as_str)
        .unwrap_or("");
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad(format!("{kind} \"{slug}\" has no valid content_hash")));
    }
    let computed = entity::export::content_hash(&record);
    if !computed.eq_ignore_ascii_case(hash) {
        return Err(bad(format!(
            "{kind} \"{slug}\": content_hash {hash} but the record hashes to {computed}"
        )));
    }
    Ok((kind, slug, record))
}

/// Streams the NDJSON feed at `url` line by line into `txn`: `each` turns every record line into
/// an operation; the end line must come last and match the count and SHA-256 of what came
/// before. Returns the end line's cursor.
async fn read_feed<C, F>(
    client: &reqwest::Client,
    url: &str,
    mut each: F,
    txn: &C,
    pending: &mut apply::Pending,
) -> Result<i64, MirrorError>
where
    C: ConnectionTrait,
    F: FnMut(usize, Value) -> Result<Op, MirrorError>,
{
    let http = |message: String| MirrorError::Http {
        url: url.to_owned(),
        message,
    };
    let incomplete = |reason: String| MirrorError::Incomplete {
        url: url.to_owned(),
        reason,
    };
    let response = client
        .get(url)
        .send()
        .await
        .map_err(|e| http(e.to_string()))?;
    let status = response.status();
    if status == reqwest::StatusCode::GONE {
        return Err(MirrorError::Expired {
            url: url.to_owned(),
        });
    }
    if !status.is_success() {
        return Err(http(status.to_string()));
    }
    let mut body = response.bytes_stream();
    let (mut buf, mut hasher, mut count, mut line_no) = (Vec::new(), Sha256::new(), 0u64, 0);
    let mut end: Option<Value> = None;
    loop {
        let chunk = match body.next().await {
            Some(chunk) => chunk.map_err(|e| incomplete(format!("transfer failed: {e}")))?,
            None => break,
        };
        buf.extend_from_slice(&chunk);
        while let Some(nl) = buf.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = buf.drain(..=nl).collect();
            line_no += 1;
            if end.is_some() {
                return Err(incomplete("data after the end line".to_owned()));
            }
            let v: Value = serde_json::from_slice(&line)
                .map_err(|e| MirrorError::bad_record(url, line_no, format!("not JSON: {e}")))?;
            if v.get("type").and_then(Value::as_str) == Some("end") {
                end = Some(v);
                continue;
            }
            hasher.update(&line);
            count += 1;
            match each(line_no, v)? {
                Op::Upsert(kind, slug, record) => {
                    apply::upsert(txn, kind, &slug, &record, pending)
                        .await
                        .map_err(|e| {
                            MirrorError::bad_record(url, line_no, format!("{kind} \"{slug}\": {e}"))
                        })?;
                }
                Op::Delete(kind, slug) => apply::delete(txn, kind, &slug).await?,
            }
        }
    }
    let Some(end) = end else {
        return Err(incomplete("no end line".to_owned()));
    };
    if !buf.is_empty() {
        return Err(incomplete("a partial line after the end line".to_owned()));
    }
    let sha = hex::encode(hasher.finalize());
    if end.get("sha256").and_then(Value::as_str) != Some(sha.as_str()) {
        return Err(incomplete(format!(
            "sha256 is {sha}, the end line says {}",
            end["sha256"]
        )));
    }
    if end.get("count").and_then(Value::as_u64) != Some(count) {
        return Err(incomplete(format!(
            "{count} records, the end line says {}",
            end["count"]
        )));
    }
    end.get("cursor")
        .and_then(Value::as_str)
        .and_then(|c| c.parse::<i64>().ok())
        .ok_or_else(|| incomplete("the end line has no cursor".to_owned()))
}
