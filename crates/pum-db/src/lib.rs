//! pum's persistence: connecting to SQLite or PostgreSQL, running migrations at start-up, and
//! the repositories that read and write rows.
//!
//! This is the only crate that names sea-orm types. Repositories return plain records from
//! [`records`], never sea-orm `Model`s.

mod connect;
mod entity;
mod error;
pub mod records;
pub mod repo;
pub mod scratch;

pub use connect::{Db, Engine, JobPool, MigrationState, SqlitePragmas, redact_url, sqlite_url};
pub use error::DbError;

/// The result type of this crate.
pub type Result<T, E = DbError> = std::result::Result<T, E>;

/// Reads an id column written by this crate; a malformed one (never written by pum) becomes
/// the nil id, which matches nothing.
pub(crate) fn parse_uuid(text: &str) -> uuid::Uuid {
    uuid::Uuid::parse_str(text).unwrap_or_default()
}

/// Reads a comma-separated list column.
pub(crate) fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A plex.tv id as the database stores it (ids never come near `i64::MAX`).
pub(crate) fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A stored plex.tv id; a negative one (never written by pum) reads as 0.
pub(crate) fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// A list of ids as one comma-separated column.
pub(crate) fn join_ids(ids: &[u64]) -> String {
    ids.iter().map(u64::to_string).collect::<Vec<_>>().join(",")
}

/// Reads a comma-separated id column, skipping anything that is not a number.
pub(crate) fn parse_ids(text: &str) -> Vec<u64> {
    split_list(text)
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect()
}
