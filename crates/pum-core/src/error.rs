use std::collections::BTreeMap;

/// A failure of a use case, in domain terms. The HTTP layer maps each variant to a status.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The database failed.
    #[error("database error")]
    Database(#[from] pum_db::DbError),
    /// The job queue failed.
    #[error("job queue error: {0}")]
    Queue(String),
    /// The input is not acceptable; `fields` says what is wrong with each field.
    #[error("{message}")]
    Invalid {
        /// A summary.
        message: String,
        /// Field name → what is wrong with it.
        fields: BTreeMap<String, String>,
    },
    /// The caller is not signed in, or the credentials are wrong.
    #[error("{0}")]
    Unauthenticated(String),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The thing asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The request conflicts with what exists.
    #[error("{0}")]
    Conflict(String),
    /// Plex failed or refused.
    #[error("{0}")]
    Plex(#[from] plex_client::Error),
    /// Discord failed or refused.
    #[error("{0}")]
    Discord(String),
    /// A stored secret could not be sealed or opened with this installation's key.
    #[error("stored secret: {0}")]
    Secret(crate::secrets::SecretError),
    /// Something that should not fail did.
    #[error("{0}")]
    Internal(String),
}

/// The result type of this crate.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;

impl CoreError {
    /// A validation error about one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::Invalid {
            message: format!("{field} {message}"),
            fields: BTreeMap::from([(field.to_owned(), message)]),
        }
    }
}
