//! `tombstones`: A record removed from the graph, kept so feed consumers learn of the deletion.
use crate::model::{belongs_to, row_model};

row_model! {
    /// A record removed from the graph, kept so feed consumers learn of the deletion.
    "tombstones" {
        kind: String,
        slug: String,
        deleted_at: sea_orm::prelude::DateTimeUtc,
    }
}

belongs_to! {}
