//! A build's largest tables on PostgreSQL (citations, mentions: six of every seven rows a build
//! reads at scale) read through `COPY (SELECT …) TO STDOUT (FORMAT binary)`, each split into
//! page ranges (`ctid`, a TID range scan) that several connections read at once.
//!
//! Why not rows through sqlx: every row came as a `DataRow` message decoded into a row object,
//! its columns checked for type and copied out one call at a time — about 1.4 µs a citation and
//! the larger part of a cold build's reading (`perf`, scale 1,000). A binary COPY tuple is a
//! field count and length-prefixed fields; reading one is a few bounds checks. The format is
//! PostgreSQL's own ("Binary Format" of `COPY`); only `text` and `int4` columns are read, and
//! no crate in this workspace's stack parses it (tokio-postgres's does, behind its own driver).
use futures_util::StreamExt;
use sea_orm::sqlx::postgres::PgConnection;
use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr, RuntimeErr};

use super::build::{READERS, ReadJob, export, spare_connections};
use super::read::{self, Columns, Sink};

/// A binary COPY stream's signature, first in its header.
const SIGNATURE: &[u8; 11] = b"PGCOPY\n\xff\r\n\0";

/// Most columns a tuple read here has (a citation's 11).
pub const MAX_FIELDS: usize = 12;

/// One tuple's fields, `None` for NULL, borrowed from the stream's buffer.
pub struct Tuple<'a> {
    fields: [Option<&'a [u8]>; MAX_FIELDS],
    len: usize,
}

impl Tuple<'_> {
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
        self.field(at)?
            .map(|b| {
                <[u8; 4]>::try_from(b)
                    .map(i32::from_be_bytes)
                    .map_err(|_| DbErr::Type(format!("column {at}: {} bytes for an int4", b.len())))
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
    Citations,
    Mentions,
}

impl Copied {
    const ALL: [Copied; 2] = [Copied::Citations, Copied::Mentions];

    fn table(self) -> &'static str {
        match self {
            Copied::Citations => "citations",
            Copied::Mentions => "mentions",
        }
    }

    fn columns(self) -> &'static [&'static str] {
        match self {
            Copied::Citations => &read::CITATION_COLUMNS,
            Copied::Mentions => &read::MENTION_COLUMNS,
        }
    }

    /// One tuple into `sink`: its first two columns are the owner's kind and slug.
    fn decode(self, sink: &mut dyn Sink, tuple: &Tuple<'_>) -> Result<(), DbErr> {
        let Some(owner) = tuple.owner()? else {
            return Ok(());
        };
        match self {
            Copied::Citations => read::cite(sink, owner, tuple, 1),
            Copied::Mentions => read::mention(sink, owner, tuple, 1),
        }
    }
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
            self.rows.columns().join(", "),
            self.rows.table(),
            self.from
        );
        if let Some(to) = self.to {
            select.push_str(&format!(" AND ctid < '({to},0)'::tid"));
        }
        async move { copy_rows(txn, &select, |t| self.rows.decode(sink, t)).await }
    }
}

/// Every copied table in [`PARTS`] page ranges, the citations' first (their rows are the
/// costlier).
pub async fn jobs(txn: &mut Txn) -> Result<Vec<Job>, DbErr> {
    let mut jobs = vec![];
    for rows in Copied::ALL {
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
