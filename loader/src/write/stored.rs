//! What a table holds for one origin, read as a stream of (key, content hash) and kept compact:
//! records as slug → 32-byte hash, relation rows as their 128-bit content key. Rows the load
//! wants are taken out as they come; what is left at the end is gone from the seeds.
use std::collections::{HashMap, HashSet};

use futures_util::TryStreamExt;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{DatabaseTransaction, DbErr, StreamTrait};

use entity::ids::Kind;

use crate::rows::{Owner, Row, Table};

/// How a wanted row compares with what is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Not stored: insert it.
    New,
    /// Stored with another content hash: update it.
    Changed,
    /// Stored as it is.
    Same,
    /// A row this load already met (relation rows may repeat): skip it.
    Repeated,
}

/// The stored rows of one table and origin that the load has not met yet.
pub enum Stored {
    Records(HashMap<Box<str>, [u8; 32]>),
    Relations {
        keys: HashSet<u128>,
        /// Keys that are not this loader's 32-hex-digit content keys: never wanted, so gone.
        odd: Vec<String>,
    },
}

fn hash_bytes(hex_hash: &str) -> [u8; 32] {
    let mut out = [0; 32];
    // A stored hash that is not 64 hex digits matches no computed hash (all zeros never is one):
    // the record is rewritten, which is what a damaged hash calls for.
    if hex::decode_to_slice(hex_hash, &mut out).is_err() {
        out = [0; 32];
    }
    out
}

fn key_bits(key: &str) -> Option<u128> {
    (key.len() == 32)
        .then(|| u128::from_str_radix(key, 16).ok())
        .flatten()
}

impl Stored {
    /// Streams `t`'s keys (and, for records, content hashes) of rows of `origin`; with `only`,
    /// of the rows that belong to the records `slugs` of `kind` (named by `owner`'s columns).
    pub async fn read(
        txn: &DatabaseTransaction,
        t: &Table,
        origin: &str,
        only: Option<(Owner, Kind, &[String])>,
    ) -> Result<Self, DbErr> {
        let mut select = Query::select();
        select.column(t.key_column()).from(t.table);
        if t.kind.is_some() {
            select.column("content_hash");
        }
        select.and_where(Expr::col("origin").eq(origin));
        if let Some((owner, kind, slugs)) = only {
            if let Some(column) = owner.kind_column {
                select.and_where(Expr::col(column).eq(kind.as_str()));
            }
            select.and_where(Expr::col(owner.slug_column).is_in(slugs.iter().cloned()));
        }
        let mut rows = txn.stream(&select).await?;
        let mut stored = if t.kind.is_some() {
            Stored::Records(HashMap::new())
        } else {
            Stored::Relations {
                keys: HashSet::new(),
                odd: vec![],
            }
        };
        while let Some(row) = rows.try_next().await? {
            let key: String = row.try_get_by_index(0)?;
            match &mut stored {
                Stored::Records(map) => {
                    let hash: String = row.try_get_by_index(1)?;
                    map.insert(key.into_boxed_str(), hash_bytes(&hash));
                }
                Stored::Relations { keys, odd } => match key_bits(&key) {
                    Some(bits) => {
                        keys.insert(bits);
                    }
                    None => odd.push(key),
                },
            }
        }
        Ok(stored)
    }

    /// How many rows are stored.
    pub fn len(&self) -> usize {
        match self {
            Stored::Records(map) => map.len(),
            Stored::Relations { keys, odd } => keys.len() + odd.len(),
        }
    }

    /// Compares `row` with the stored one and marks it met.
    pub fn take(&mut self, row: &Row, seen: &mut HashSet<u128>) -> Status {
        match self {
            Stored::Records(map) => match map.remove(row.key.as_str()) {
                None => Status::New,
                Some(old) if Some(old) != row.hash.as_deref().map(hash_bytes) => Status::Changed,
                Some(_) => Status::Same,
            },
            Stored::Relations { keys, .. } => {
                // This loader's keys are always 32 hex digits (`rows::content_key`).
                let Some(bits) = key_bits(&row.key) else {
                    return Status::New;
                };
                if !seen.insert(bits) {
                    Status::Repeated
                } else if keys.remove(&bits) {
                    Status::Same
                } else {
                    Status::New
                }
            }
        }
    }

    /// The keys of stored rows the load did not want, in no particular order.
    pub fn into_gone(self) -> Vec<String> {
        match self {
            Stored::Records(map) => map.into_keys().map(String::from).collect(),
            Stored::Relations { keys, mut odd } => {
                odd.extend(keys.into_iter().map(|k| format!("{k:032x}")));
                odd
            }
        }
    }
}
