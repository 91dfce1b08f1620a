//! The read model saved to disk (`--read-model-cache`) and read back at start: a replica that
//! restarts reads its last snapshot and applies only the changes committed since, instead of
//! reading every table again. A saved snapshot names the database it was built from (its
//! `graph_epoch`), the layout of the structures it holds and its cursor; a file that does not
//! match all three is ignored and the snapshot is built from the database. A CRC-32 of
//! everything after the magic bytes ends the file: a damaged file is an error, never served.
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use sea_orm::{ConnectionTrait, DbErr};
use serde::{Deserialize, Serialize};

use super::Snapshot;

/// Bumped whenever a saved structure changes meaning or fields without changing the sizes the
/// layout names (2: the CRC-32 trailer; 3: the name index's gram marks).
const FORMAT: u32 = 3;
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
    #[error("the saved read model is damaged: checksum {found:08x}, {written:08x} written")]
    Damaged { found: u32, written: u32 },
}

/// Passes bytes through, keeping the CRC-32 of what passed.
struct Crc<T> {
    inner: T,
    hasher: crc32fast::Hasher,
}

impl<T> Crc<T> {
    fn new(inner: T) -> Self {
        Crc {
            inner,
            hasher: crc32fast::Hasher::new(),
        }
    }
}

impl<W: Write> Write for Crc<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<R: Read> Read for Crc<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
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
        let mut hashed = Crc::new(&mut *out);
        bincode::serde::encode_into_std_write(&header, &mut hashed, config())?;
        bincode::serde::encode_into_std_write(self, &mut hashed, config())?;
        let crc = hashed.hasher.finalize();
        out.write_all(&crc.to_le_bytes())?;
        Ok(())
    }

    /// Reads what `write_to` wrote; `None` when it is not a saved snapshot, or was saved from
    /// another database or by another version; an error when it is damaged (checked before
    /// anything is decoded, so a damaged length never asks for memory).
    pub fn read_from(bytes: &[u8], epoch: &str) -> Result<Option<Snapshot>, CheckpointError> {
        if !bytes.starts_with(MAGIC) {
            return Ok(None);
        }
        let end = bytes.len().checked_sub(4).filter(|&e| e >= MAGIC.len());
        let Some(end) = end else {
            return Err(CheckpointError::Damaged {
                found: 0,
                written: 0,
            });
        };
        let body = &bytes[MAGIC.len()..end];
        check(crc32fast::hash(body), &bytes[end..])?;
        Snapshot::decode(&mut &body[..], epoch)
    }

    /// Decodes the header and the snapshot (the bytes after the magic, already checked).
    fn decode(input: &mut impl Read, epoch: &str) -> Result<Option<Snapshot>, CheckpointError> {
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
    /// saved from another database or by another version. The file is read twice: once for its
    /// checksum, then to decode it, so a damaged file is refused without holding it in memory.
    pub fn load(path: &Path, epoch: &str) -> Result<Option<Snapshot>, CheckpointError> {
        let open = || -> Result<Option<(BufReader<std::fs::File>, u64)>, CheckpointError> {
            match std::fs::File::open(path) {
                Ok(f) => {
                    let len = f.metadata()?.len();
                    Ok(Some((BufReader::with_capacity(1 << 20, f), len)))
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e.into()),
            }
        };
        let Some((mut file, len)) = open()? else {
            return Ok(None);
        };
        let mut magic = [0u8; 8];
        if len < MAGIC.len() as u64 || file.read_exact(&mut magic).is_err() || &magic != MAGIC {
            return Ok(None);
        }
        let Some(body) = len.checked_sub((MAGIC.len() + 4) as u64) else {
            return Err(CheckpointError::Damaged {
                found: 0,
                written: 0,
            });
        };
        let mut hashed = Crc::new((&mut file).take(body));
        std::io::copy(&mut hashed, &mut std::io::sink())?;
        let found = hashed.hasher.finalize();
        let mut trailer = [0u8; 4];
        file.read_exact(&mut trailer)?;
        check(found, &trailer)?;
        let Some((mut file, _)) = open()? else {
            return Ok(None);
        };
        file.read_exact(&mut magic)?;
        Snapshot::decode(&mut file, epoch)
    }
}

/// Compares the checksum of what was read with the trailer written after it.
fn check(found: u32, trailer: &[u8]) -> Result<(), CheckpointError> {
    let written = <[u8; 4]>::try_from(trailer).map_or(0, u32::from_le_bytes);
    if found == written {
        Ok(())
    } else {
        Err(CheckpointError::Damaged { found, written })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_read_model_with_any_byte_changed_is_never_read_back() {
        let epoch = "e1";
        let bytes = Snapshot::default().to_bytes(epoch).expect("encode");
        assert!(matches!(Snapshot::read_from(&bytes, epoch), Ok(Some(_))));
        for at in MAGIC.len()..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            let read = Snapshot::read_from(&damaged, epoch);
            assert!(
                !matches!(read, Ok(Some(_))),
                "byte {at} changed, still read"
            );
        }
        let cut = &bytes[..bytes.len() - 1];
        assert!(Snapshot::read_from(cut, epoch).is_err(), "a cut file");
        // The file path reads the same way.
        let path = std::env::temp_dir().join(format!("baygraph-model-{}.bin", std::process::id()));
        let mut damaged = bytes.clone();
        let middle = damaged.len() / 2;
        damaged[middle] ^= 0x20;
        std::fs::write(&path, &damaged).expect("write");
        let read = Snapshot::load(&path, epoch);
        std::fs::write(&path, &bytes).expect("write");
        let good = Snapshot::load(&path, epoch);
        std::fs::remove_file(&path).expect("remove");
        assert!(read.is_err(), "a damaged file is an error");
        assert!(matches!(good, Ok(Some(_))), "the intact file reads back");
    }
}
