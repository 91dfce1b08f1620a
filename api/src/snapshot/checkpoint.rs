//! The read model saved to disk (`--read-model-cache`) and read back at start: a replica that
//! restarts reads its last snapshot and applies only the changes committed since, instead of
//! reading every table again. A saved snapshot names the database it was built from (its
//! `graph_epoch`), the layout of the structures it holds and its cursor; a file that does not
//! match all three is ignored and the snapshot is built from the database.
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use sea_orm::{ConnectionTrait, DbErr};
use serde::{Deserialize, Serialize};

use super::Snapshot;

/// Bumped whenever a saved structure changes meaning without changing its size.
const FORMAT: u32 = 1;
const MAGIC: &[u8; 8] = b"BAYGRAPH";

/// Why a saved snapshot could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("cannot encode the read model: {0}")]
    Encode(#[from] bincode::error::EncodeError),
    #[error("cannot decode the read model: {0}")]
    Decode(#[from] bincode::error::DecodeError),
}

#[derive(Serialize, Deserialize, PartialEq, Eq, Debug)]
struct Header {
    format: u32,
    /// The sizes of the saved structures and the API's version: a change to either makes an old
    /// file unreadable by construction, so it is ignored rather than misread.
    layout: String,
    /// The database the snapshot was built from.
    epoch: String,
}

fn layout() -> String {
    use super::chunk::*;
    use std::mem::size_of;
    format!(
        "{} rec{} detail{} link{} cite{} text{} mention{} milestone{} extra[{}] relations[{}]",
        env!("CARGO_PKG_VERSION"),
        size_of::<Rec>(),
        size_of::<Detail>(),
        size_of::<PackedLink>(),
        size_of::<Cite>(),
        size_of::<CiteText>(),
        size_of::<Mention>(),
        size_of::<Milestone>(),
        entity::ids::Kind::ALL
            .map(|k| super::data::extra_fields(k).join(","))
            .join(";"),
        entity::relation::RELATIONS
            .iter()
            .map(|d| d.field)
            .collect::<Vec<_>>()
            .join(","),
    )
}

fn config() -> impl bincode::config::Config {
    // Fixed-width integers: the bulk of a snapshot is arrays of them, written and read as is.
    bincode::config::standard().with_fixed_int_encoding()
}

/// The database's identity (`graph_epoch`, made by a migration).
pub async fn epoch<C: ConnectionTrait>(db: &C) -> Result<Option<String>, DbErr> {
    let stmt = sea_orm::sea_query::Query::select()
        .column("epoch")
        .from("graph_epoch")
        .to_owned();
    match db.query_one(&stmt).await? {
        Some(row) => Ok(Some(row.try_get_by_index(0)?)),
        None => Ok(None),
    }
}

impl Snapshot {
    /// Writes the snapshot saved from the database `epoch` to `out`: the magic bytes, the header,
    /// then the snapshot.
    pub fn write_to(&self, out: &mut impl Write, epoch: &str) -> Result<(), CheckpointError> {
        out.write_all(MAGIC)?;
        let header = Header {
            format: FORMAT,
            layout: layout(),
            epoch: epoch.to_owned(),
        };
        bincode::serde::encode_into_std_write(&header, out, config())?;
        bincode::serde::encode_into_std_write(self, out, config())?;
        Ok(())
    }

    /// Reads what `write_to` wrote; `None` when it is not a saved snapshot, or was saved from
    /// another database or by another version.
    pub fn read_from(
        input: &mut impl Read,
        epoch: &str,
    ) -> Result<Option<Snapshot>, CheckpointError> {
        let mut magic = [0u8; 8];
        input.read_exact(&mut magic)?;
        if &magic != MAGIC {
            return Ok(None);
        }
        let header: Header = bincode::serde::decode_from_std_read(input, config())?;
        if header.format != FORMAT || header.layout != layout() || header.epoch != epoch {
            return Ok(None);
        }
        let mut snapshot: Snapshot = bincode::serde::decode_from_std_read(input, config())?;
        // Vectors decoded from a stream grow by doubling: give back what they hold beyond.
        for chunk in &mut snapshot.chunks {
            if let Some(chunk) = std::sync::Arc::get_mut(chunk) {
                chunk.shrink();
                chunk.names.shrink();
            }
        }
        Ok(Some(snapshot))
    }

    /// The snapshot as `write_to` writes it, in memory.
    pub fn to_bytes(&self, epoch: &str) -> Result<Vec<u8>, CheckpointError> {
        let mut out = Vec::new();
        self.write_to(&mut out, epoch)?;
        Ok(out)
    }

    /// Writes bytes made by `to_bytes` to `path` (through a temporary file renamed over it, so a
    /// reader never sees half a file).
    pub fn save_bytes(bytes: &[u8], path: &Path) -> Result<(), CheckpointError> {
        let tmp = path.with_extension("tmp");
        let mut out = std::fs::File::create(&tmp)?;
        out.write_all(bytes)?;
        out.sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    }

    /// Writes the snapshot to `path` (through a temporary file renamed over it, so a reader
    /// never sees half a file).
    pub fn save(&self, path: &Path, epoch: &str) -> Result<(), CheckpointError> {
        let tmp = path.with_extension("tmp");
        let mut out = BufWriter::new(std::fs::File::create(&tmp)?);
        self.write_to(&mut out, epoch)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    }

    /// Reads a snapshot saved from the database `epoch`; `None` when there is none, or it was
    /// saved from another database or by another version.
    pub fn load(path: &Path, epoch: &str) -> Result<Option<Snapshot>, CheckpointError> {
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        Snapshot::read_from(&mut BufReader::with_capacity(1 << 20, file), epoch)
    }
}

/// Deserializes a vector at its exact length (serde's own preallocates at most a megabyte and
/// then doubles, which leaves up to half of a large vector's memory unused). The length comes
/// from the file; a corrupt one cannot ask for more than `MOST` elements up front.
pub fn exact<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    const MOST: usize = 1 << 22;
    struct Exact<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Exact<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a sequence")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MOST));
            while let Some(item) = seq.next_element()? {
                out.push(item);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(Exact(std::marker::PhantomData))
}
