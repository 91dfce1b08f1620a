//! The loader's errors: each names where the problem is and what it is.
use crate::node::Problem;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The seeds are invalid; every problem found, as `file:line: problem`. Nothing was written.
    #[error("{} problem(s) in the seeds:\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
    /// The database refused the load; the transaction was rolled back and nothing was written.
    #[error("database error, nothing was written: {0}")]
    Database(#[from] sea_orm::DbErr),
    /// A file could not be written (synthetic seeds, reports).
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}
