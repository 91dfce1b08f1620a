//! A feed body that is complete or visibly failed. The producer writes pages into a [`Sink`];
//! the client reads them through a [`FeedBody`]. The body ends cleanly only after the producer
//! said it finished; a database error, a producer that stopped (or panicked) before finishing,
//! or a client that stopped reading ends the body with an error, which makes the server abort the
//! connection instead of closing it like a complete response.
//!
//! Hand-rolled rather than `tokio_stream::wrappers::ReceiverStream`: that one ends cleanly when
//! the sender is dropped, which is exactly the "incomplete but looks complete" case this prevents.
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Bytes;
use futures_util::Stream;
use serde_json::json;
use sha2::{Digest as _, Sha256};
use tokio::sync::mpsc;

/// What a finished feed states about itself: its record count and the SHA-256 of its bytes
/// (everything before the NDJSON end line).
#[derive(Clone, Debug)]
pub struct Digest {
    pub count: u64,
    pub sha256: String,
}

/// One message from the producer to the body.
pub enum Item {
    Data(Bytes),
    /// The producer finished; nothing follows.
    Done(Digest),
}

/// Why a producer stopped early.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// The database failed midway (logged; the client's connection is aborted).
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    /// A record could not be written as CSV.
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    /// The client went away or stopped reading for longer than the idle timeout.
    #[error("the client stopped reading")]
    ClientGone,
}

/// The producer's side: counts records, hashes bytes, and gives up on a client that does not read.
pub struct Sink {
    tx: mpsc::Sender<Item>,
    idle: Duration,
    hasher: Sha256,
    count: u64,
}

impl Sink {
    /// A sink and the body that reads it; at most `queued` pages wait for a slow client.
    pub fn new(queued: usize, idle: Duration) -> (Sink, FeedBody) {
        let (tx, rx) = mpsc::channel(queued.max(1));
        let sink = Sink {
            tx,
            idle,
            hasher: Sha256::new(),
            count: 0,
        };
        (sink, FeedBody { rx, ended: false })
    }

    /// Sends `text`, holding `records` records.
    pub async fn send(&mut self, text: String, records: u64) -> Result<(), FeedError> {
        if text.is_empty() {
            return Ok(());
        }
        self.hasher.update(text.as_bytes());
        self.count += records;
        self.push(Item::Data(Bytes::from(text))).await
    }

    async fn push(&self, item: Item) -> Result<(), FeedError> {
        match tokio::time::timeout(self.idle, self.tx.send(item)).await {
            Ok(Ok(())) => Ok(()),
            _ => Err(FeedError::ClientGone),
        }
    }

    /// Finishes the feed: with `end_line`, the NDJSON end line
    /// `{"type":"end","count":N,"cursor":"C","sha256":"…"}` first; then the clean end.
    pub async fn finish(self, end_line: bool, cursor: i64) -> Result<Digest, FeedError> {
        let digest = Digest {
            count: self.count,
            sha256: hex::encode(self.hasher.clone().finalize()),
        };
        if end_line {
            let line = json!({
                "type": "end", "count": digest.count, "cursor": cursor.to_string(),
                "sha256": digest.sha256,
            });
            self.push(Item::Data(Bytes::from(line.to_string() + "\n")))
                .await?;
        }
        self.push(Item::Done(digest.clone())).await?;
        Ok(digest)
    }
}

/// The error a failed feed ends with; hyper then aborts the connection.
fn broken(what: &str) -> std::io::Error {
    std::io::Error::other(format!("the feed {what}; it is incomplete"))
}

/// The client's side of a feed, as an HTTP body stream (fused: nothing after its end).
pub struct FeedBody {
    rx: mpsc::Receiver<Item>,
    ended: bool,
}

impl FeedBody {
    /// Reads the whole feed without sending it anywhere, for its digest (`.sha256` companions).
    pub async fn digest(mut self) -> Result<Digest, std::io::Error> {
        while let Some(item) = self.rx.recv().await {
            match item {
                Item::Data(_) => {}
                Item::Done(d) => return Ok(d),
            }
        }
        Err(broken("stopped before its end"))
    }
}

impl Stream for FeedBody {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.ended {
            return Poll::Ready(None);
        }
        let next = match self.rx.poll_recv(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(next) => next,
        };
        Poll::Ready(match next {
            Some(Item::Data(bytes)) => Some(Ok(bytes)),
            Some(Item::Done(_)) => {
                self.ended = true;
                None
            }
            None => {
                self.ended = true;
                Some(Err(broken("stopped before its end")))
            }
        })
    }
}
