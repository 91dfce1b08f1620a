//! `platforms`: A development or innovation platform, park, port or pilot area.
use crate::model::{belongs_to, record_model, related_via};

record_model! { $
    /// A development or innovation platform, park, port or pilot area.
    "platforms" as platform_columns {
        name_zh: String,
        name_en: Option<String>,
        kind: String,
        level: Option<String>,
        zone: Option<String>,
        parent: Option<String>,
        area_km2: Option<f64>,
    }
}

belongs_to! {
    /// The zone the platform lies in.
    Zone => zone,
    /// The larger platform this one is part of.
    Parent => Self,
}

related_via! {
    sector: platform_sector(Platform -> Sector),
}
