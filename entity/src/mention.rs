//! `mentions`: An occurrence of an entity's name or alias in a source (offsets in characters).
use crate::model::{belongs_to, row_model};

row_model! {
    /// An occurrence of an entity's name or alias in a source (offsets in characters).
    "mentions" {
        entity_kind: String,
        entity_slug: String,
        source: String,
        start_offset: i32,
        end_offset: i32,
        surface: String,
    }
}

belongs_to! {
    /// The source the name stands in.
    Source => source,
}
