use std::time::Duration;

/// Everything that can go wrong talking to Plex, said in terms of what Plex did.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The token was missing, wrong or revoked (401, or the legacy 422 "Invalid token").
    #[error("{endpoint}: plex rejected the token")]
    Unauthorized {
        /// The endpoint that answered.
        endpoint: String,
    },
    /// The resource does not exist (404).
    #[error("{endpoint}: not found")]
    NotFound {
        /// The endpoint that answered.
        endpoint: String,
    },
    /// Plex asked us to slow down (429).
    #[error("{endpoint}: rate limited by plex")]
    RateLimited {
        /// The endpoint that answered.
        endpoint: String,
        /// How long Plex asked us to wait, when it said.
        retry_after: Option<Duration>,
    },
    /// Any other non-success status.
    #[error("{endpoint}: plex answered HTTP {status}")]
    Status {
        /// The endpoint that answered.
        endpoint: String,
        /// The HTTP status.
        status: u16,
    },
    /// The request never got an answer: connection refused, DNS, TLS or timeout.
    #[error("{endpoint}: {message}")]
    Transport {
        /// The endpoint that was called.
        endpoint: String,
        /// What failed, without any URL query (tokens can travel there).
        message: String,
    },
    /// The answer could not be read as the documented shape.
    #[error("{endpoint}: unexpected response: {message}")]
    Decode {
        /// The endpoint that answered.
        endpoint: String,
        /// What did not parse.
        message: String,
    },
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
