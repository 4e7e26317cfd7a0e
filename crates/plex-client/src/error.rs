use std::time::Duration;

/// Everything that can go wrong talking to Plex, said in terms of what Plex did.
///
/// Messages never contain a token or a URL query (tokens can travel there).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The token was missing, wrong or revoked (401, or the legacy 422 "Invalid token").
    #[error("{endpoint}: plex rejected the token")]
    Unauthorized {
        /// The endpoint that answered.
        endpoint: String,
    },
    /// The resource does not exist, or (PINs) has expired (404).
    #[error("{endpoint}: not found{}", message.as_deref().map(|m| format!(" ({m})")).unwrap_or_default())]
    NotFound {
        /// The endpoint that answered.
        endpoint: String,
        /// Plex's own message, when it sent one.
        message: Option<String>,
    },
    /// Plex has retired the endpoint (410); the client must stop using it.
    #[error("{endpoint}: plex has retired this endpoint")]
    Gone {
        /// The endpoint that answered.
        endpoint: String,
    },
    /// Plex asked us to slow down (429), and retrying did not help.
    #[error("{endpoint}: rate limited by plex")]
    RateLimited {
        /// The endpoint that answered.
        endpoint: String,
        /// How long Plex asked us to wait, when it said.
        retry_after: Option<Duration>,
    },
    /// Plex refused the request and said why, for example "already sharing" (plex-api.md §0.4).
    #[error("{endpoint}: plex answered {status}: {message}")]
    Rejected {
        /// The endpoint that answered.
        endpoint: String,
        /// The HTTP status.
        status: u16,
        /// Plex's error code, when it sent one (v2 codes such as 1000, 1020; v1 mirrors the status).
        code: Option<u32>,
        /// Plex's message.
        message: String,
    },
    /// Any other non-success status without a readable Plex error body (often a 5xx).
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
        /// What failed, without any URL.
        message: String,
        /// Whether the request timed out.
        timeout: bool,
    },
    /// The call was not sent because its input breaks a Plex rule (for example sharing no
    /// libraries).
    #[error("{endpoint}: {message}")]
    InvalidRequest {
        /// The endpoint that would have been called.
        endpoint: String,
        /// What is wrong with the input.
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

impl Error {
    /// Whether another attempt might succeed: rate limits always, server errors and transport
    /// failures only for requests that are safe to repeat.
    pub(crate) fn is_retryable(&self, idempotent: bool) -> bool {
        match self {
            Self::RateLimited { .. } => true,
            Self::Status { status, .. } => idempotent && *status >= 500,
            Self::Transport { .. } => idempotent,
            _ => false,
        }
    }

    pub(crate) fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
