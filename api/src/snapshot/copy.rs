//! A build's tables on PostgreSQL — every record table, and the largest row tables (citations,
//! mentions: six of every seven rows a build reads at scale) — read through `COPY (SELECT …) TO
//! STDOUT (FORMAT binary)`, each split into page ranges (`ctid`, a TID range scan) that several
//! connections read at once.
//!
//! Why not rows through sqlx: every row came as a `DataRow` message decoded into a row object,
//! its columns checked for type and copied out one call at a time — about 1.4 µs a citation and
//! the larger part of a cold build's reading (`perf`, scale 1,000). A binary COPY tuple is a
//! field count and length-prefixed fields; reading one is a few bounds checks. The format is
//! PostgreSQL's own ("Binary Format" of `COPY`); only the column types Baygraph's schema uses
//! are read (`text`, `int4`, `float8`, `bool`, `timestamptz`), and no crate in this workspace's stack parses it (tokio-postgres's does, behind its own driver).
use entity::columns::FromColumns;
use entity::ids::Kind;
use futures_util::StreamExt;
use sea_orm::prelude::DateTimeUtc;
use sea_orm::sqlx::postgres::PgConnection;
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, IdenStatic, Iterable, RuntimeErr,
};

use super::build::{READERS, ReadJob, export, kinds_largest_first, spare_connections};
use entity::columns::Columns;

use super::read::{self, IntoRecord, Sink};

/// A binary COPY stream's signature, first in its header.
const SIGNATURE: &[u8; 11] = b"PGCOPY\n\xff\r\n\0";

/// Most columns a tuple read here may have (a metric has 18).
pub const MAX_FIELDS: usize = 24;

/// One tuple's fields, `None` for NULL, borrowed from the stream's buffer.
pub struct Tuple<'a> {
    fields: [Option<&'a [u8]>; MAX_FIELDS],
    len: usize,
}

impl Tuple<'_> {
    /// A fixed-width column of `N` bytes (`what` names its type for the error).
    fn fixed<const N: usize>(&self, at: usize, what: &str) -> Result<Option<[u8; N]>, DbErr> {
        self.field(at)?
            .map(|b| {
                <[u8; N]>::try_from(b).map_err(|_| {
                    DbErr::Type(format!("column {at}: {} bytes for a {what}", b.len()))
                })
            })
            .transpose()
    }

    fn field(&self, at: usize) -> Result<Option<&[u8]>, DbErr> {
        if at >= self.len {
            return Err(DbErr::Type(format!(
                "COPY tuple has {} fields, column {at} asked",
                self.len
            )));
        }
        Ok(self.fields[at])
    }
}

impl Columns for Tuple<'_> {
    /// A `text` column (UTF-8: the connection's client encoding).
    fn text(&self, at: usize) -> Result<Option<&str>, DbErr> {
        self.field(at)?
            .map(|b| std::str::from_utf8(b).map_err(|e| DbErr::Type(format!("column {at}: {e}"))))
            .transpose()
    }

    /// An `int4` column (four bytes, big-endian).
    fn int(&self, at: usize) -> Result<Option<i32>, DbErr> {
        Ok(self.fixed::<4>(at, "int4")?.map(i32::from_be_bytes))
    }

    /// A `float8` column (IEEE 754, big-endian).
    fn float(&self, at: usize) -> Result<Option<f64>, DbErr> {
        Ok(self.fixed::<8>(at, "float8")?.map(f64::from_be_bytes))
    }

    /// A `bool` column (one byte, 0 or 1).
    fn boolean(&self, at: usize) -> Result<Option<bool>, DbErr> {
        Ok(self.fixed::<1>(at, "bool")?.map(|[b]| b != 0))
    }

    /// A `timestamptz` column: microseconds since 2000-01-01 00:00 UTC, big-endian.
    fn time(&self, at: usize) -> Result<Option<DateTimeUtc>, DbErr> {
        /// 2000-01-01 00:00 UTC in microseconds since the Unix epoch.
        const POSTGRES_EPOCH_MICROS: i64 = 946_684_800_000_000;
        self.fixed::<8>(at, "timestamptz")?
            .map(|b| {
                i64::from_be_bytes(b)
                    .checked_add(POSTGRES_EPOCH_MICROS)
                    .and_then(DateTimeUtc::from_timestamp_micros)
                    .ok_or_else(|| DbErr::Type(format!("column {at}: a timestamp out of range")))
            })
            .transpose()
    }
}

/// What the front of a buffer holds. Returned by value once per tuple and never stored, so the
/// tuple's size costs nothing where boxing it would allocate per row.
#[allow(clippy::large_enum_variant)]
enum Next<'a> {
    /// A whole tuple and the bytes it took.
    Tuple(Tuple<'a>, usize),
    /// The trailer: the stream is complete.
    End,
    /// Not yet a whole tuple: more bytes are needed.
    Partial,
}

fn take<const N: usize>(buf: &[u8], at: usize) -> Option<[u8; N]> {
    buf.get(at..at + N)?.try_into().ok()
}

fn next(buf: &[u8]) -> Result<Next<'_>, DbErr> {
    let Some(count) = take::<2>(buf, 0).map(i16::from_be_bytes) else {
        return Ok(Next::Partial);
    };
    if count == -1 {
        return Ok(Next::End);
    }
    let count = usize::try_from(count)
        .ok()
        .filter(|c| *c <= MAX_FIELDS)
        .ok_or_else(|| DbErr::Type(format!("COPY tuple with {count} fields")))?;
    let mut tuple = Tuple {
        fields: [None; MAX_FIELDS],
        len: count,
    };
    let mut at = 2;
    for field in tuple.fields.iter_mut().take(count) {
        let Some(len) = take::<4>(buf, at).map(i32::from_be_bytes) else {
            return Ok(Next::Partial);
        };
        at += 4;
        if len < 0 {
            continue;
        }
        let len = len as usize;
        let Some(bytes) = buf.get(at..at + len) else {
            return Ok(Next::Partial);
        };
        *field = Some(bytes);
        at += len;
    }
    Ok(Next::Tuple(tuple, at))
}

/// The header's length, once `buf` holds all of it.
fn header(buf: &[u8]) -> Result<Option<usize>, DbErr> {
    if buf.len() < SIGNATURE.len() {
        return Ok(None);
    }
    if &buf[..SIGNATURE.len()] != SIGNATURE {
        return Err(DbErr::Type("not a binary COPY stream".to_owned()));
    }
    // Signature, flags (4 bytes), the extension's length (4 bytes) and the extension.
    let Some(ext) = take::<4>(buf, 15).map(u32::from_be_bytes) else {
        return Ok(None);
    };
    let len = 19 + ext as usize;
    Ok((buf.len() >= len).then_some(len))
}

/// Parses a binary COPY stream handed over in chunks of any size, calling `each` per tuple.
#[derive(Default)]
pub struct Parser {
    buf: Vec<u8>,
    header: bool,
    ended: bool,
}

impl Parser {
    pub fn feed(
        &mut self,
        chunk: &[u8],
        mut each: impl FnMut(&Tuple<'_>) -> Result<(), DbErr>,
    ) -> Result<(), DbErr> {
        if self.ended {
            return Err(DbErr::Type(
                "bytes after a COPY stream's trailer".to_owned(),
            ));
        }
        self.buf.extend_from_slice(chunk);
        let mut at = 0;
        if !self.header {
            match header(&self.buf)? {
                Some(len) => {
                    at = len;
                    self.header = true;
                }
                None => return Ok(()),
            }
        }
        loop {
            match next(&self.buf[at..])? {
                Next::Tuple(tuple, len) => {
                    each(&tuple)?;
                    at += len;
                }
                Next::End => {
                    self.ended = true;
                    at += 2;
                    break;
                }
                Next::Partial => break,
            }
        }
        self.buf.drain(..at);
        Ok(())
    }

    /// The stream is over: it must have ended with its trailer and nothing after it, or rows
    /// were lost on the way.
    pub fn finish(self) -> Result<(), DbErr> {
        if self.ended && self.buf.is_empty() {
            Ok(())
        } else {
            Err(DbErr::Type(
                "a COPY stream ended before its trailer".to_owned(),
            ))
        }
    }
}

/// A driver's error as sea-orm reports a failed query.
pub fn query_err(e: sea_orm::sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(e.into()))
}

/// Runs `COPY (select) TO STDOUT (FORMAT binary)` on `conn`, calling `each` per tuple.
pub async fn copy_rows(
    conn: &mut PgConnection,
    select: &str,
    mut each: impl FnMut(&Tuple<'_>) -> Result<(), DbErr>,
) -> Result<(), DbErr> {
    let statement = format!("COPY ({select}) TO STDOUT (FORMAT binary)");
    let mut stream = conn.copy_out_raw(&statement).await.map_err(query_err)?;
    let mut parser = Parser::default();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(query_err)?;
        parser.feed(&chunk, &mut each)?;
    }
    parser.finish()
}

/// A build's reader of the largest tables on PostgreSQL: a transaction of the driver's own (COPY
/// is not in sea-orm's API) that imports the build's snapshot.
pub type Txn = sea_orm::sqlx::Transaction<'static, sea_orm::sqlx::Postgres>;

/// The tables read through COPY, in page ranges.
#[derive(Clone, Copy, Debug)]
pub enum Copied {
    Records(Kind),
    Citations,
    Mentions,
}

impl Copied {
    /// Every record table, the largest first.
    pub fn records() -> Vec<Copied> {
        kinds_largest_first().map(Copied::Records).collect()
    }

    /// The tables of rows records own that are read through COPY.
    pub const ROWS: [Copied; 2] = [Copied::Citations, Copied::Mentions];

    fn table(self) -> &'static str {
        match self {
            Copied::Records(kind) => kind.table(),
            Copied::Citations => "citations",
            Copied::Mentions => "mentions",
        }
    }

    /// What the `SELECT` reads, in the order `decode` takes it.
    fn columns(self) -> String {
        match self {
            Copied::Records(kind) => entity::with_entity!(kind, E => model_columns::<E>()),
            Copied::Citations => read::CITATION_COLUMNS.join(", "),
            Copied::Mentions => read::MENTION_COLUMNS.join(", "),
        }
    }

    /// One tuple into `sink`.
    fn decode(self, sink: &mut dyn Sink, tuple: &Tuple<'_>) -> Result<(), DbErr> {
        let rows = match self {
            Copied::Records(kind) => {
                return entity::with_entity!(kind, E => {
                    <E as EntityTrait>::Model::from_columns(tuple)?.into_record(sink);
                    Ok(())
                });
            }
            Copied::Citations => read::cite,
            Copied::Mentions => read::mention,
        };
        // The rows' first two columns are their owner's kind and slug.
        match read::owner(tuple)? {
            Some(owner) => rows(sink, owner, tuple, 1),
            None => Ok(()),
        }
    }
}

/// A record model's columns in their declared order (`FromColumns` reads them so), except that
/// what the read model does not keep of a record (its origin and content hash: 70 bytes a
/// record) is selected as empty text, so it is neither sent nor copied.
fn model_columns<E: EntityTrait>() -> String {
    const UNREAD: [&str; 2] = ["origin", "content_hash"];
    E::Column::iter()
        .map(|c| {
            let name = c.as_str();
            if UNREAD.contains(&name) {
                format!("''::text AS {name}")
            } else {
                format!("\"{name}\"")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parts each copied table is read in: more parts than readers, so they finish together.
const PARTS: i64 = 4;

/// Pages `[from, to)` of a copied table (`to` open for the last part: the table may have grown
/// since its size was read, and rows past it are outside the snapshot anyway).
#[derive(Clone, Copy, Debug)]
pub struct Job {
    rows: Copied,
    from: i64,
    to: Option<i64>,
}

impl ReadJob<Txn> for Job {
    fn run<'a>(
        self,
        txn: &'a mut Txn,
        sink: &'a mut dyn Sink,
    ) -> impl Future<Output = Result<(), DbErr>> + Send + 'a {
        let mut select = format!(
            "SELECT {} FROM {} WHERE ctid >= '({},0)'::tid",
            self.rows.columns(),
            self.rows.table(),
            self.from
        );
        if let Some(to) = self.to {
            select.push_str(&format!(" AND ctid < '({to},0)'::tid"));
        }
        async move { copy_rows(txn, &select, |t| self.rows.decode(sink, t)).await }
    }
}

/// Each of `tables` in [`PARTS`] page ranges, in the order given.
pub async fn jobs(txn: &mut Txn, tables: &[Copied]) -> Result<Vec<Job>, DbErr> {
    let mut jobs = vec![];
    for &rows in tables {
        let pages: i64 = sea_orm::sqlx::query_scalar(
            "SELECT pg_relation_size($1::regclass) / current_setting('block_size')::bigint",
        )
        .bind(rows.table())
        .fetch_one(&mut **txn)
        .await
        .map_err(query_err)?;
        let step = (pages / PARTS).max(1);
        let mut from = 0;
        loop {
            let to = (from + step < pages).then_some(from + step);
            jobs.push(Job { rows, from, to });
            match to {
                Some(to) => from = to,
                None => break,
            }
        }
    }
    Ok(jobs)
}

/// Driver transactions importing `main`'s snapshot for the copied tables: `READERS` of them
/// (the records' other readers are closed by now), fewer if the pool is smaller; `main` reads
/// the other row tables meanwhile.
pub async fn readers(db: &DatabaseConnection, main: &DatabaseTransaction) -> Vec<Txn> {
    let wanted = spare_connections(db).min(READERS);
    if wanted == 0 {
        return vec![];
    }
    let Some(id) = export(main).await else {
        return vec![];
    };
    let pool = db.get_postgres_connection_pool();
    let mut out = Vec::with_capacity(wanted);
    for _ in 0..wanted {
        match import(pool, &id).await {
            Ok(txn) => out.push(txn),
            Err(e) => {
                tracing::warn!(error = %e, "cannot import the build's snapshot for COPY");
                break;
            }
        }
    }
    out
}

async fn import(pool: &sea_orm::sqlx::PgPool, id: &str) -> Result<Txn, sea_orm::sqlx::Error> {
    let mut txn = pool
        .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await?;
    let id = id.replace('\'', "''");
    let set = format!("SET TRANSACTION SNAPSHOT '{id}'");
    sea_orm::sqlx::raw_sql(sea_orm::sqlx::AssertSqlSafe(set))
        .execute(&mut *txn)
        .await?;
    Ok(txn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(tuples: &[&[Option<&[u8]>]]) -> Vec<u8> {
        let mut out = SIGNATURE.to_vec();
        out.extend(0u32.to_be_bytes());
        out.extend(3u32.to_be_bytes());
        out.extend(b"ext");
        for t in tuples {
            out.extend((t.len() as i16).to_be_bytes());
            for f in *t {
                match f {
                    Some(b) => {
                        out.extend((b.len() as i32).to_be_bytes());
                        out.extend(*b);
                    }
                    None => out.extend((-1i32).to_be_bytes()),
                }
            }
        }
        out.extend((-1i16).to_be_bytes());
        out
    }

    /// Each tuple's first column as text and second as an integer.
    type Read = Vec<(Option<String>, Option<i32>)>;

    fn read(bytes: &[u8], step: usize) -> Result<Read, DbErr> {
        let mut parser = Parser::default();
        let mut got = vec![];
        for chunk in bytes.chunks(step) {
            parser.feed(chunk, |t| {
                got.push((t.text(0)?.map(str::to_owned), t.int(1)?));
                Ok(())
            })?;
        }
        parser.finish()?;
        Ok(got)
    }

    #[test]
    fn tuples_are_read_whatever_the_chunks() {
        let seven = 7i32.to_be_bytes();
        let minus = (-3i32).to_be_bytes();
        let bytes = stream(&[
            &[Some("南沙\t\n\\".as_bytes()), Some(&seven)],
            &[None, None],
            &[Some(b""), Some(&minus)],
        ]);
        let want = vec![
            (Some("南沙\t\n\\".to_owned()), Some(7)),
            (None, None),
            (Some(String::new()), Some(-3)),
        ];
        for step in [1, 2, 5, 19, 64, bytes.len()] {
            assert_eq!(
                read(&bytes, step).expect("parsed"),
                want,
                "chunks of {step}"
            );
        }
    }

    #[test]
    fn fixed_width_columns_are_read_as_postgres_sends_them() {
        let float = 2.5f64.to_be_bytes();
        // 2026-12-08 01:02:03.000004 UTC, in microseconds since 2000-01-01 UTC.
        let when = DateTimeUtc::from_timestamp_micros(1_796_691_723_000_004).expect("in range");
        let micros = (when.timestamp_micros() - 946_684_800_000_000).to_be_bytes();
        let bytes = stream(&[&[Some(&float), Some(&[1]), Some(&[0]), Some(&micros), None]]);
        let mut parser = Parser::default();
        let mut seen = 0;
        parser
            .feed(&bytes, |t| {
                assert_eq!(t.float(0)?, Some(2.5));
                assert_eq!(t.boolean(1)?, Some(true));
                assert_eq!(t.boolean(2)?, Some(false));
                assert_eq!(t.time(3)?, Some(when));
                assert_eq!(t.float(4)?, None);
                // A column of the wrong width for its type is an error, not a guess.
                assert!(t.float(1).is_err());
                assert!(t.boolean(0).is_err());
                seen += 1;
                Ok(())
            })
            .expect("parsed");
        parser.finish().expect("complete");
        assert_eq!(seen, 1);
    }

    #[test]
    fn a_stream_cut_short_or_damaged_is_an_error() {
        let bytes = stream(&[&[Some(b"a"), None]]);
        for cut in [5, 19, 25, bytes.len() - 1] {
            assert!(read(&bytes[..cut], 3).is_err(), "cut at {cut}");
        }
        let mut wrong = bytes.clone();
        wrong[0] = b'X';
        assert!(read(&wrong, 64).is_err());
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(read(&extra, 64).is_err());
        let short_int = stream(&[&[None, Some(b"12")]]);
        assert!(read(&short_int, 64).is_err());
    }
}
