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
