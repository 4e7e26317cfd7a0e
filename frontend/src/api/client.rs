use std::fmt;

use gloo_net::http::{Request, Response};
use pum_api_types::{ErrorBody, ErrorCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A failed API call, ready to show to a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// The HTTP status, or 0 when the server could not be reached.
    pub(crate) status: u16,
    /// The error code from the body, when the server sent one.
    pub(crate) code: Option<ErrorCode>,
    /// What went wrong.
    pub(crate) message: String,
    /// The request id to quote when reporting a server error.
    pub(crate) request_id: Option<String>,
    /// What is wrong with each field, for forms.
    pub(crate) fields: std::collections::BTreeMap<String, String>,
    /// For a 429: seconds until another attempt may succeed.
    pub(crate) retry_after_seconds: Option<u64>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    /// A form the page itself found wrong, before asking the server: `fields` as the server
    /// would name them.
    pub(crate) fn invalid(fields: std::collections::BTreeMap<String, String>) -> Self {
        Self {
            status: 400,
            code: None,
            message: "Check the highlighted fields.".to_owned(),
            request_id: None,
            fields,
            retry_after_seconds: None,
        }
    }

    fn network(err: &gloo_net::Error) -> Self {
        Self {
            status: 0,
            code: None,
            message: format!("could not reach pum: {err}"),
            request_id: None,
            fields: std::collections::BTreeMap::new(),
            retry_after_seconds: None,
        }
    }
}

/// An HTTP method the API uses.
#[derive(Debug, Clone, Copy)]
pub(super) enum Method {
    Post,
    Put,
    Patch,
    Delete,
}

pub(super) async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = Request::get(path)
        .header("accept", "application/json")
        .send()
        .await
        .map_err(|e| ApiError::network(&e))?;
    decode(response).await
}

pub(super) async fn post<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    send(Method::Post, path, Some(body)).await
}

/// Sends `body` (if any) with `method` and decodes the JSON answer.
pub(super) async fn send<B: Serialize, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: Option<&B>,
) -> Result<T, ApiError> {
    decode(raw(method, path, body).await?).await
}

/// Sends a request whose success has no body (204).
pub(super) async fn send_empty<B: Serialize>(
    method: Method,
    path: &str,
    body: Option<&B>,
) -> Result<(), ApiError> {
    let response = raw(method, path, body).await?;
    let status = response.status();
    if (200..300).contains(&status) {
        return Ok(());
    }
    let text = response.text().await.unwrap_or_default();
    Err(failed(status, &text))
}

async fn raw<B: Serialize>(
    method: Method,
    path: &str,
    body: Option<&B>,
) -> Result<Response, ApiError> {
    let builder = match method {
        Method::Post => Request::post(path),
        Method::Put => Request::put(path),
        Method::Patch => Request::patch(path),
        Method::Delete => Request::delete(path),
    }
    .header("accept", "application/json");
    let request = match body {
        Some(body) => builder.json(body).map_err(|e| ApiError::network(&e))?,
        None => builder.build().map_err(|e| ApiError::network(&e))?,
    };
    request.send().await.map_err(|e| ApiError::network(&e))
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let text = response.text().await.map_err(|e| ApiError::network(&e))?;
    if (200..300).contains(&status) {
        return serde_json::from_str(&text).map_err(|e| ApiError {
            status,
            code: None,
            message: format!("unexpected answer from pum: {e}"),
            request_id: None,
            fields: std::collections::BTreeMap::new(),
            retry_after_seconds: None,
        });
    }
    Err(failed(status, &text))
}

/// An error answer; a 401 also tells the app the session is gone.
fn failed(status: u16, text: &str) -> ApiError {
    if status == 401 {
        crate::state::session_ended();
    }
    error_from_body(status, text)
}

/// Turns an error response into an [`ApiError`], whatever its body.
pub(crate) fn error_from_body(status: u16, body: &str) -> ApiError {
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(body) => ApiError {
            status,
            code: Some(body.code),
            message: body.message,
            request_id: body.request_id,
            fields: body.fields,
            retry_after_seconds: body.retry_after_seconds,
        },
        Err(_) => ApiError {
            status,
            code: None,
            message: format!("pum answered HTTP {status}"),
            request_id: None,
            fields: std::collections::BTreeMap::new(),
            retry_after_seconds: None,
        },
    }
}
