//! `partnership_parties`: A party to a partnership: exactly one of zone, platform, organization.
use crate::model::{belongs_to, row_model};

row_model! {
    /// A party to a partnership: exactly one of zone, platform, organization.
    "partnership_parties" {
        partnership: String,
        ordinal: i32,
        role: String,
        zone: Option<String>,
        platform: Option<String>,
        organization: Option<String>,
    }
}

belongs_to! {
    /// The partnership the party is to.
    Partnership => partnership,
    /// The party, when it is a zone.
    Zone => zone,
    /// The party, when it is a platform.
    Platform => platform,
    /// The party, when it is an organization.
    Organization => organization,
}

impl Model {
    /// The record this party is: exactly one of `zone`, `platform`, `organization` is set
    /// (the migration's CHECK and the loader both require it), so the first one set is it.
    pub fn party(&self) -> Option<(crate::ids::Kind, &str)> {
        use crate::ids::Kind;
        [
            (Kind::Zone, &self.zone),
            (Kind::Platform, &self.platform),
            (Kind::Organization, &self.organization),
        ]
        .into_iter()
        .find_map(|(k, s)| s.as_deref().map(|s| (k, s)))
    }
}
