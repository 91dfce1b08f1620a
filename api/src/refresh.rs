//! Keeping the read model current: at start, the snapshot saved by the last run (when there is
//! one for this database) or a build from every table; then, every `--refresh-ms`, the changes
//! committed since applied to it and the result swapped in. The snapshot is saved again after a
//! build and at most every few minutes while it changes, off the request path.
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sea_orm::DatabaseConnection;

use crate::schema::SharedSnapshot;
use crate::snapshot::{BuildError, Snapshot, epoch};
use crate::telemetry;

/// The least time between two saves of a changing snapshot.
const SAVE_EVERY: Duration = Duration::from_secs(300);

/// Where and for which database the snapshot is saved.
#[derive(Clone)]
pub struct Cache {
    path: PathBuf,
    epoch: String,
}

impl Cache {
    /// The cache at `path` for `db`; none without a path or a database identity.
    pub async fn open(db: &DatabaseConnection, path: Option<PathBuf>) -> Option<Cache> {
        let path = path?;
        match epoch(db).await {
            Ok(Some(epoch)) => Some(Cache { path, epoch }),
            Ok(None) => None,
            Err(e) => {
                tracing::warn!(error = %e, "no database identity: the read model is not saved");
                None
            }
        }
    }

    /// Saves `snapshot` in the background.
    fn save(&self, snapshot: Arc<Snapshot>) {
        let cache = self.clone();
        tokio::task::spawn_blocking(move || {
            let started = Instant::now();
            match snapshot.save(&cache.path, &cache.epoch) {
                Ok(()) => tracing::info!(
                    path = %cache.path.display(),
                    cursor = snapshot.cursor,
                    ms = started.elapsed().as_millis() as u64,
                    "read model saved"
                ),
                Err(e) => {
                    tracing::warn!(path = %cache.path.display(), error = %e, "cannot save the read model")
                }
            }
        });
    }

    async fn load(&self) -> Option<Snapshot> {
        let cache = self.clone();
        let loaded =
            tokio::task::spawn_blocking(move || Snapshot::load(&cache.path, &cache.epoch)).await;
        match loaded {
            Ok(Ok(found)) => found,
            Ok(Err(e)) => {
                tracing::warn!(path = %self.path.display(), error = %e, "cannot read the saved read model; building it");
                None
            }
            Err(e) => {
                tracing::warn!(error = %e, "reading the saved read model stopped; building it");
                None
            }
        }
    }
}

/// The first snapshot: the saved one brought up to date, or one built from every table.
pub async fn start(db: &DatabaseConnection, cache: Option<&Cache>) -> Result<Snapshot, BuildError> {
    let started = Instant::now();
    if let Some(cache) = cache
        && let Some(saved) = cache.load().await
    {
        let saved = Arc::new(saved);
        let from = saved.cursor;
        let current = match saved.advance(db).await? {
            Some(next) => next,
            None => Arc::unwrap_or_clone(saved),
        };
        tracing::info!(
            from,
            cursor = current.cursor,
            ms = started.elapsed().as_millis() as u64,
            "read model read from {} and brought up to date",
            cache.path.display()
        );
        return Ok(current);
    }
    let built = Snapshot::build(db).await?;
    let Some(cache) = cache else {
        return Ok(built);
    };
    // Saved, then read back: the build's working memory is freed first, and the snapshot served
    // lies in buffers sized for it, as after a restart.
    let saved = {
        let cache = cache.clone();
        let cursor = built.cursor;
        tokio::task::spawn_blocking(move || {
            let saved = built.save(&cache.path, &cache.epoch);
            (saved, built)
        })
        .await
        .map(|(saved, built)| (saved.map(|()| cursor), built))
    };
    match saved {
        Ok((Ok(_), built)) => {
            drop(built);
            match cache.load().await {
                Some(read) => Ok(read),
                None => Snapshot::build(db).await,
            }
        }
        Ok((Err(e), built)) => {
            tracing::warn!(path = %cache.path.display(), error = %e, "cannot save the read model");
            Ok(built)
        }
        Err(e) => Err(BuildError::Join(e)),
    }
}

/// Keeps `current` in step with the change log, every `every`.
pub async fn follow(
    db: DatabaseConnection,
    current: SharedSnapshot,
    every: Duration,
    cache: Option<Cache>,
) {
    let mut saved_at = Instant::now();
    let mut saved_cursor = current.load().cursor;
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
                    && saved_at.elapsed() >= SAVE_EVERY
                    && cursor != saved_cursor
                {
                    cache.save(next);
                    saved_at = Instant::now();
                    saved_cursor = cursor;
                }
            }
            Ok(None) => telemetry::cursors(now.cursor, now.cursor),
            Err(e) => tracing::error!(error = %e, "read model update failed"),
        }
    }
}
