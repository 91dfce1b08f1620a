//! `zones`: A city, district, SAR, cooperation zone, new area or region.
use crate::model::{belongs_to, record_model};

record_model! { $
    /// A city, district, SAR, cooperation zone, new area or region.
    "zones", Eq as zone_columns {
        name_zh: String,
        name_en: Option<String>,
        kind: String,
        parent: Option<String>,
    }
}

belongs_to! {
    /// The zone this zone lies in (`parent`).
    Parent => Self,
}
