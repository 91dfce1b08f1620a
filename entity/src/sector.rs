//! `sectors`: An industry or field (生物医药, 集成电路 …).
use crate::model::{belongs_to, record_model};

record_model! { $
    /// An industry or field (生物医药, 集成电路 …).
    "sectors", Eq as sector_columns {
        name_zh: String,
        name_en: Option<String>,
        /// The broader sector this one is a branch of (生物制药 → 生物医药).
        broader: Option<String>,
    }
}

belongs_to! {
    /// The broader sector this one is a branch of.
    Broader => Self,
}
