//! Keeping the read model current: at start, the snapshot saved by the last run (beside an
//! SQLite file or wherever `--read-model-cache` says), else the one saved in the database by a
//! writable instance (`--shared-read-model`), else a build from every table; then, every
//! `--refresh-ms`, the changes committed since applied to it and the result swapped in. The
//! snapshot is saved again after a build and from time to time while it changes, off the
//! request path.
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sea_orm::DatabaseConnection;

use crate::schema::SharedSnapshot;
use crate::snapshot::{BuildError, Snapshot, epoch, shared};
use crate::telemetry;

/// The least time between two saves of a changing snapshot to its file.
const SAVE_EVERY: Duration = Duration::from_secs(300);
/// The least time between two saves of a changing snapshot to the database: each save writes the
/// whole model (about 200 MB at 462k records) into the write-ahead log every standby replays,
/// and a replica starting from an older save only applies the changes since.
const SHARE_EVERY: Duration = Duration::from_secs(900);

/// Where the snapshot is saved between runs, and for which database.
#[derive(Clone)]
pub struct Cache {
    epoch: String,
    /// `--read-model-cache`, or beside an SQLite file.
    path: Option<PathBuf>,
    /// Whether the read model saved in the database is read at start.
    shared: bool,
    /// Whether this instance saves it there (never a `--read-only` one).
    share: bool,
}

impl Cache {
    /// The saves `config` asks for over `db`; none without a database identity.
    pub async fn open(db: &DatabaseConnection, config: &crate::Config) -> Option<Cache> {
        let path = config.read_model_cache();
        let shared = config.shared_read_model();
        if path.is_none() && !shared {
            return None;
        }
        match epoch(db).await {
            Ok(Some(epoch)) => Some(Cache {
                epoch,
                path,
                shared,
                share: shared && !config.read_only,
            }),
            Ok(None) => None,
            Err(e) => {
                tracing::warn!(error = %e, "no database identity: the read model is not saved");
                None
            }
        }
    }

    /// Saves `snapshot` to the file in the background.
    fn save(&self, snapshot: Arc<Snapshot>) {
        let Some(path) = self.path.clone() else {
            return;
        };
        let epoch = self.epoch.clone();
        tokio::task::spawn_blocking(move || {
            let started = Instant::now();
            match snapshot.save(&path, &epoch) {
                Ok(()) => tracing::info!(
                    path = %path.display(),
                    cursor = snapshot.cursor,
                    ms = started.elapsed().as_millis() as u64,
                    "read model saved"
                ),
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "cannot save the read model")
                }
            }
        });
    }

    /// Stores `bytes` (the snapshot at `cursor`) in the database in the background.
    fn share_bytes(&self, db: &DatabaseConnection, cursor: i64, bytes: Arc<Vec<u8>>) {
        if !self.share {
            return;
        }
        let db = db.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            match shared::store(&db, cursor, &bytes).await {
                Ok(stored) => tracing::info!(
                    cursor,
                    bytes = bytes.len(),
                    stored,
                    ms = started.elapsed().as_millis() as u64,
                    "read model saved in the database"
                ),
                Err(e) => tracing::warn!(error = %e, "cannot save the read model in the database"),
            }
        });
    }

    /// Encodes `snapshot` and stores it in the database in the background.
    fn share(&self, db: &DatabaseConnection, snapshot: Arc<Snapshot>) {
        if !self.share {
            return;
        }
        let cache = self.clone();
        let db = db.clone();
        tokio::spawn(async move {
            let epoch = cache.epoch.clone();
            let cursor = snapshot.cursor;
            match tokio::task::spawn_blocking(move || snapshot.to_bytes(&epoch)).await {
                Ok(Ok(bytes)) => cache.share_bytes(&db, cursor, Arc::new(bytes)),
                Ok(Err(e)) => tracing::warn!(error = %e, "cannot encode the read model"),
                Err(e) => tracing::warn!(error = %e, "encoding the read model stopped"),
            }
        });
    }

    async fn load(&self) -> Option<Snapshot> {
        let path = self.path.clone()?;
        let epoch = self.epoch.clone();
        let loaded = tokio::task::spawn_blocking(move || Snapshot::load(&path, &epoch)).await;
        match loaded {
            Ok(Ok(found)) => found,
            Ok(Err(e)) => {
                tracing::warn!(path = ?self.path, error = %e, "cannot read the saved read model; building it");
                None
            }
            Err(e) => {
                tracing::warn!(error = %e, "reading the saved read model stopped; building it");
                None
            }
        }
    }

    async fn load_shared(&self, db: &DatabaseConnection) -> Option<Snapshot> {
        if !self.shared {
            return None;
        }
        match shared::load(db, &self.epoch).await {
            Ok(found) => found,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the read model saved in the database; building it");
                None
            }
        }
    }
}

/// Where the first snapshot came from (reported by `/ready` as `readModel`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Built from every table.
    Built,
    /// Read from this instance's file.
    File,
    /// Read from the database, saved there by a writable instance.
    Database,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Built => "built",
            Origin::File => "file",
            Origin::Database => "database",
        }
    }
}

/// The first snapshot: the saved one brought up to date, or one built from every table.
pub async fn start(
    db: &DatabaseConnection,
    cache: Option<&Cache>,
) -> Result<(Snapshot, Origin), BuildError> {
    let started = Instant::now();
    if let Some(cache) = cache {
        let (saved, from_file) = match cache.load().await {
            Some(saved) => (Some(saved), true),
            None => (cache.load_shared(db).await, false),
        };
        if let Some(saved) = saved {
            let saved = Arc::new(saved);
            let from = saved.cursor;
            let loaded_ms = started.elapsed().as_millis() as u64;
            let current = match saved.advance(db).await? {
                Some(next) => next,
                None => Arc::unwrap_or_clone(saved),
            };
            tracing::info!(
                from,
                cursor = current.cursor,
                loaded_ms,
                ms = started.elapsed().as_millis() as u64,
                "read model read from {} and brought up to date",
                if from_file {
                    "its file"
                } else {
                    "the database"
                }
            );
            if !from_file {
                // With a file of its own, the next restart reads it and leaves the database
                // alone (`save` does nothing without a path).
                let current = Arc::new(current);
                cache.save(current.clone());
                return Ok((Arc::unwrap_or_clone(current), Origin::Database));
            }
            let database_older = cache.share
                && match shared::saved(db).await {
                    Ok(saved) => saved.is_none_or(|s| s.cursor < current.cursor),
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot read which read model the database holds; not saving there");
                        false
                    }
                };
            if database_older {
                // The database holds no save, or an older one: replicas gain from this one.
                let current = Arc::new(current);
                cache.share(db, current.clone());
                return Ok((Arc::unwrap_or_clone(current), Origin::File));
            }
            return Ok((current, Origin::File));
        }
    }
    Ok((Snapshot::build(db).await?, Origin::Built))
}

/// After a build: the snapshot encoded, saved (file, database) and decoded again, the copy read
/// back swapped in. Done here, after the API is ready, not before: a first start at 462k records
/// spent 2.4–2.7 s on it before serving anything, and the built snapshot serves the same answers
/// meanwhile (same cursor, same content). The copy read back is what a restart would serve: the
/// build's working memory is gone and its vectors are sized for what they hold.
async fn settle(db: &DatabaseConnection, current: &SharedSnapshot, cache: &Cache) {
    if cache.path.is_none() && !cache.share {
        return;
    }
    let started = Instant::now();
    let built = current.load_full();
    let cursor = built.cursor;
    let epoch = cache.epoch.clone();
    let path = cache.path.clone();
    let reread = tokio::task::spawn_blocking(move || {
        let bytes = built.to_bytes(&epoch)?;
        let read = Snapshot::read_from(&bytes, &epoch);
        // Saved only once it reads back: bytes that do not are a bug, never written.
        if let Ok(Some(_)) = &read
            && let Some(path) = &path
        {
            match Snapshot::save_bytes(&bytes, path) {
                Ok(()) => tracing::info!(path = %path.display(), cursor, "read model saved"),
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "cannot save the read model")
                }
            }
        }
        Ok::<_, crate::snapshot::CheckpointError>((read, bytes))
    })
    .await;
    match reread {
        Ok(Ok((Ok(Some(read)), bytes))) => {
            // Nothing else swaps snapshots before `follow` starts its loop: `current` is still
            // the built one, which the copy replaces.
            let read = Arc::new(read);
            telemetry::read_model(&read);
            current.store(read);
            tracing::info!(
                cursor,
                ms = started.elapsed().as_millis() as u64,
                "read model encoded and read back"
            );
            cache.share_bytes(db, cursor, Arc::new(bytes));
        }
        Ok(Ok((read, _))) => {
            // Bytes just encoded that do not read back: a bug; the built snapshot keeps serving.
            tracing::error!(read = ?read.err(), "the read model does not read back; it is not saved");
        }
        Ok(Err(e)) => tracing::warn!(error = %e, "cannot encode the read model"),
        Err(e) => tracing::warn!(error = %e, "encoding the read model stopped"),
    }
}

/// Keeps `current` in step with the change log, every `every`.
pub async fn follow(
    db: DatabaseConnection,
    current: SharedSnapshot,
    every: Duration,
    cache: Option<Cache>,
    origin: Origin,
) {
    if origin == Origin::Built
        && let Some(cache) = &cache
    {
        settle(&db, &current, cache).await;
    }
    let mut saved_at = Instant::now();
    let mut saved_cursor = current.load().cursor;
    let mut shared_at = Instant::now();
    let mut shared_cursor = saved_cursor;
    loop {
        tokio::time::sleep(every).await;
        let now = current.load_full();
        let started = Instant::now();
        match now.advance(&db).await {
            Ok(Some(next)) => {
                let cursor = next.cursor;
                let next = Arc::new(next);
                telemetry::cursors(cursor, cursor);
                telemetry::read_model(&next);
                telemetry::read_model_update(started.elapsed().as_secs_f64());
                current.store(next.clone());
                tracing::info!(
                    cursor,
                    from = now.cursor,
                    ms = started.elapsed().as_millis() as u64,
                    "graph read model updated"
                );
                if let Some(cache) = &cache
                    && cache.path.is_some()
                    && saved_at.elapsed() >= SAVE_EVERY
                    && cursor != saved_cursor
                {
                    cache.save(next.clone());
                    saved_at = Instant::now();
                    saved_cursor = cursor;
                }
                if let Some(cache) = &cache
                    && cache.share
                    && shared_at.elapsed() >= SHARE_EVERY
                    && cursor != shared_cursor
                {
                    cache.share(&db, next);
                    shared_at = Instant::now();
                    shared_cursor = cursor;
                }
            }
            Ok(None) => telemetry::cursors(now.cursor, now.cursor),
            Err(e) => tracing::error!(error = %e, "read model update failed"),
        }
    }
}
