//! Shared test helpers: paths, seed directories and a fresh database per test.
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use tempfile::TempDir;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace root")
        .to_path_buf()
}

pub fn real_seeds() -> PathBuf {
    repo_root().join("seeds")
}

pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// Copies `from` (recursively) into a new temporary directory.
pub fn copy_to_temp(from: &Path) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(from, dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A database for one test, removed when dropped.
pub struct TestDb {
    pub db: DatabaseConnection,
    _dir: Option<TempDir>,
    postgres: Option<(String, String)>,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh, migrated database: PostgreSQL if `TEST_DATABASE_URL` is set, else a temporary SQLite file.
pub async fn test_db() -> TestDb {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            let name = format!(
                "baygraph_test_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.subsec_nanos())
                    .unwrap_or_default()
            );
            let server = sea_orm::Database::connect(&admin)
                .await
                .expect("connect to TEST_DATABASE_URL");
            server
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            server.close().await.ok();
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            let url = format!("{base}/{name}");
            let db = loader::connect(&url, 4)
                .await
                .expect("connect to the test database");
            TestDb {
                db,
                _dir: None,
                postgres: Some((admin, name)),
            }
        }
        _ => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
            let db = loader::connect(&url, 4).await.expect("connect to sqlite");
            TestDb {
                db,
                _dir: Some(dir),
                postgres: None,
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs outside async; a short-lived runtime on its own thread removes the database.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let server = sea_orm::Database::connect(&admin).await.ok()?;
                server
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
                    .ok()
            })
        })
        .join();
    }
}

/// Runs a query returning one integer.
pub async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("query")
        .expect("one row");
    row.try_get_by_index::<i64>(0).expect("integer")
}

/// Every row of every graph table, as text, so two states of a database can be compared exactly.
pub async fn snapshot(db: &DatabaseConnection) -> Vec<String> {
    let tables = [
        "sources",
        "zones",
        "platforms",
        "projects",
        "milestones",
        "organizations",
        "documents",
        "sectors",
        "partnerships",
        "partnership_parties",
        "partnership_projects",
        "platform_sectors",
        "project_sectors",
        "partnership_sectors",
        "metrics",
        "aliases",
        "citations",
        "mentions",
        "tombstones",
        "changes",
    ];
    let mut out = vec![];
    for t in tables {
        let key = match t {
            "changes" => "seq",
            _ if [
                "sources",
                "zones",
                "platforms",
                "projects",
                "organizations",
                "documents",
                "sectors",
                "partnerships",
                "metrics",
            ]
            .contains(&t) =>
            {
                "slug"
            }
            _ => "key",
        };
        let hash = if key == "slug" {
            ", content_hash, CAST(updated_at AS TEXT)"
        } else {
            ""
        };
        let sql = format!("SELECT CAST({key} AS TEXT){hash} FROM {t} ORDER BY 1");
        let rows = db
            .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .expect("snapshot query");
        for r in rows {
            let k: String = r.try_get_by_index(0).expect("key");
            let h: Option<String> = if key == "slug" {
                r.try_get_by_index(1).ok()
            } else {
                None
            };
            let u: Option<String> = if key == "slug" {
                r.try_get_by_index(2).ok()
            } else {
                None
            };
            out.push(format!(
                "{t}|{k}|{}|{}",
                h.unwrap_or_default(),
                u.unwrap_or_default()
            ));
        }
    }
    out
}
