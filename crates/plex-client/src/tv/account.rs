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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireUser {
    id: u64,
    #[serde(default)]
    uuid: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    thumb: Option<String>,
    #[serde(default)]
    subscription: Option<WireSubscription>,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    home: Option<bool>,
    #[serde(default)]
    home_admin: Option<bool>,
    #[serde(default)]
    restricted: Option<bool>,
}

#[derive(Deserialize)]
struct WireSubscription {
    #[serde(default)]
    active: Option<bool>,
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
        let url = self.url("/api/v2/user");
        let wire: WireUser = self
            .transport
            .json("GET /api/v2/user", Family::TvV2, true, || {
                self.transport.request(Method::GET, &url, Some(token))
            })
            .await?;
        let plex_pass = wire
            .subscription
            .as_ref()
            .and_then(|s| s.active)
            .unwrap_or(false)
            || wire.roles.iter().any(|r| r == "plexpass");
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
