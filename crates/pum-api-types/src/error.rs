//! The one error body every `/api` response uses.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The machine-readable kind of an API error. Clients branch on this, never on `message`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// The request was malformed or a value failed validation (400).
    BadRequest,
    /// The request needs a signed-in admin or a valid API key (401).
    Unauthenticated,
    /// The caller may not do this (403).
    Forbidden,
    /// No such route or resource (404).
    NotFound,
    /// The route exists but not for this HTTP method (405).
    MethodNotAllowed,
    /// The request conflicts with the current state (409).
    Conflict,
    /// The request body is larger than the server accepts (413).
    PayloadTooLarge,
    /// The request body has a content type the route does not accept (415).
    UnsupportedMediaType,
    /// Too many attempts; `retry_after_seconds` says when to try again (429).
    TooManyRequests,
    /// Plex answered with an error or could not be reached (502).
    PlexUnavailable,
    /// Discord answered with an error or could not be reached (502).
    DiscordUnavailable,
    /// A dependency such as the database is not available right now (503).
    Unavailable,
    /// Something failed on the server; the request id identifies it in the logs (500).
    Internal,
}

/// The JSON body of every error response under `/api`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// What went wrong, for programs.
    pub code: ErrorCode,
    /// What went wrong, for people: lowercase, names the offending thing, never a stack trace.
    pub message: String,
    /// The id of the request, as in the `x-request-id` response header and the server log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// For validation errors: what is wrong with each field, keyed by its name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
    /// For 429: seconds until another attempt may succeed (also in `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
}
