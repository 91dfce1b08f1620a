#![doc = include_str!("../README.md")]

pub mod abbrev;
pub mod chunks;
pub mod convert;
pub mod coverage;
pub mod db;
pub mod defined;
pub mod error;
pub mod feed;
pub mod figure;
pub mod kind;
pub mod matcher;
pub mod mentions;
pub mod mirror;
pub mod name_index;
pub mod node;
pub mod read;
pub mod report;
pub mod rows;
pub mod seed;
pub mod stream;
pub mod synth;
pub mod validate;
pub mod vocab;
pub mod write;

use std::path::Path;

use indicatif::ProgressBar;
use sea_orm::DatabaseConnection;

pub use db::{DEFAULT_DATABASE_URL, connect, connect_read_only, pending_migrations};
pub use error::LoadError;
pub use validate::Graph;
pub use write::DELETION_GUARD;
pub use write::Summary;

/// The `origin` of curated records, as opposed to `feed:<name>` for partner feeds.
pub const SEEDS_ORIGIN: &str = "seeds";

/// What a load may remove. The default is careful: every kind file must be present and hold
/// records, and no load deletes more than [`write::DELETION_GUARD`] of a kind's stored records.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Kinds whose file may be missing or empty (by file stem, `metrics`, or kind, `metric`);
    /// their stored records are then deleted.
    pub allow_empty: Vec<String>,
    /// Allow a load to delete any share of a kind's records.
    pub allow_deletions: bool,
}

/// Reads and validates a seeds directory without touching any database.
pub fn check(dir: &Path) -> Result<Graph, LoadError> {
    check_with(dir, &LoadOptions::default())
}

/// `check`, with `options` deciding which kind files may be missing or empty.
pub fn check_with(dir: &Path, options: &LoadOptions) -> Result<Graph, LoadError> {
    let (set, problems) = read::read_dir(dir, &options.allow_empty);
    validate::validate(set.graph, problems).map_err(LoadError::Invalid)
}

/// Validates `dir` and brings the database to exactly its content, in one transaction.
pub async fn load(db: &DatabaseConnection, dir: &Path) -> Result<Summary, LoadError> {
    load_with(db, dir, &LoadOptions::default(), &ProgressBar::hidden()).await
}

/// `load`, reporting progress (rows written) on `progress`.
pub async fn load_with_progress(
    db: &DatabaseConnection,
    dir: &Path,
    progress: &ProgressBar,
) -> Result<Summary, LoadError> {
    load_with(db, dir, &LoadOptions::default(), progress).await
}

/// `load` with explicit `options`.
pub async fn load_with(
    db: &DatabaseConnection,
    dir: &Path,
    options: &LoadOptions,
    progress: &ProgressBar,
) -> Result<Summary, LoadError> {
    stream::load(db, dir, options, progress).await
}

/// Loads `dir` only if the database holds no curated record yet (the API's first run).
pub async fn load_if_empty(
    db: &DatabaseConnection,
    dir: &Path,
) -> Result<Option<Summary>, LoadError> {
    use sea_orm::{EntityTrait, PaginatorTrait};
    if entity::source::Entity::find().count(db).await? > 0 {
        return Ok(None);
    }
    load(db, dir).await.map(Some)
}
