//! `aliases`: Another surface form of an entity's name found in the sources.
use crate::model::{belongs_to, row_model};

row_model! {
    /// Another surface form of an entity's name found in the sources.
    "aliases" {
        entity_kind: String,
        entity_slug: String,
        alias: String,
    }
}

belongs_to! {}
