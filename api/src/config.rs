//! Typed configuration: command-line flags with environment fallbacks; `--help` lists them all.
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, ValueEnum};

/// Baygraph's GraphQL API.
#[derive(Clone, Debug, Parser)]
#[command(version, about)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "BAYGRAPH_LISTEN", default_value = "127.0.0.1:8000")]
    pub listen: SocketAddr,
    /// `sqlite://…` (embedded default) or `postgres://…`; a relative SQLite path is relative to the
    /// working directory.
    #[arg(long, env = "DATABASE_URL", default_value = loader::DEFAULT_DATABASE_URL)]
    pub database_url: String,
    /// Seeds loaded into an empty database on start. When not given: `seeds/` next to the binary,
    /// then `share/baygraph/seeds` beside its `bin/`, then the source tree it was built from —
    /// never the working directory by surprise.
    #[arg(long, env = "BAYGRAPH_SEEDS")]
    pub seeds: Option<PathBuf>,
    /// Database connections in the pool (SQLite: readers share a WAL file; keep near 2 × cores).
    #[arg(long, env = "BAYGRAPH_DB_CONNECTIONS", default_value_t = 8)]
    pub db_connections: u32,
    /// Origins allowed by CORS, comma-separated; empty allows any origin (a public, read-only API).
    #[arg(long, env = "BAYGRAPH_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// Log format.
    #[arg(long, env = "BAYGRAPH_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// An OpenTelemetry collector's base URL (OTLP over HTTP, e.g. `http://collector:4318`): every
    /// request's span is exported to `{URL}/v1/traces`. Off when not given.
    #[arg(long, env = "BAYGRAPH_OTLP_ENDPOINT")]
    pub otlp_endpoint: Option<String>,
    /// Milliseconds between checks of the change log for a newer graph (one indexed `MAX`; a
    /// rebuild happens only when it moved).
    #[arg(long, env = "BAYGRAPH_REFRESH_MS", default_value_t = 500)]
    pub refresh_ms: u64,
    /// A file the read model is saved to between runs: a restart reads it and applies only the
    /// changes committed since, instead of reading every table. Default: beside an SQLite
    /// database file (`data/baygraph.db.read-model`); none for PostgreSQL unless given.
    #[arg(long, env = "BAYGRAPH_READ_MODEL_CACHE")]
    pub read_model_cache: Option<PathBuf>,
    /// The read model saved in the database itself, shared by every instance over it: a
    /// writable instance stores the snapshot it builds (and again at most every 15 minutes while
    /// it changes); any instance, `--read-only` ones on a hot standby included, starts from it
    /// and applies the changes since. `auto`: on for PostgreSQL, off for SQLite (whose read model
    /// is saved beside its file).
    #[arg(long, env = "BAYGRAPH_SHARED_READ_MODEL", value_enum, default_value_t = Shared::Auto)]
    pub shared_read_model: Shared,
    /// Never write: no migrations, no seeding, read-only sessions — for a replica on a hot
    /// standby or under a read-only role (the loader writes to the primary).
    #[arg(long, env = "BAYGRAPH_READ_ONLY")]
    pub read_only: bool,
    /// An Apollo persisted query manifest (JSON) whose operations are registered by hash.
    #[arg(long, env = "BAYGRAPH_PERSISTED_QUERIES")]
    pub persisted_queries: Option<PathBuf>,
    /// Run only the operations of `--persisted-queries` (by hash or exact text); refuse the rest.
    #[arg(long, env = "BAYGRAPH_PERSISTED_ONLY")]
    pub persisted_only: bool,
    #[command(flatten)]
    pub limits: Limits,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shared {
    Auto,
    On,
    Off,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Request limits; every one has a safe default and a flag.
#[derive(Clone, Debug, Args)]
pub struct Limits {
    /// Largest request body, in bytes.
    #[arg(long, env = "BAYGRAPH_MAX_BODY_BYTES", default_value_t = 64 * 1024)]
    pub max_body_bytes: usize,
    /// Most lexical tokens in a query, counted before parsing.
    #[arg(long, env = "BAYGRAPH_MAX_TOKENS", default_value_t = 2_000)]
    pub max_tokens: usize,
    /// Most field aliases in a query, after fragment expansion.
    #[arg(long, env = "BAYGRAPH_MAX_ALIASES", default_value_t = 30)]
    pub max_aliases: usize,
    /// Most field selections in a query after fragment expansion (each fragment counted once per
    /// spread), checked before validation; GraphiQL's introspection query has about 200.
    #[arg(long, env = "BAYGRAPH_MAX_FIELDS", default_value_t = 2_000)]
    pub max_fields: usize,
    /// Deepest selection nesting (the standard introspection query needs 13).
    #[arg(long, env = "BAYGRAPH_MAX_DEPTH", default_value_t = 15)]
    pub max_depth: usize,
    /// Highest query cost; list fields cost their page size times their selection.
    #[arg(long, env = "BAYGRAPH_MAX_COMPLEXITY", default_value_t = 20_000)]
    pub max_complexity: usize,
    /// Seconds a client has to send a request's headers; a connection slower than that is closed.
    #[arg(long, env = "BAYGRAPH_HEADER_READ_SECS", default_value_t = 10)]
    pub header_read_secs: u64,
    /// Seconds a client has to send a whole request body (a total deadline, so a body trickled a
    /// byte at a time cannot hold a connection); slower gets 408.
    #[arg(long, env = "BAYGRAPH_BODY_READ_SECS", default_value_t = 10)]
    pub body_read_secs: u64,
    /// Requests one keep-alive connection may send; the last answer closes it.
    #[arg(
        long,
        env = "BAYGRAPH_MAX_REQUESTS_PER_CONNECTION",
        default_value_t = 1_000
    )]
    pub max_requests_per_connection: u64,
    /// Time allowed for one request, in milliseconds.
    #[arg(long, env = "BAYGRAPH_REQUEST_TIMEOUT_MS", default_value_t = 10_000)]
    pub request_timeout_ms: u64,
    /// GraphQL requests executing at once; more are answered "busy" at once rather than queued.
    #[arg(long, env = "BAYGRAPH_MAX_IN_FLIGHT", default_value_t = 64)]
    pub max_in_flight: usize,
    /// Exports and `/changes` streams served at once; more are answered 503 with `Retry-After`.
    /// Each holds one database connection for its whole download, so keep it well below
    /// `--db-connections`: GraphQL keeps the rest.
    #[arg(long, env = "BAYGRAPH_MAX_FEEDS", default_value_t = 3)]
    pub max_feeds: usize,
    /// Seconds a feed waits for a client that stopped reading before it aborts the download.
    #[arg(long, env = "BAYGRAPH_FEED_IDLE_SECS", default_value_t = 30)]
    pub feed_idle_secs: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 64 * 1024,
            max_tokens: 2_000,
            max_aliases: 30,
            max_fields: 2_000,
            max_depth: 15,
            max_complexity: 20_000,
            header_read_secs: 10,
            body_read_secs: 10,
            max_requests_per_connection: 1_000,
            request_timeout_ms: 10_000,
            max_in_flight: 64,
            max_feeds: 3,
            feed_idle_secs: 30,
        }
    }
}

/// Why the seeds directory cannot be found.
#[derive(Debug, thiserror::Error)]
#[error("no seeds directory: {0}")]
pub struct SeedsNotFound(String);

impl Config {
    /// The seeds directory: the flag, else the install layout (see `seeds`). It must hold
    /// `zones.toml`, so a wrong path fails before any database is created.
    pub fn seeds_dir(&self) -> Result<PathBuf, SeedsNotFound> {
        let holds_seeds = |p: &std::path::Path| p.join("zones.toml").is_file();
        if let Some(given) = &self.seeds {
            return if holds_seeds(given) {
                Ok(given.clone())
            } else {
                Err(SeedsNotFound(format!(
                    "{} holds no zones.toml (paths are relative to the working directory, {})",
                    given.display(),
                    std::env::current_dir()
                        .map(|d| d.display().to_string())
                        .unwrap_or_else(|e| format!("unknown: {e}"))
                )))
            };
        }
        let exe_dir = std::env::current_exe()
            .ok()
            .and_then(|e| e.parent().map(std::path::Path::to_path_buf));
        let mut candidates: Vec<PathBuf> = Vec::new();
        if let Some(dir) = &exe_dir {
            candidates.push(dir.join("seeds"));
            candidates.push(dir.join("../share/baygraph/seeds"));
        }
        candidates.push(PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../seeds"
        )));
        candidates
            .iter()
            .find(|c| holds_seeds(c))
            .cloned()
            .ok_or_else(|| {
                let tried: Vec<String> =
                    candidates.iter().map(|c| c.display().to_string()).collect();
                SeedsNotFound(format!("looked in {}; pass --seeds DIR", tried.join(", ")))
            })
    }

    /// Where the read model is saved: `--read-model-cache`, or beside an SQLite database file.
    pub fn read_model_cache(&self) -> Option<PathBuf> {
        if let Some(given) = &self.read_model_cache {
            return Some(given.clone());
        }
        let file = self.database_url.strip_prefix("sqlite://")?;
        let file = file.split('?').next().unwrap_or(file);
        (!file.is_empty() && !file.starts_with(':'))
            .then(|| PathBuf::from(format!("{file}.read-model")))
    }

    /// Whether the read model is read from and saved to the database (`--shared-read-model`).
    pub fn shared_read_model(&self) -> bool {
        match self.shared_read_model {
            Shared::On => true,
            Shared::Off => false,
            Shared::Auto => self.database_url.starts_with("postgres"),
        }
    }

    /// The defaults, on another database (for tests and tools).
    pub fn for_database(database_url: &str) -> Config {
        let mut config = Config::parse_from(["api"]);
        config.database_url = database_url.to_owned();
        config
    }
}
