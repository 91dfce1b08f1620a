//! The loader's errors: each names where the problem is and what it is.
use crate::node::Problem;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The seeds are invalid; every problem found, as `file:line: problem`, problems with whole
    /// files first (the rest is folded into one line then: it mostly follows from them). Nothing
    /// was written.
    #[error("{}", describe(.0))]
    Invalid(Vec<Problem>),
    /// The load would delete more of a kind than a load normally does; nothing was written.
    #[error(
        "refusing to delete {deleting} of {stored} {kind} records (more than {:.0} %); nothing \
         was written. Check the {kind} file, or pass --allow-deletions if that is what you mean",
        crate::DELETION_GUARD * 100.0
    )]
    WouldDelete {
        kind: String,
        deleting: usize,
        stored: usize,
    },
    /// The database refused the load; the transaction was rolled back and nothing was written.
    #[error("database error, nothing was written: {0}")]
    Database(#[from] sea_orm::DbErr),
    /// A file could not be read or written (feeds, synthetic seeds, reports).
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Every problem, one per line; when whole files are broken, those first and the rest folded.
fn describe(problems: &[Problem]) -> String {
    let (files, rest): (Vec<&Problem>, Vec<&Problem>) = problems.iter().partition(|p| p.file_level);
    let mut out = format!("{} problem(s) in the seeds:", problems.len());
    if files.is_empty() {
        for p in rest {
            out.push_str(&format!("\n{p}"));
        }
        return out;
    }
    for p in &files {
        out.push_str(&format!("\n{p}"));
    }
    if !rest.is_empty() {
        out.push_str(&format!(
            "\n… and {} more in other records (e.g. {}), most of them following from the file \
             problem(s) above: fix those first, then validate again",
            rest.len(),
            rest[0]
        ));
    }
    out
}
