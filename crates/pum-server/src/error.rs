//! The one place errors become HTTP responses. Every error under `/api` is a JSON
//! [`ErrorBody`]; 5xx bodies say only "internal error" and carry the request id, the cause goes
//! to the log.

use std::collections::BTreeMap;
use std::fmt;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, ResponseError, error, web};
use pum_api_types::{ErrorBody, ErrorCode};
use pum_core::CoreError;

use crate::request_id;

/// An error on its way to becoming an HTTP response.
#[derive(thiserror::Error)]
pub(crate) enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{message}")]
    Invalid {
        message: String,
        fields: BTreeMap<String, String>,
    },
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: u64 },
    #[error("{0}")]
    PlexUnavailable(String),
    #[error("{0}")]
    DiscordUnavailable(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")?;
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

impl ApiError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::BadRequest(_) | Self::Invalid { .. } => ErrorCode::BadRequest,
            Self::Unauthenticated(_) => ErrorCode::Unauthenticated,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::TooManyRequests { .. } => ErrorCode::TooManyRequests,
            Self::PlexUnavailable(_) => ErrorCode::PlexUnavailable,
            Self::DiscordUnavailable(_) => ErrorCode::DiscordUnavailable,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::MethodNotAllowed(_) => ErrorCode::MethodNotAllowed,
            Self::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            Self::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl From<CoreError> for ApiError {
    fn from(err: CoreError) -> Self {
        match err {
            CoreError::Database(db) => Self::Internal(anyhow::Error::new(db)),
            CoreError::Queue(msg) => Self::Internal(anyhow::anyhow!("job queue: {msg}")),
            CoreError::Invalid { message, fields } => Self::Invalid { message, fields },
            CoreError::Unauthenticated(m) => Self::Unauthenticated(m),
            CoreError::Forbidden(m) => Self::Forbidden(m),
            CoreError::NotFound(m) => Self::NotFound(m),
            CoreError::Conflict(m) => Self::Conflict(m),
            CoreError::Plex(err) => Self::PlexUnavailable(plex_message(&err)),
            CoreError::Discord(m) => Self::DiscordUnavailable(m),
            CoreError::Secret(err) => Self::Internal(anyhow::Error::new(err)),
            CoreError::Internal(m) => Self::Internal(anyhow::anyhow!(m)),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) | Self::Invalid { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::PlexUnavailable(_) | Self::DiscordUnavailable(_) => StatusCode::BAD_GATEWAY,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse<BoxBody> {
        let request_id = request_id::current();
        if let Self::Internal(cause) = self {
            tracing::error!(request_id = request_id.as_deref(), error = ?cause, "request failed");
        }
        let (fields, retry_after_seconds) = match self {
            Self::Invalid { fields, .. } => (fields.clone(), None),
            Self::TooManyRequests { retry_after, .. } => (BTreeMap::new(), Some(*retry_after)),
            _ => (BTreeMap::new(), None),
        };
        let body = ErrorBody {
            code: self.code(),
            message: self.to_string(),
            request_id,
            fields,
            retry_after_seconds,
        };
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CACHE_CONTROL, "no-store"));
        if let Some(seconds) = retry_after_seconds {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        response.json(body)
    }
}

/// Turns JSON body extraction failures into JSON errors that say what was wrong.
pub(crate) fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(256 * 1024)
        .error_handler(|err, _req: &HttpRequest| {
            let api = match &err {
                error::JsonPayloadError::OverflowKnownLength { limit, .. }
                | error::JsonPayloadError::Overflow { limit } => ApiError::PayloadTooLarge(
                    format!("request body is larger than the limit of {limit} bytes"),
                ),
                error::JsonPayloadError::ContentType => ApiError::UnsupportedMediaType(
                    "request body must be JSON (content-type: application/json)".to_owned(),
                ),
                error::JsonPayloadError::Deserialize(e) if e.is_data() => {
                    ApiError::BadRequest(format!("invalid request body: {e}"))
                }
                error::JsonPayloadError::Deserialize(e) => {
                    ApiError::BadRequest(format!("malformed JSON: {e}"))
                }
                other => ApiError::BadRequest(format!("could not read request body: {other}")),
            };
            error::InternalError::from_response(err, api.error_response()).into()
        })
}

/// Turns path parameter failures into JSON 404s.
pub(crate) fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _req| {
        let api = ApiError::NotFound(format!("invalid path parameter: {err}"));
        error::InternalError::from_response(err, api.error_response()).into()
    })
}

/// Turns query string failures into JSON 400s.
pub(crate) fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        let api = ApiError::BadRequest(format!("invalid query string: {err}"));
        error::InternalError::from_response(err, api.error_response()).into()
    })
}

/// The `/api` default service: no such route.
pub(crate) async fn api_not_found(
    req: HttpRequest,
    routes: web::Data<crate::openapi::RouteTable>,
) -> HttpResponse {
    let allowed = routes.allowed_methods(req.path());
    if allowed.is_empty() {
        return ApiError::NotFound(format!("no API route {} {}", req.method(), req.path()))
            .error_response();
    }
    let mut response = ApiError::MethodNotAllowed(format!(
        "method {} is not allowed on {}; allowed: {}",
        req.method(),
        req.path(),
        allowed.join(", ")
    ))
    .error_response();
    if let Ok(value) = header::HeaderValue::from_str(&allowed.join(", ")) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

/// Middleware for `/api`: any error response that is not already JSON (actix's own 404, 405,
/// 413 …) is replaced by a JSON [`ErrorBody`]; every API response gets `Cache-Control:
/// no-store`.
pub(crate) async fn ensure_json_errors(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let method = req.method().clone();
    let path = req.path().to_owned();
    let mut res = next.call(req).await?.map_into_boxed_body();
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if (status.is_client_error() || status.is_server_error()) && !is_json {
        let api = match status {
            StatusCode::NOT_FOUND => ApiError::NotFound(format!("no API route {method} {path}")),
            StatusCode::METHOD_NOT_ALLOWED => {
                ApiError::MethodNotAllowed(format!("method {method} is not allowed on {path}"))
            }
            StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::PayloadTooLarge("request body is too large".to_owned())
            }
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                ApiError::UnsupportedMediaType("unsupported content type".to_owned())
            }
            s if s.is_server_error() => ApiError::Internal(anyhow::anyhow!(
                "{method} {path} answered {s} without a body"
            )),
            s => ApiError::BadRequest(
                s.canonical_reason()
                    .unwrap_or("bad request")
                    .to_ascii_lowercase(),
            ),
        };
        let mut replacement = api.error_response();
        *replacement.status_mut() = status;
        res = res.into_response(replacement);
    }
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

/// What Plex did, in plain words for the admin (never a token or URL query; the client's
/// errors already leave those out).
fn plex_message(err: &plex_client::Error) -> String {
    match err {
        plex_client::Error::Unauthorized { .. } => {
            "Plex refused the token: it is wrong or was revoked".to_owned()
        }
        plex_client::Error::RateLimited { .. } => {
            "Plex is rate-limiting requests; try again in a minute".to_owned()
        }
        plex_client::Error::Transport { timeout: true, .. } => {
            "Plex did not answer in time".to_owned()
        }
        plex_client::Error::Transport { message, .. } => {
            format!("Plex could not be reached: {message}")
        }
        other => format!("Plex answered with an error: {other}"),
    }
}
