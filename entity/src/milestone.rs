//! `milestones`: A dated event in a project's life.
use crate::model::{belongs_to, row_model};

row_model! {
    /// A dated event in a project's life.
    "milestones" {
        project: String,
        ordinal: i32,
        date: String,
        event_zh: String,
        event_en: Option<String>,
        date_note: Option<String>,
    }
}

belongs_to! {
    /// The project the milestone belongs to.
    Project => project,
}
