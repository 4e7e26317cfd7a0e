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
