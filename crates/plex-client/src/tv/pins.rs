//! The PIN sign-in flow (plex-api.md §1).

use std::time::Duration;

use reqwest::Method;
use serde::Deserialize;

use super::PlexTv;
use crate::transport::Family;
use crate::{ClientIdentifier, PinId, PlexToken, Result};

/// Plex answers PIN polls from its cache; asking more often than this invites 429s (§1.3).
const MIN_POLL_INTERVAL: Duration = Duration::from_secs(2);

/// A sign-in PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// The id to poll with.
    pub id: PinId,
    /// The code the user approves (long for `strong` PINs, 4 characters otherwise).
    pub code: String,
    /// The installation that created the PIN; only it may poll.
    pub client_identifier: ClientIdentifier,
    /// Seconds the PIN lived for when created.
    pub expires_in: Option<u64>,
    /// The approving account's token, once the user signed in.
    pub auth_token: Option<PlexToken>,
}

impl PartialEq for PlexToken {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for PlexToken {}

/// A PIN in JSON, or (with the `@` aliases) the attributes of XML's `<pin>`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WirePin {
    #[serde(alias = "@id")]
    id: u64,
    #[serde(alias = "@code")]
    code: String,
    #[serde(alias = "@clientIdentifier", default)]
    client_identifier: String,
    #[serde(alias = "@expiresIn", default)]
    expires_in: Option<u64>,
    #[serde(alias = "@authToken", default)]
    auth_token: Option<String>,
}

impl PlexTv {
    async fn pin_request(
        &self,
        endpoint: &str,
        idempotent: bool,
        build: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<Pin> {
        self.transport
            .body(endpoint, Family::TvV2, idempotent, build)
            .await?
            .decode(
                endpoint,
                |w: WirePin| Pin::from(w),
                |w: WirePin| Pin::from(w),
            )
    }
}

impl From<WirePin> for Pin {
    fn from(wire: WirePin) -> Self {
        Self {
            id: PinId::new(wire.id),
            code: wire.code,
            client_identifier: ClientIdentifier::new(wire.client_identifier),
            expires_in: wire.expires_in,
            // `null`, absent and empty all mean "not yet" (§1.3).
            auth_token: wire
                .auth_token
                .filter(|t| !t.is_empty())
                .map(PlexToken::new),
        }
    }
}

impl PlexTv {
    /// `POST /api/v2/pins`: a new PIN for this installation. `strong` PINs are for the hosted
    /// sign-in page; short ones are typed in at plex.tv/link. Sends no token.
    ///
    /// # Errors
    /// Any [`crate::Error`]; a 429 is retried per the transport's policy.
    pub async fn create_pin(&self, strong: bool) -> Result<Pin> {
        let url = self.url("/api/v2/pins");
        let strong = if strong { "true" } else { "false" };
        self.pin_request("POST /api/v2/pins", false, || {
            self.transport
                .request(Method::POST, &url, None)
                .query(&[("strong", strong)])
        })
        .await
    }

    /// `GET /api/v2/pins/{id}`: the PIN, with `auth_token` once approved. Calls for the same PIN
    /// within 2 s get the previous answer without asking plex.tv again.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when the PIN is unknown or expired, or any other error.
    pub async fn poll_pin(&self, id: PinId) -> Result<Pin> {
        if let Some(recent) = self.recent_poll(id) {
            return Ok(recent);
        }
        let url = self.url(&format!("/api/v2/pins/{id}"));
        let pin = self
            .pin_request("GET /api/v2/pins/{id}", true, || {
                self.transport.request(Method::GET, &url, None)
            })
            .await?;
        if let Ok(mut polls) = self.pin_polls.lock() {
            polls.retain(|_, (at, _)| at.elapsed() < MIN_POLL_INTERVAL);
            polls.insert(id, (tokio::time::Instant::now(), pin.clone()));
        }
        Ok(pin)
    }

    fn recent_poll(&self, id: PinId) -> Option<Pin> {
        let polls = self.pin_polls.lock().ok()?;
        let (at, pin) = polls.get(&id)?;
        (at.elapsed() < MIN_POLL_INTERVAL).then(|| pin.clone())
    }

    /// The hosted sign-in page for `pin` (§1.2). After signing in, the browser goes to
    /// `forward_url` when given. The token never travels in this URL.
    pub fn auth_url(&self, pin: &Pin, forward_url: Option<&str>) -> String {
        let identity = self.transport.identity();
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("clientID", identity.client_identifier.as_str())
            .append_pair("code", &pin.code)
            .append_pair("context[device][product]", &identity.product)
            .append_pair("context[device][version]", &identity.version)
            .append_pair("context[device][platform]", &identity.platform)
            .append_pair("context[device][deviceName]", &identity.device_name);
        if let Some(forward) = forward_url {
            query.append_pair("forwardUrl", forward);
        }
        format!("{}#?{}", self.urls.auth_app, query.finish())
    }
}
