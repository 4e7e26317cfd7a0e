use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response, StatusCode, header};

use crate::{ClientIdentity, Error, PlexToken, Result};

/// The HTTP transport shared by the plex.tv and PMS clients: identity headers, timeouts,
/// status mapping.
#[derive(Debug, Clone)]
pub struct Transport {
    http: reqwest::Client,
    identity: ClientIdentity,
}

impl Transport {
    /// Builds a transport with a 15 s request timeout.
    ///
    /// # Errors
    /// [`Error::Transport`] if the TLS stack cannot be initialised.
    pub fn new(identity: ClientIdentity) -> Result<Self> {
        // reqwest is built without a default crypto provider; install ring once per process.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .connect_timeout(Duration::from_secs(5))
            .user_agent(format!("{}/{}", identity.product, identity.version))
            .build()
            .map_err(|err| Error::Transport {
                endpoint: "client set-up".to_owned(),
                message: err.to_string(),
            })?;
        Ok(Self { http, identity })
    }

    pub(crate) fn request(
        &self,
        method: Method,
        url: &str,
        token: Option<&PlexToken>,
    ) -> RequestBuilder {
        let mut builder = self
            .http
            .request(method, url)
            .header(header::ACCEPT, "application/json");
        for (name, value) in self.identity.headers() {
            builder = builder.header(name, value);
        }
        if let Some(token) = token {
            builder = builder.header("X-Plex-Token", token.expose());
        }
        builder
    }

    /// Sends a request and maps every non-success status (200, 201 and 204 are success) to a
    /// typed [`Error`].
    pub(crate) async fn send(&self, endpoint: &str, request: RequestBuilder) -> Result<Response> {
        let response = request.send().await.map_err(|err| Error::Transport {
            endpoint: endpoint.to_owned(),
            // Drop the URL from reqwest's message: a query string can carry a token.
            message: err.without_url().to_string(),
        })?;
        let status = response.status();
        match status {
            StatusCode::OK | StatusCode::CREATED | StatusCode::NO_CONTENT => Ok(response),
            StatusCode::UNAUTHORIZED | StatusCode::UNPROCESSABLE_ENTITY => {
                Err(Error::Unauthorized {
                    endpoint: endpoint.to_owned(),
                })
            }
            StatusCode::NOT_FOUND => Err(Error::NotFound {
                endpoint: endpoint.to_owned(),
            }),
            StatusCode::TOO_MANY_REQUESTS => Err(Error::RateLimited {
                endpoint: endpoint.to_owned(),
                retry_after: response
                    .headers()
                    .get(header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs),
            }),
            other => Err(Error::Status {
                endpoint: endpoint.to_owned(),
                status: other.as_u16(),
            }),
        }
    }

    pub(crate) async fn json<T: serde::de::DeserializeOwned>(
        &self,
        endpoint: &str,
        request: RequestBuilder,
    ) -> Result<T> {
        let response = self.send(endpoint, request).await?;
        let bytes = response.bytes().await.map_err(|err| Error::Transport {
            endpoint: endpoint.to_owned(),
            message: err.without_url().to_string(),
        })?;
        serde_json::from_slice(&bytes).map_err(|err| Error::Decode {
            endpoint: endpoint.to_owned(),
            message: err.to_string(),
        })
    }
}
