//! `citations`: Evidence for a record or one of its relations: a verbatim quote with offsets, or a curator's note.
use crate::model::{belongs_to, row_model};

row_model! {
    /// Evidence for a record or one of its relations: a verbatim quote with offsets, or a curator's note.
    "citations" {
        owner_kind: String,
        owner_slug: String,
        relation: Option<String>,
        target: Option<String>,
        ordinal: i32,
        source: Option<String>,
        source_url: Option<String>,
        quote: Option<String>,
        start_offset: Option<i32>,
        end_offset: Option<i32>,
        note: Option<String>,
    }
}

belongs_to! {
    /// The source the quote stands in.
    Source => source,
}
