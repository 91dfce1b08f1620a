//! `documents`: A policy document (a 《…》 title).
use crate::model::{belongs_to, record_model};

record_model! { $
    /// A policy document (a 《…》 title).
    "documents", Eq as document_columns {
        title_zh: String,
        title_en: Option<String>,
        kind: String,
        date: Option<String>,
        /// Required when the date is inferred rather than stated: how, with the sentence that
        /// implies it.
        date_note: Option<String>,
        issuer_zone: Option<String>,
        issuer_organization: Option<String>,
    }
}

belongs_to! {
    /// The zone (its government) issuing the document.
    IssuerZone => zone,
    /// The organization issuing the document.
    IssuerOrganization => organization,
}
