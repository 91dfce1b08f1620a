//! `metrics`: A figure about exactly one zone, platform, project or partnership.
use crate::model::{belongs_to, record_model};

record_model! {
    /// A figure about exactly one zone, platform, project or partnership.
    "metrics" {
        zone: Option<String>,
        platform: Option<String>,
        project: Option<String>,
        partnership: Option<String>,
        name_zh: String,
        name_en: Option<String>,
        value: f64,
        value_text: String,
        unit: String,
        year: Option<i32>,
        /// How `value` relates to what the text states (`exact`, `more_than`, `range` …).
        qualifier: String,
        /// The upper end of a `range`.
        value_max: Option<f64>,
        /// The date a cumulative count stands at (YYYY, YYYY-MM or YYYY-MM-DD), where stated.
        as_of: Option<String>,
        is_target: bool,
    }
}

belongs_to! {
    /// The zone the figure is about.
    Zone => zone,
    /// The platform the figure is about.
    Platform => platform,
    /// The project the figure is about.
    Project => project,
    /// The partnership the figure is about.
    Partnership => partnership,
}
