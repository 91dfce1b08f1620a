//! `sources`: A source document every fact is quoted from.
use crate::model::{belongs_to, record_model};

record_model! {
    /// A source document every fact is quoted from.
    "sources", Eq {
        title: String,
        publisher: String,
        reporter: Option<String>,
        date: Option<String>,
        date_note: Option<String>,
        original_file: String,
        /// The original publication's address, where the received text states it.
        url: Option<String>,
        /// Why there is no `url`.
        url_note: Option<String>,
        body: String,
        sha256: String,
    }
}

belongs_to! {}
