use std::borrow::Cow;
use std::time::Duration;

use reqwest::{RequestBuilder, Response, StatusCode, header};

use crate::error_body;
use crate::{ClientIdentity, Error, PlexToken, Result, RetryPolicy};

/// The API family of a request, which decides content negotiation and error parsing
/// (plex-api.md §0.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// plex.tv v1 (`/api/…`): XML only, errors as `<Response code status/>`.
    TvV1,
    /// plex.tv v2 (`/api/v2/…`): JSON when asked.
    TvV2,
    /// Plex Media Server: JSON when asked; 401s are HTML.
    Pms,
}

/// The HTTP transport shared by the plex.tv and PMS clients: identity headers, timeouts,
/// status mapping and retries.
#[derive(Debug, Clone)]
pub struct Transport {
    http: reqwest::Client,
    identity: ClientIdentity,
    retry: RetryPolicy,
    timeout: Duration,
}

impl Transport {
    /// Builds a transport with a 15 s request timeout and the default [`RetryPolicy`].
    ///
    /// # Errors
    /// [`Error::Transport`] if the TLS stack cannot be initialised.
    pub fn new(identity: ClientIdentity) -> Result<Self> {
        // reqwest is built without a default crypto provider; install ring once per process.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .connect_timeout(Duration::from_secs(5))
            // Plex never needs a redirect; following one could carry the token elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(format!("{}/{}", identity.product, identity.version))
            .build()
            .map_err(|err| Error::Transport {
                endpoint: "client set-up".to_owned(),
                message: err.to_string(),
                timeout: false,
            })?;
        Ok(Self {
            http,
            identity,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(15),
        })
    }

    /// Replaces the 15 s limit on one request (connecting included).
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Replaces the retry policy.
    #[must_use]
    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Who this transport says it is.
    pub fn identity(&self) -> &ClientIdentity {
        &self.identity
    }

    pub(crate) fn request(
        &self,
        method: reqwest::Method,
        url: &str,
        token: Option<&PlexToken>,
    ) -> RequestBuilder {
        let mut builder = self
            .http
            .request(method, url)
            .timeout(self.timeout)
            .header(header::ACCEPT, "application/json");
        for (name, value) in self.identity.headers() {
            builder = builder.header(name, value);
        }
        if let Some(token) = token {
            builder = builder.header("X-Plex-Token", token.expose());
        }
        builder
    }

    /// Sends the request `build` makes, retrying per the policy, and maps every non-success
    /// status (200, 201 and 204 are success) to a typed [`Error`].
    pub(crate) async fn send(
        &self,
        endpoint: &str,
        family: Family,
        idempotent: bool,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<Response> {
        let mut attempt = 0;
        loop {
            let error = match self.send_once(endpoint, family, build()).await {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            attempt += 1;
            if attempt > self.retry.max_retries || !error.is_retryable(idempotent) {
                return Err(error);
            }
            let wait = self
                .retry
                .delay(attempt, error.retry_after(), rand::random());
            tracing::debug!(plex.endpoint = endpoint, attempt, ?wait, %error, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    async fn send_once(
        &self,
        endpoint: &str,
        family: Family,
        request: RequestBuilder,
    ) -> Result<Response> {
        let response = request.send().await.map_err(|err| Error::Transport {
            endpoint: endpoint.to_owned(),
            timeout: err.is_timeout(),
            // Drop the URL from reqwest's message: a query string can carry a token.
            message: err.without_url().to_string(),
        })?;
        let status = response.status();
        if matches!(
            status,
            StatusCode::OK | StatusCode::CREATED | StatusCode::NO_CONTENT
        ) {
            return Ok(response);
        }
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = response.text().await.unwrap_or_default();
        Err(map_status(endpoint, family, status, retry_after, &body))
    }

    /// Reads a response body as text.
    pub(crate) async fn text(&self, endpoint: &str, response: Response) -> Result<String> {
        response.text().await.map_err(|err| Error::Transport {
            endpoint: endpoint.to_owned(),
            timeout: err.is_timeout(),
            message: err.without_url().to_string(),
        })
    }

    /// Sends the request and returns the body in the format the server chose: JSON when the
    /// `Content-Type` says so (or the body plainly is JSON), XML otherwise. Plex's v2 and PMS
    /// APIs fall back to XML when `Accept` is lost on the way (a proxy, an old server).
    pub(crate) async fn body(
        &self,
        endpoint: &str,
        family: Family,
        idempotent: bool,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<Body> {
        let response = self.send(endpoint, family, idempotent, build).await?;
        let json_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("json"));
        let text = self.text(endpoint, response).await?;
        let looks_json = text.trim_start().starts_with(['{', '[']);
        Ok(if json_type || looks_json {
            Body::Json(text)
        } else {
            Body::Xml(text)
        })
    }

    /// Sends and decodes a JSON body.
    pub(crate) async fn json<T: serde::de::DeserializeOwned>(
        &self,
        endpoint: &str,
        family: Family,
        idempotent: bool,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<T> {
        let response = self.send(endpoint, family, idempotent, build).await?;
        let bytes = response.bytes().await.map_err(|err| Error::Transport {
            endpoint: endpoint.to_owned(),
            timeout: err.is_timeout(),
            message: err.without_url().to_string(),
        })?;
        serde_json::from_slice(&bytes).map_err(|err| Error::Decode {
            endpoint: endpoint.to_owned(),
            message: err.to_string(),
        })
    }
}

/// A response body in the format the server answered with.
#[derive(Debug)]
pub(crate) enum Body {
    /// A JSON document.
    Json(String),
    /// An XML document.
    Xml(String),
}

impl Body {
    /// Decodes a JSON body as `J` or an XML body as `X`, then maps either into `T`.
    pub(crate) fn decode<T, J, X>(
        self,
        endpoint: &str,
        from_json: impl FnOnce(J) -> T,
        from_xml: impl FnOnce(X) -> T,
    ) -> Result<T>
    where
        J: serde::de::DeserializeOwned,
        X: serde::de::DeserializeOwned,
    {
        match self {
            Self::Json(text) => {
                serde_json::from_str(&text)
                    .map(from_json)
                    .map_err(|err| Error::Decode {
                        endpoint: endpoint.to_owned(),
                        message: err.to_string(),
                    })
            }
            Self::Xml(text) => crate::xml::from_str(endpoint, &text).map(from_xml),
        }
    }
}

/// The error for a non-success answer.
fn map_status(
    endpoint: &str,
    family: Family,
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &str,
) -> Error {
    let endpoint = endpoint.to_owned();
    let parsed = error_body::parse(body);
    match status.as_u16() {
        401 => Error::Unauthorized { endpoint },
        // Older plex.tv answered a revoked token with 422 "Invalid token" (§0.4).
        422 if parsed
            .as_ref()
            .is_some_and(|p| p.message.contains("Invalid token")) =>
        {
            Error::Unauthorized { endpoint }
        }
        404 => Error::NotFound {
            endpoint,
            message: parsed.map(|p| p.message),
        },
        410 => Error::Gone { endpoint },
        429 => Error::RateLimited {
            endpoint,
            retry_after,
        },
        code => match parsed {
            Some(p) if family != Family::Pms || code < 500 => Error::Rejected {
                endpoint,
                status: code,
                code: p.code,
                message: p.message,
            },
            _ => Error::Status {
                endpoint,
                status: code,
            },
        },
    }
}

/// Removes the control characters XML 1.0 forbids (`\x00`–`\x08`, `\x0B`, `\x0C`,
/// `\x0E`–`\x1F`), which PMS sometimes emits in titles (plex-api.md §0.3, §8.22).
pub(crate) fn sanitize_xml(text: &str) -> Cow<'_, str> {
    let bad = |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}');
    if text.contains(bad) {
        Cow::Owned(text.chars().filter(|c| !bad(*c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::{Family, map_status, sanitize_xml};
    use crate::Error;
    use reqwest::StatusCode;

    #[test]
    fn forbidden_control_characters_are_stripped_and_others_kept() {
        assert_eq!(sanitize_xml("Tit\u{b}le\u{1}"), "Title");
        assert_eq!(sanitize_xml("tab\tnew\nline\r"), "tab\tnew\nline\r");
    }

    #[test]
    fn statuses_map_to_what_plex_meant() {
        let map = |status: u16, body: &str| {
            map_status(
                "GET /x",
                Family::TvV2,
                StatusCode::from_u16(status).unwrap(),
                None,
                body,
            )
        };
        assert!(matches!(map(401, ""), Error::Unauthorized { .. }));
        assert!(matches!(
            map(422, "<errors><error>Invalid token</error></errors>"),
            Error::Unauthorized { .. }
        ));
        assert!(matches!(map(410, ""), Error::Gone { .. }));
        assert!(matches!(map(429, ""), Error::RateLimited { .. }));
        assert!(matches!(map(503, ""), Error::Status { status: 503, .. }));
        match map(
            400,
            r#"{"errors":[{"code":1000,"message":"X-Plex-Client-Identifier is missing"}]}"#,
        ) {
            Error::Rejected { code, message, .. } => {
                assert_eq!(code, Some(1000));
                assert_eq!(message, "X-Plex-Client-Identifier is missing");
            }
            other => panic!("{other:?}"),
        }
        match map(
            404,
            r#"{"errors":[{"code":1020,"message":"Code not found or expired"}]}"#,
        ) {
            Error::NotFound { message, .. } => {
                assert_eq!(message.as_deref(), Some("Code not found or expired"));
            }
            other => panic!("{other:?}"),
        }
    }
}
