//! Persisted queries. Automatic persisted queries (APQ, Apollo's `persistedQuery` extension): a
//! client sends the SHA-256 of its query; an unknown hash gets `PERSISTED_QUERY_NOT_FOUND`, the
//! client retries with the text, which is checked against the hash and remembered (a bounded
//! cache per replica: a replica that does not know a hash simply asks for the text once).
//!
//! With an allow-list (`--persisted-queries FILE`, Apollo's persisted query manifest) and
//! `--persisted-only`, only the manifest's operations run: by hash, or by exactly their text.
use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::Mutex;

use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use super::Refusal;

/// Queries remembered per replica for APQ.
const CACHE_ENTRIES: usize = 10_000;

/// Why a manifest cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not a persisted query manifest: {source}")]
    Format {
        path: String,
        source: serde_json::Error,
    },
    #[error("{path}: operation {index} ({name}): id is not the SHA-256 of its body")]
    Hash {
        path: String,
        index: usize,
        name: String,
    },
}

#[derive(Deserialize)]
struct Manifest {
    format: String,
    version: u32,
    operations: Vec<ManifestOperation>,
}

#[derive(Deserialize)]
struct ManifestOperation {
    id: String,
    #[serde(default)]
    name: Option<String>,
    body: String,
}

/// The persisted queries a replica knows.
pub struct PersistedQueries {
    cache: Mutex<lru::LruCache<String, String>>,
    /// The manifest's queries by hash.
    allowed: HashMap<String, String>,
    /// Only the manifest's queries run.
    only: bool,
}

impl Default for PersistedQueries {
    fn default() -> Self {
        PersistedQueries::new(HashMap::new(), false)
    }
}

fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

impl PersistedQueries {
    fn new(allowed: HashMap<String, String>, only: bool) -> PersistedQueries {
        let entries = NonZeroUsize::new(CACHE_ENTRIES).unwrap_or(NonZeroUsize::MIN);
        PersistedQueries {
            cache: Mutex::new(lru::LruCache::new(entries)),
            allowed,
            only,
        }
    }

    /// From the configuration: an optional manifest, and whether only its queries may run.
    pub fn configured(manifest: Option<&Path>, only: bool) -> Result<Self, ManifestError> {
        let Some(path) = manifest else {
            return Ok(PersistedQueries::new(HashMap::new(), only));
        };
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ManifestError::Read {
            path: name.clone(),
            source,
        })?;
        let manifest: Manifest =
            serde_json::from_str(&text).map_err(|source| ManifestError::Format {
                path: name.clone(),
                source,
            })?;
        if manifest.format != "apollo-persisted-query-manifest" || manifest.version != 1 {
            let source = serde::de::Error::custom(format!(
                "format {:?} version {}; expected \"apollo-persisted-query-manifest\" version 1",
                manifest.format, manifest.version
            ));
            return Err(ManifestError::Format { path: name, source });
        }
        let mut allowed = HashMap::new();
        for (index, op) in manifest.operations.into_iter().enumerate() {
            if sha256(&op.body) != op.id.to_ascii_lowercase() {
                return Err(ManifestError::Hash {
                    path: name,
                    index,
                    name: op.name.unwrap_or_default(), // unnamed: named by its index
                });
            }
            allowed.insert(op.id.to_ascii_lowercase(), op.body);
        }
        Ok(PersistedQueries::new(allowed, only))
    }

    /// The query text to run, from the text sent, a persisted hash, or both.
    pub fn resolve(
        &self,
        query: Option<String>,
        extensions: Option<&Value>,
    ) -> Result<String, Refusal> {
        let persisted = extensions.and_then(|e| e.get("persistedQuery"));
        let hash = match persisted {
            None => None,
            Some(p) => {
                if p.get("version").and_then(Value::as_u64) != Some(1) {
                    return Err(bad("persistedQuery.version must be 1"));
                }
                let Some(h) = p.get("sha256Hash").and_then(Value::as_str) else {
                    return Err(bad("persistedQuery.sha256Hash must be a SHA-256 in hex"));
                };
                Some(h.to_ascii_lowercase())
            }
        };
        match (query, hash) {
            (Some(text), None) => {
                if self.only && !self.allowed.contains_key(&sha256(&text)) {
                    return Err(not_allowed());
                }
                Ok(text)
            }
            (Some(text), Some(hash)) => {
                if sha256(&text) != hash {
                    return Err(bad(
                        "persistedQuery.sha256Hash is not the SHA-256 of the query",
                    ));
                }
                if self.only && !self.allowed.contains_key(&hash) {
                    return Err(not_allowed());
                }
                if let Ok(mut cache) = self.cache.lock() {
                    cache.put(hash, text.clone());
                }
                Ok(text)
            }
            (None, Some(hash)) => {
                if let Some(text) = self.allowed.get(&hash) {
                    return Ok(text.clone());
                }
                if self.only {
                    return Err(not_allowed());
                }
                let cached = match self.cache.lock() {
                    Ok(mut cache) => cache.get(&hash).cloned(),
                    // A poisoned cache is only a cache: ask for the text again.
                    Err(_) => None,
                };
                cached.ok_or_else(|| {
                    Refusal::new(
                        StatusCode::OK,
                        "PERSISTED_QUERY_NOT_FOUND",
                        "PersistedQueryNotFound",
                    )
                })
            }
            (None, None) => Err(bad("the request has neither a query nor a persistedQuery")),
        }
    }
}

fn bad(message: &str) -> Refusal {
    Refusal::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
}

fn not_allowed() -> Refusal {
    Refusal::new(
        StatusCode::FORBIDDEN,
        "PERSISTED_QUERY_NOT_ALLOWED",
        "this server runs only its registered operations (persisted-only mode)",
    )
}
