//! `changes`: the change feed in GraphQL — every record inserted, updated or deleted after a
//! cursor, in commit order, the latest change per record (the same feed as `GET /changes`).
use async_graphql::{Context, ErrorExtensions, Json, Object, Subscription};
use entity::ids::public_id;

use super::common::snap;
use super::node::{Node, node_of};
use super::page::{Conn, first_size};
use crate::error::{ApiError, Res, bad_input, db, internal};
use crate::feeds::changelog::{
    ChangeRow, changes_after, count_between, cursor, floor, kind_of, parse_cursor, records_for,
};
use crate::feeds::expired_message;

/// A change to one record (变更).
pub struct Change {
    row: ChangeRow,
    record: Option<serde_json::Value>,
}

/// A change to one record: an upsert (with the record as it is now) or a deletion (tombstone).
#[Object]
impl Change {
    /// This change's position in the feed; pass it as `since` to continue after it.
    async fn cursor(&self) -> String {
        self.row.seq.to_string()
    }
    /// `upsert` or `delete`.
    async fn op(&self) -> &str {
        &self.row.op
    }
    /// The record kind: `zone`, `platform`, `project`, `partnership`, `organization`, `document`, `sector`, `metric` or `source`.
    async fn kind(&self) -> &str {
        &self.row.kind
    }
    /// The record's stable ID (also for deletions).
    async fn record_id(&self) -> Res<String> {
        match kind_of(&self.row) {
            Some(k) => Ok(public_id(k, &self.row.slug)),
            None => {
                tracing::error!(kind = %self.row.kind, "change log row of an unknown kind");
                Err(internal())
            }
        }
    }
    /// The record's slug.
    async fn slug(&self) -> &str {
        &self.row.slug
    }
    /// When the change was committed (RFC 3339, UTC).
    async fn at(&self) -> &str {
        &self.row.at
    }
    /// The record as this response's version holds it, typed (null for a deletion).
    async fn node(&self, ctx: &Context<'_>) -> Res<Option<Node>> {
        match kind_of(&self.row) {
            Some(kind) if self.row.op == "upsert" => {
                let s = snap(ctx)?;
                Ok(s.find(kind, &self.row.slug).and_then(|id| node_of(&s, id)))
            }
            _ => Ok(None),
        }
    }
    /// The record as it is now, in the export format (null for a deletion).
    async fn record(&self) -> Option<Json<serde_json::Value>> {
        self.record.clone().map(Json)
    }
}

#[derive(Default)]
pub struct ChangeQuery;

#[Object]
impl ChangeQuery {
    /// Changes after a cursor (from `Baygraph-Cursor` of an export, or a previous change), in
    /// commit order. Replaying an export and then every change after its cursor gives exactly a
    /// fresh export.
    #[graphql(complexity = "super::page::cost(first, None, child_complexity)")]
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only changes after this cursor; from the beginning when omitted.")] since: Option<String>,
        #[graphql(desc = "Changes per page, at most 100.")] first: Option<i32>,
        #[graphql(
            desc = "Continue after this edge cursor (`pageInfo.endCursor`); the same as `since`, and the later of the two wins."
        )]
        after: Option<String>,
    ) -> Res<Conn<Change>> {
        let parse = |name: &str, v: Option<&str>| match v {
            None => Ok(0),
            Some(s) => parse_cursor(s).ok_or_else(|| {
                bad_input(format!(
                    "{name} must be a change cursor (a non-negative integer)"
                ))
            }),
        };
        let since = parse("since", since.as_deref())?;
        let after = parse("after", after.as_deref())?;
        let n = first_size(first)?;
        let conn_db = ctx.data::<sea_orm::DatabaseConnection>()?;
        let floor = floor(conn_db).await.map_err(db)?;
        if since > 0 && since < floor {
            return Err(ApiError::CursorExpired(expired_message(since, floor)).extend());
        }
        // Up to the response's version, so every listed record resolves in it.
        let upto = snap(ctx)?.cursor;
        let total_count = count_between(conn_db, since, upto).await.map_err(db)? as usize;
        let start = since.max(after);
        let mut rows = changes_after(conn_db, start, Some(upto), n as u64 + 1)
            .await
            .map_err(db)?;
        let has_next = rows.len() > n;
        rows.truncate(n);
        let mut records = records_for(conn_db, &rows).await.map_err(db)?;
        let mut conn = Conn::new(start > 0, has_next, total_count);
        for row in rows {
            let record = records.remove(&(row.kind.clone(), row.slug.clone()));
            conn.push(row.seq.to_string(), Change { row, record });
        }
        Ok(conn)
    }
}

/// How often a live `changes` subscription looks at the read model's cursor for new commits.
const POLL: std::time::Duration = std::time::Duration::from_millis(250);

#[derive(Default)]
pub struct ChangeSubscription;

/// Live data: what changes, as it commits.
#[Subscription]
impl ChangeSubscription {
    /// Every change after `since` as it commits, in commit order (the same changes as the
    /// `changes` query, delivered live over `graphql-transport-ws` at `/graphql/ws`). Without
    /// `since`, from now on. A subscriber that reconnects passes the last `cursor` it received.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only changes after this cursor; from now when omitted.")] since: Option<
            String,
        >,
    ) -> Result<impl futures_util::Stream<Item = Res<Change>> + use<>, async_graphql::Error> {
        let db = ctx.data::<sea_orm::DatabaseConnection>()?.clone();
        let start = match since.as_deref() {
            None => cursor(&db).await.map_err(crate::error::db)?,
            Some(s) => parse_cursor(s).ok_or_else(|| {
                bad_input("since must be a change cursor (a non-negative integer)")
            })?,
        };
        let floor = floor(&db).await.map_err(crate::error::db)?;
        if start > 0 && start < floor {
            return Err(ApiError::CursorExpired(expired_message(start, floor)).extend());
        }
        // Subscribers wait on the replica's read model (refreshed from the change log) and ask
        // the database only once it has seen a commit past their cursor: one in-memory read per
        // tick, not one query per subscriber per tick.
        let shared = ctx.data::<super::SharedSnapshot>()?.clone();
        let state = (
            db,
            shared,
            start,
            std::collections::VecDeque::<Change>::new(),
        );
        Ok(futures_util::stream::unfold(
            state,
            |(db, shared, mut after, mut queued)| async move {
                loop {
                    if let Some(change) = queued.pop_front() {
                        return Some((Ok(change), (db, shared, after, queued)));
                    }
                    let seen = loop {
                        let seen = shared.load().cursor;
                        if seen > after {
                            break seen;
                        }
                        tokio::time::sleep(POLL).await;
                    };
                    let rows = match changes_after(&db, after, Some(seen), 100).await {
                        Ok(rows) => rows,
                        Err(e) => {
                            // Report it, then wait a tick rather than retrying at once.
                            tokio::time::sleep(POLL).await;
                            return Some((Err(crate::error::db(e)), (db, shared, after, queued)));
                        }
                    };
                    if rows.is_empty() {
                        // Nothing after `after` up to `seen` remains (compacted or purged).
                        after = seen;
                        continue;
                    }
                    let mut records = match records_for(&db, &rows).await {
                        Ok(r) => r,
                        Err(e) => {
                            tokio::time::sleep(POLL).await;
                            return Some((Err(crate::error::db(e)), (db, shared, after, queued)));
                        }
                    };
                    for row in rows {
                        after = after.max(row.seq);
                        let record = records.remove(&(row.kind.clone(), row.slug.clone()));
                        queued.push_back(Change { row, record });
                    }
                }
            },
        ))
    }
}
