use sea_orm::{DbErr, SqlErr};

/// A database failure, classified once so callers can branch on it.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The row asked for does not exist.
    #[error("record not found")]
    NotFound,
    /// A unique constraint rejected the write.
    #[error("conflicting record: {0}")]
    Conflict(String),
    /// The database URL is not one pum can use.
    #[error("{0}")]
    InvalidUrl(String),
    /// The schema in the database is newer than this build of pum knows.
    #[error(
        "the database schema is newer than this pum build (unknown migrations: {0}); \
         run a newer pum or restore a backup"
    )]
    SchemaTooNew(String),
    /// Any other database error.
    #[error(transparent)]
    Other(DbErr),
}

impl From<DbErr> for DbError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(msg)) => Self::Conflict(msg),
            _ => match err {
                DbErr::RecordNotFound(_) => Self::NotFound,
                other => Self::Other(other),
            },
        }
    }
}
