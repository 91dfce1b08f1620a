//! Connecting to SQLite or PostgreSQL with Baygraph's settings, and applying pending migrations.
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

/// The embedded default: a SQLite file next to the working directory, created on first use.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/baygraph.db?mode=rwc";

/// Opens a pool on `url` (`sqlite://…` or `postgres://…`) and applies pending migrations.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let db = open(url, max_connections, false).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// Connects without writing anything: no migrations (an error if any is pending, since the
/// schema would not match), and every session read-only (PostgreSQL `default_transaction_read_only`,
/// SQLite read-only mode), so it can serve from a hot standby or under a read-only role.
pub async fn connect_read_only(
    url: &str,
    max_connections: u32,
) -> Result<DatabaseConnection, DbErr> {
    let db = open(url, max_connections, true).await?;
    let pending = pending_migrations(&db).await?;
    if !pending.is_empty() {
        return Err(DbErr::Custom(format!(
            "migrations pending ({}); run the loader (or a writable API) against the primary first",
            pending.join(", ")
        )));
    }
    Ok(db)
}

/// The migrations this build has that the database has not applied, read without writing
/// (`MigratorTrait::get_pending_migrations` creates its table first, which a read-only session
/// cannot).
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    use sea_orm::ConnectionTrait as _;
    let stmt = sea_orm::Statement::from_string(
        db.get_database_backend(),
        "SELECT version FROM seaql_migrations".to_owned(),
    );
    let applied: std::collections::HashSet<String> = match db.query_all_raw(stmt).await {
        Ok(rows) => rows
            .iter()
            .map(|r| r.try_get_by_index::<String>(0))
            .collect::<Result<_, _>>()?,
        // No migration table yet: nothing is applied.
        Err(_) => Default::default(),
    };
    Ok(Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .filter(|name| !applied.contains(name))
        .collect())
}

async fn open(
    url: &str,
    max_connections: u32,
    read_only: bool,
) -> Result<DatabaseConnection, DbErr> {
    if !read_only
        && let Some(path) = sqlite_file(url)
        && let Some(dir) = std::path::Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut opt = ConnectOptions::new(url);
    // sea-orm silently uses one connection for SQLite unless told otherwise.
    opt.max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |o| {
            let o = o
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // Rows sqlx's worker may read ahead of the task taking them (50 by default):
                // a first start's whole-table reads woke a thread per row or two.
                .row_buffer_size(1024);
            if read_only { o.read_only(true) } else { o }
        })
        .map_sqlx_postgres_opts(move |o| {
            if read_only {
                o.options([("default_transaction_read_only", "on")])
            } else {
                o
            }
        });
    Database::connect(opt).await
}

/// The file path of a `sqlite://` URL, if it names a file.
fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://")?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && !path.starts_with(":memory:")).then_some(path)
}
