/// A failure of a use case, in domain terms. The HTTP layer maps each variant to a status.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The database failed.
    #[error("database error")]
    Database(#[from] pum_db::DbError),
    /// The job queue failed.
    #[error("job queue error: {0}")]
    Queue(String),
}

/// The result type of this crate.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;
