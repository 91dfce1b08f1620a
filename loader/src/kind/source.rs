//! Sources: the metadata file beside each text (`seeds/sources/<slug>.toml`).
use serde::{Deserialize, Serialize};

/// `seeds/sources/<slug>.toml`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceMeta {
    pub title: String,
    pub publisher: String,
    pub reporter: Option<String>,
    pub date: Option<String>,
    pub date_note: Option<String>,
    pub original_file: String,
    /// The original publication's address, where the received text states it.
    pub url: Option<String>,
    /// Why there is no `url` (the received text states no address).
    pub url_note: Option<String>,
}
