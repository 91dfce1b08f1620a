//! The read model saved in the database (`read_model_save`, `read_model_parts`): a writable
//! instance stores the snapshot it built, and any instance over the same database — a read-only
//! replica on a hot standby included — starts from it and applies the changes committed since,
//! instead of reading every table. The bytes are those of a saved file (`checkpoint.rs`: header
//! with the database's epoch and the structures' layout, then the snapshot), cut into parts of
//! one row each and checked against a CRC-32 of the whole; a save that does not match its
//! description, or that another version or database wrote, is ignored and the snapshot built.
use futures_util::StreamExt;
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, StreamTrait, TransactionTrait};

use super::Snapshot;
use super::checkpoint::CheckpointError;

/// Bytes per stored part: a few megabytes keep each row far below any limit (PostgreSQL's
/// 1 GB per value, SQLite's default 1 GB per blob) and the client's buffers small.
const PART: usize = 4 << 20;

/// Why the shared read model could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum SharedError {
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("{0}")]
    Checkpoint(#[from] CheckpointError),
    #[error("the read model's reader stopped: {0}")]
    Join(#[from] tokio::task::JoinError),
    #[error("the saved read model is damaged: {0}")]
    Damaged(String),
}

/// What `read_model_save` says about the saved bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    pub cursor: i64,
    pub bytes: i64,
    pub parts: i32,
    pub checksum: i64,
}

/// The description of the read model saved in `db` (`None` before the first save).
pub async fn saved<C: ConnectionTrait>(db: &C) -> Result<Option<Saved>, DbErr> {
    let stmt = Query::select()
        .columns(["cursor", "bytes", "parts", "checksum"])
        .from("read_model_save")
        .and_where(Expr::col("id").eq(1))
        .to_owned();
    let Some(row) = db.query_one(&stmt).await? else {
        return Ok(None);
    };
    let saved = Saved {
        cursor: row.try_get_by_index(0)?,
        bytes: row.try_get_by_index(1)?,
        parts: row.try_get_by_index(2)?,
        checksum: row.try_get_by_index(3)?,
    };
    Ok((saved.cursor >= 0 && saved.parts > 0).then_some(saved))
}

/// Stores `bytes` (a snapshot at `cursor`, made by `Snapshot::to_bytes`) as the database's
/// saved read model, unless a save at a later cursor is already there. One transaction: readers
/// see the old save or the new one, never a mix; the description row is locked first, so two
/// writers take turns. Returns whether it was stored.
pub async fn store(db: &DatabaseConnection, cursor: i64, bytes: &[u8]) -> Result<bool, DbErr> {
    let parts: Vec<&[u8]> = bytes.chunks(PART).collect();
    let txn = db.begin().await?;
    let update = Query::update()
        .table("read_model_save")
        .value("cursor", cursor)
        .value("bytes", bytes.len() as i64)
        .value("parts", parts.len() as i32)
        .value("checksum", checksum(bytes))
        .and_where(Expr::col("id").eq(1))
        .and_where(Expr::col("cursor").lte(cursor))
        .to_owned();
    if txn.execute(&update).await?.rows_affected() == 0 {
        txn.rollback().await?;
        return Ok(false);
    }
    txn.execute(&Query::delete().from_table("read_model_parts").to_owned())
        .await?;
    for (i, part) in parts.into_iter().enumerate() {
        let insert = Query::insert()
            .into_table("read_model_parts")
            .columns(["part", "bytes"])
            .values([(i as i32).into(), part.to_vec().into()])
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .to_owned();
        txn.execute(&insert).await?;
    }
    txn.commit().await?;
    Ok(true)
}

/// Reads the read model saved in `db` for the database `epoch`; `None` when nothing is saved, or
/// it was saved by another version or from another database. Every byte is checked against the
/// description before any is decoded (a damaged length could otherwise ask for any amount of
/// memory): a save that does not match is an error and is never served.
pub async fn load(db: &DatabaseConnection, epoch: &str) -> Result<Option<Snapshot>, SharedError> {
    // One snapshot transaction: the description and the parts are of the same save.
    let txn = crate::feeds::snapshot(db).await?;
    let Some(saved) = saved(&txn).await? else {
        txn.commit().await?;
        return Ok(None);
    };
    let bytes = read_parts(&txn, saved).await;
    txn.commit().await?;
    let bytes = bytes?;
    if bytes.len() as u64 != saved.bytes as u64 || checksum(&bytes) != saved.checksum {
        return Err(SharedError::Damaged(format!(
            "{} bytes with checksum {} read, {} bytes with checksum {} described",
            bytes.len(),
            checksum(&bytes),
            saved.bytes,
            saved.checksum
        )));
    }
    let epoch = epoch.to_owned();
    let decoded =
        tokio::task::spawn_blocking(move || Snapshot::read_from(&bytes, &epoch)).await??;
    match decoded {
        Some(snapshot) if snapshot.cursor != saved.cursor => Err(SharedError::Damaged(format!(
            "the snapshot is at cursor {}, its description says {}",
            snapshot.cursor, saved.cursor
        ))),
        found => Ok(found),
    }
}

/// The checksum of saved bytes (CRC-32: it catches damage in storage or transit; whoever can
/// write the table can write anything the API serves anyway).
pub fn checksum(bytes: &[u8]) -> i64 {
    i64::from(crc32fast::hash(bytes))
}

/// The parts of `saved`, in order and concatenated.
async fn read_parts<C>(db: &C, saved: Saved) -> Result<Vec<u8>, SharedError>
where
    C: ConnectionTrait + StreamTrait,
{
    let select = Query::select()
        .columns(["part", "bytes"])
        .from("read_model_parts")
        .order_by("part", Order::Asc)
        .to_owned();
    let stmt = ConnectionTrait::get_database_backend(db).build(&select);
    let mut stream = std::pin::pin!(db.stream_raw(stmt).await?);
    // The description's length only sizes the buffer up front, within reason.
    let mut bytes = Vec::with_capacity(usize::try_from(saved.bytes).unwrap_or(0).min(1 << 30));
    let mut next = 0;
    while let Some(row) = stream.next().await {
        let row = row?;
        let part: i32 = row.try_get_by_index(0)?;
        if part != next {
            return Err(SharedError::Damaged(format!(
                "part {part} where {next} belongs"
            )));
        }
        let piece: Vec<u8> = row.try_get_by_index(1)?;
        bytes.extend_from_slice(&piece);
        next += 1;
    }
    if next != saved.parts {
        return Err(SharedError::Damaged(format!(
            "{next} parts read, {} described",
            saved.parts
        )));
    }
    Ok(bytes)
}
