//! The first pass over a feed: what each record is (its key, the names that count as naming it,
//! its parents within the feed) and in which part it is written. The records themselves are read
//! again, checked and written one part at a time (see `feed`).
//!
//! The index lives in a scratch SQLite file in the system's temporary folder, not in memory, so
//! an import's memory is one part of the feed and a page cache, whatever the feed's size (an
//! in-memory index cost ~270 bytes a record). The file is deleted when the import ends.
use std::collections::{HashMap, HashSet};
use std::io::Read;

use entity::ids::Kind;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
    TransactionTrait, Value,
};
use sha2::{Digest, Sha256};

use crate::LoadError;
use crate::node::{Loc, Node, Problem};

/// Which part of the second pass a record is written in.
pub type Part = u16;
/// Parent chains longer than this are refused (each level is one more pass over the file).
pub const MAX_DEPTH: usize = 64;
/// Page cache of the scratch file, in KiB: what the index may hold in memory.
const CACHE_KIB: i64 = 16 * 1024;
/// Values bound in one statement, well under SQLite's limit (32,766).
const BINDS: usize = 900;

/// A feed record as the first pass notes it.
pub struct Seen {
    kind: Kind,
    slug: String,
    line: usize,
    /// The strings that count as the record being named (`Node::surface_forms`).
    forms: Vec<String>,
    /// Records of its own kind it points at (`parent`, `broader`): written before it.
    parents: Vec<String>,
}

impl Seen {
    /// What the index keeps of `node`, read from `line` (one record a line).
    pub fn of(node: &Node, line: usize) -> Self {
        Seen {
            kind: node.kind,
            slug: node.slug.clone(),
            line,
            forms: node.surface_forms().map(str::to_owned).collect(),
            parents: node
                .relations
                .iter()
                .filter(|r| r.target_kind == node.kind)
                .map(|r| r.target.clone())
                .collect(),
        }
    }
}

/// The first pass's index of a feed, in its scratch file.
pub struct Index {
    db: DatabaseConnection,
    /// Records in the feed (duplicates not counted).
    pub records: u64,
    /// Deleted when the index is dropped (after `db`, declared above it).
    _dir: tempfile::TempDir,
}

const SCHEMA: &str = "
    CREATE TABLE seen (kind TEXT NOT NULL, slug TEXT NOT NULL, line INTEGER NOT NULL,
                       rank INTEGER NOT NULL);
    CREATE TABLE form (line INTEGER NOT NULL, form TEXT NOT NULL);
    CREATE TABLE parent (line INTEGER NOT NULL, parent TEXT NOT NULL);";

impl Index {
    /// An empty index in a new scratch file.
    pub async fn create() -> Result<Index, LoadError> {
        let dir = tempfile::Builder::new()
            .prefix("baygraph-import-")
            .tempdir()
            .map_err(|source| LoadError::Io {
                path: std::env::temp_dir().display().to_string(),
                source,
            })?;
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("index.db").display()
        );
        let mut opt = ConnectOptions::new(url);
        opt.max_connections(1)
            .min_connections(1)
            .sqlx_logging(false);
        let db = Database::connect(opt).await?;
        // A scratch file: nothing to recover after a crash, so no journal and no syncing.
        db.execute_unprepared(&format!(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; \
             PRAGMA cache_size = -{CACHE_KIB}; PRAGMA temp_store = FILE; {SCHEMA}"
        ))
        .await?;
        Ok(Index {
            db,
            records: 0,
            _dir: dir,
        })
    }

    /// Notes a batch of records.
    pub async fn add(&self, batch: &[Seen]) -> Result<(), LoadError> {
        let order = crate::rows::record_order();
        let txn = self.db.begin().await?;
        let mut seen = vec![];
        let mut forms = vec![];
        let mut parents = vec![];
        for s in batch {
            let line = s.line as i64;
            let rank = order
                .iter()
                .position(|k| *k == s.kind)
                .unwrap_or(order.len());
            seen.push(vec![
                s.kind.as_str().into(),
                s.slug.as_str().into(),
                line.into(),
                (rank as i64).into(),
            ]);
            forms.extend(s.forms.iter().map(|f| vec![line.into(), f.as_str().into()]));
            parents.extend(
                s.parents
                    .iter()
                    .map(|p| vec![line.into(), p.as_str().into()]),
            );
        }
        insert(&txn, "seen (kind, slug, line, rank)", seen).await?;
        insert(&txn, "form (line, form)", forms).await?;
        insert(&txn, "parent (line, parent)", parents).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Once every record is noted: a second record with a key is a problem (naming the first's
    /// line); every other record gets its part — kinds in an order where each comes after the
    /// kinds its relations point at, and within a kind parents before children. A parent chain
    /// that loops or is deeper than [`MAX_DEPTH`] is a problem.
    pub async fn settle(
        &mut self,
        file: &str,
        problems: &mut Vec<Problem>,
    ) -> Result<(), LoadError> {
        let at = |line: i64| Loc {
            file: file.into(),
            line: line as usize,
        };
        self.db
            .execute_unprepared(
                "CREATE TABLE entry (kind TEXT NOT NULL, slug TEXT NOT NULL, line INTEGER NOT NULL,
                                     rank INTEGER NOT NULL, depth INTEGER, part INTEGER,
                                     PRIMARY KEY (kind, slug)) WITHOUT ROWID;
                 INSERT INTO entry (kind, slug, line, rank)
                   SELECT kind, slug, MIN(line), MIN(rank) FROM seen GROUP BY kind, slug;
                 CREATE UNIQUE INDEX entry_line ON entry (line);
                 CREATE INDEX form_line ON form (line);",
            )
            .await?;
        let duplicates = self
            .rows(
                "SELECT s.kind, s.slug, s.line, e.line FROM seen s
                 JOIN entry e ON e.kind = s.kind AND e.slug = s.slug
                 WHERE s.line <> e.line ORDER BY s.line LIMIT ?",
                vec![(super::MAX_PROBLEMS as i64).into()],
            )
            .await?;
        for row in duplicates {
            let (kind, slug): (String, String) =
                (row.try_get_by_index(0)?, row.try_get_by_index(1)?);
            let (line, first): (i64, i64) = (row.try_get_by_index(2)?, row.try_get_by_index(3)?);
            problems.push(Problem::new(
                &at(line),
                format!("duplicate {kind} slug \"{slug}\" (first on line {first})"),
            ));
        }
        // Depths level by level: a record whose parents in the feed all have a depth below `d`
        // has depth `d`. Each level is one statement over the feed, and the levels are few.
        self.db
            .execute_unprepared(
                "CREATE TABLE link AS
                   SELECT e.line AS child, p.line AS parent FROM entry e
                   JOIN parent x ON x.line = e.line
                   JOIN entry p ON p.kind = e.kind AND p.slug = x.parent;
                 CREATE INDEX link_child ON link (child);",
            )
            .await?;
        for d in 0..=MAX_DEPTH as i64 {
            let set = self
                .db
                .execute_raw(statement(
                    "UPDATE entry SET depth = ? WHERE depth IS NULL AND NOT EXISTS (
                       SELECT 1 FROM link l JOIN entry p ON p.line = l.parent
                       WHERE l.child = entry.line AND (p.depth IS NULL OR p.depth >= ?))",
                    vec![d.into(), d.into()],
                ))
                .await?;
            if set.rows_affected() == 0 {
                break;
            }
        }
        let span = MAX_DEPTH as i64 + 1;
        self.db
            .execute_raw(statement(
                "UPDATE entry SET part = rank * ? + depth WHERE depth IS NOT NULL",
                vec![span.into()],
            ))
            .await?;
        self.db
            .execute_unprepared("CREATE INDEX entry_part ON entry (part, line)")
            .await?;
        let looping = self
            .rows(
                "SELECT kind, slug, line FROM entry WHERE depth IS NULL ORDER BY line LIMIT ?",
                vec![(super::MAX_PROBLEMS as i64).into()],
            )
            .await?;
        for row in looping {
            let (kind, slug): (String, String) =
                (row.try_get_by_index(0)?, row.try_get_by_index(1)?);
            problems.push(Problem::new(
                &at(row.try_get_by_index(2)?),
                format!(
                    "{kind} \"{slug}\": its chain of parents in the feed loops or is deeper \
                     than {MAX_DEPTH}"
                ),
            ));
        }
        let count = self.integers("SELECT COUNT(*) FROM entry", vec![]).await?;
        self.records = count.first().map_or(0, |&n| n as u64);
        Ok(())
    }

    /// The parts records are written in, in order.
    pub async fn part_order(&self) -> Result<Vec<Part>, LoadError> {
        let parts = self
            .integers(
                "SELECT DISTINCT part FROM entry WHERE part IS NOT NULL ORDER BY part",
                vec![],
            )
            .await?;
        Ok(parts.into_iter().map(|p| p as Part).collect())
    }

    /// The lines of part `part`'s records after line `after`, in order, at most `limit`.
    pub async fn lines(
        &self,
        part: Part,
        after: usize,
        limit: usize,
    ) -> Result<Vec<usize>, LoadError> {
        let lines = self
            .integers(
                "SELECT line FROM entry WHERE part = ? AND line > ? ORDER BY line LIMIT ?",
                vec![
                    i64::from(part).into(),
                    (after as i64).into(),
                    (limit as i64).into(),
                ],
            )
            .await?;
        Ok(lines.into_iter().map(|l| l as usize).collect())
    }

    /// Of `slugs` (records of `kind`), those the feed carries.
    pub async fn carried(
        &self,
        kind: Kind,
        slugs: &[String],
    ) -> Result<HashSet<String>, LoadError> {
        let mut found = HashSet::new();
        for chunk in slugs.chunks(BINDS) {
            let sql = format!(
                "SELECT slug FROM entry WHERE kind = ? AND slug IN ({})",
                marks(chunk.len())
            );
            for row in self.rows(&sql, keyed(kind, chunk)).await? {
                found.insert(row.try_get_by_index(0)?);
            }
        }
        Ok(found)
    }

    /// External nodes for the feed records among `wanted`, so records of another part that
    /// point at them resolve and their evidence can name them.
    pub async fn external(
        &self,
        file: &str,
        wanted: &HashMap<Kind, Vec<String>>,
    ) -> Result<Vec<Node>, LoadError> {
        let mut nodes = vec![];
        for (&kind, slugs) in wanted {
            for chunk in slugs.chunks(BINDS) {
                let sql = format!(
                    "SELECT e.slug, e.line, f.form FROM entry e
                     LEFT JOIN form f ON f.line = e.line
                     WHERE e.kind = ? AND e.slug IN ({}) ORDER BY e.line, f.rowid",
                    marks(chunk.len())
                );
                let values = keyed(kind, chunk);
                let mut last: Option<(String, usize, Vec<String>)> = None;
                for row in self.rows(&sql, values).await? {
                    let slug: String = row.try_get_by_index(0)?;
                    let line = row.try_get_by_index::<i64>(1)? as usize;
                    let form: Option<String> = row.try_get_by_index(2)?;
                    match &mut last {
                        Some((s, _, forms)) if *s == slug => forms.extend(form),
                        _ => {
                            nodes.extend(last.take().map(|n| external(file, kind, n)));
                            last = Some((slug, line, form.into_iter().collect()));
                        }
                    }
                }
                nodes.extend(last.map(|n| external(file, kind, n)));
            }
        }
        Ok(nodes)
    }

    /// The first column of every row of a query returning integers.
    async fn integers(&self, sql: &str, values: Vec<Value>) -> Result<Vec<i64>, LoadError> {
        let rows = self.rows(sql, values).await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get_by_index::<i64>(0))
            .collect::<Result<_, _>>()?)
    }

    async fn rows(
        &self,
        sql: &str,
        values: Vec<Value>,
    ) -> Result<Vec<sea_orm::QueryResult>, LoadError> {
        Ok(self.db.query_all_raw(statement(sql, values)).await?)
    }
}

/// The values of a `kind = ? AND slug IN (…)` query.
fn keyed(kind: Kind, slugs: &[String]) -> Vec<Value> {
    let mut values: Vec<Value> = vec![kind.as_str().into()];
    values.extend(slugs.iter().map(|s| s.as_str().into()));
    values
}

fn statement(sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

/// `?, ?, …` for `n` values.
fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Inserts `rows` into `into` (`table (columns)`), as many rows a statement as the bind limit
/// allows.
async fn insert<C: ConnectionTrait>(
    db: &C,
    into: &str,
    rows: Vec<Vec<Value>>,
) -> Result<(), LoadError> {
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(());
    };
    let row = format!("({})", marks(width));
    for chunk in rows.chunks(BINDS / width) {
        let sql = format!(
            "INSERT INTO {into} VALUES {}",
            vec![row.as_str(); chunk.len()].join(", ")
        );
        db.execute_raw(statement(&sql, chunk.concat())).await?;
    }
    Ok(())
}

fn external(file: &str, kind: Kind, (slug, line, forms): (String, usize, Vec<String>)) -> Node {
    let at = Loc {
        file: file.into(),
        line,
    };
    Node::external(kind, slug, at, String::new(), forms)
}

/// A reader that hashes what passes through it, so the second pass can tell that it read the
/// same file as the first.
pub struct Hashing<R> {
    pub inner: R,
    pub hasher: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

impl<R> Hashing<R> {
    pub fn new(inner: R) -> Self {
        Hashing {
            inner,
            hasher: Sha256::new(),
        }
    }

    pub fn digest(self) -> [u8; 32] {
        self.hasher.finalize().into()
    }
}
