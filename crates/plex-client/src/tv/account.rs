//! The signed-in account (plex-api.md §2).

use reqwest::Method;
use serde::Deserialize;

use super::PlexTv;
use crate::transport::Family;
use crate::{PlexAccountId, PlexToken, Result};

/// A plex.tv account, as `GET /api/v2/user` describes the token's owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The plex.tv account id.
    pub id: PlexAccountId,
    /// The account's stable uuid.
    pub uuid: String,
    /// The username.
    pub username: String,
    /// The display title.
    pub title: String,
    /// The e-mail address; managed users have none.
    pub email: Option<String>,
    /// Avatar URL.
    pub thumb: Option<String>,
    /// Whether the account has an active Plex Pass.
    pub plex_pass: bool,
    /// The account's place in a Plex Home.
    pub home: HomeRole,
    /// Whether the account is a restricted (managed) user.
    pub restricted: bool,
    /// Whether the account's e-mail address is verified (`confirmed`); Plex does not let an
    /// unverified account accept a share (§5.9). Absent reads as verified.
    pub confirmed: bool,
}

/// An account's place in a Plex Home.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HomeRole {
    /// Not in a Plex Home.
    None,
    /// A member of a Plex Home.
    Member,
    /// The administrator of its Plex Home.
    Admin,
}

/// `/api/v2/user` in JSON, or (with the `@` aliases) XML's `<user>` with its
/// `<subscription>` and `<roles><role id/></roles>` children.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireUser {
    #[serde(alias = "@id")]
    id: u64,
    #[serde(alias = "@uuid", default)]
    uuid: String,
    #[serde(alias = "@username", default)]
    username: String,
    #[serde(alias = "@title", default)]
    title: String,
    #[serde(alias = "@email", default)]
    email: Option<String>,
    #[serde(alias = "@thumb", default)]
    thumb: Option<String>,
    #[serde(default)]
    subscription: Option<WireSubscription>,
    /// JSON: `["plexpass", …]`; XML: `{"role": {"@id": "plexpass"}}` or a list of those.
    #[serde(default)]
    roles: Option<serde_json::Value>,
    #[serde(alias = "@home", default)]
    home: Option<bool>,
    #[serde(alias = "@homeAdmin", default)]
    home_admin: Option<bool>,
    #[serde(alias = "@restricted", default)]
    restricted: Option<bool>,
    #[serde(alias = "@confirmed", default)]
    confirmed: Option<bool>,
}

#[derive(Deserialize)]
struct WireSubscription {
    #[serde(alias = "@active", default)]
    active: Option<bool>,
}

/// Role ids in either format.
fn role_ids(roles: Option<&serde_json::Value>) -> Vec<String> {
    use serde_json::Value;
    let id = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o
            .get("@id")
            .or_else(|| o.get("id"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        _ => None,
    };
    match roles {
        Some(Value::Array(items)) => items.iter().filter_map(id).collect(),
        Some(Value::Object(o)) => match o.get("role") {
            Some(Value::Array(items)) => items.iter().filter_map(id).collect(),
            Some(one) => id(one).into_iter().collect(),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

#[derive(Deserialize)]
struct WirePong {
    #[serde(default)]
    pong: bool,
}

impl PlexTv {
    /// `GET /api/v2/user`: who `token` belongs to. A 401 means the token is no longer valid.
    ///
    /// # Errors
    /// [`crate::Error::Unauthorized`] for a bad token, or any other error.
    pub async fn account(&self, token: &PlexToken) -> Result<Account> {
        const ENDPOINT: &str = "GET /api/v2/user";
        let url = self.url("/api/v2/user");
        let wire: WireUser = self
            .transport
            .body(ENDPOINT, Family::TvV2, true, || {
                self.transport.request(Method::GET, &url, Some(token))
            })
            .await?
            .decode(ENDPOINT, |w| w, |w| w)?;
        let plex_pass = wire
            .subscription
            .as_ref()
            .and_then(|s| s.active)
            .unwrap_or(false)
            || role_ids(wire.roles.as_ref())
                .iter()
                .any(|r| r == "plexpass");
        Ok(Account {
            id: PlexAccountId::new(wire.id),
            uuid: wire.uuid,
            username: wire.username,
            title: wire.title,
            email: wire.email.filter(|e| !e.is_empty()),
            thumb: wire.thumb.filter(|t| !t.is_empty()),
            plex_pass,
            home: match (wire.home.unwrap_or(false), wire.home_admin.unwrap_or(false)) {
                (_, true) => HomeRole::Admin,
                (true, false) => HomeRole::Member,
                (false, false) => HomeRole::None,
            },
            restricted: wire.restricted.unwrap_or(false),
            confirmed: wire.confirmed.unwrap_or(true),
        })
    }

    /// `GET /api/v2/ping`: refreshes the token's expiry; `true` when plex.tv answered `pong`.
    ///
    /// # Errors
    /// [`crate::Error::Unauthorized`] for a bad token, or any other error.
    pub async fn ping(&self, token: &PlexToken) -> Result<bool> {
        let url = self.url("/api/v2/ping");
        let wire: WirePong = self
            .transport
            .json("GET /api/v2/ping", Family::TvV2, true, || {
                self.transport.request(Method::GET, &url, Some(token))
            })
            .await?;
        Ok(wire.pong)
    }
}
