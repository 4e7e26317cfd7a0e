//! The v2 friends and shares API (plex-api.md §5.3, §5.4, §5.6, §5.9): friends with their
//! shares, accepted and pending shares, complete share updates, per-friend settings, and the
//! invitee's side of an invite.

use reqwest::Method;
use serde_json::Value;

use super::servers::LibrarySection;
use super::{PlexTv, ShareSettings};
use crate::transport::Family;
use crate::value::{boolish, epoch_seconds, json_id, json_u64};
use crate::{
    Error, MachineIdentifier, PlexAccountId, PlexToken, PlexTvSectionId, PmsSectionKey, Result,
    SharedServerId,
};

/// Where a friendship stands (`status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FriendStatus {
    /// Both sides agreed.
    Accepted,
    /// The account invited them; they have not accepted.
    PendingSent,
    /// They invited the account.
    PendingReceived,
    /// Pending, direction not given.
    Pending,
    /// A value this client does not know.
    Other(String),
}

impl FriendStatus {
    fn parse(value: &str) -> Self {
        match value {
            "accepted" => Self::Accepted,
            "pending_sent" => Self::PendingSent,
            "pending_received" => Self::PendingReceived,
            "pending" => Self::Pending,
            other => Self::Other(other.to_owned()),
        }
    }

    fn query(&self) -> &str {
        match self {
            Self::Accepted => "accepted",
            Self::PendingSent => "pending_sent",
            Self::PendingReceived => "pending_received",
            Self::Pending => "pending",
            Self::Other(other) => other,
        }
    }
}

/// A friend from `GET /api/v2/friends`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Friend {
    /// plex.tv account id.
    pub id: PlexAccountId,
    /// Stable uuid.
    pub uuid: String,
    /// Display title.
    pub title: String,
    /// Username; managed users have none.
    pub username: Option<String>,
    /// E-mail; managed users have none.
    pub email: Option<String>,
    /// The name a managed user goes by.
    pub friendly_name: Option<String>,
    /// A managed (restricted) user.
    pub restricted: bool,
    /// In the account's Plex Home.
    pub home: bool,
    /// Where the friendship stands.
    pub status: FriendStatus,
    /// The friend's settings.
    pub settings: ShareSettings,
    /// Shares between the account and the friend.
    pub shares: Vec<Share>,
}

/// A share of a server as the v2 API describes it (`SharedServer`, §5.3–5.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    /// The share id, what updates take. Not a user id, not the server id.
    pub id: SharedServerId,
    /// The server.
    pub machine_identifier: MachineIdentifier,
    /// The server's name.
    pub name: String,
    /// The server owner's account.
    pub owner_id: Option<PlexAccountId>,
    /// The invited account; absent for an invite to an e-mail with no account.
    pub invited_id: Option<PlexAccountId>,
    /// The invited e-mail, for such invites.
    pub invited_email: Option<String>,
    /// The invited account's username, when plex.tv includes it.
    pub invited_username: Option<String>,
    /// Accepted by the invitee.
    pub accepted: bool,
    /// When it was accepted (seconds since 1970).
    pub accepted_at: Option<u64>,
    /// When the invitee last used the server (seconds since 1970).
    pub last_seen_at: Option<u64>,
    /// Every current and future library.
    pub all_libraries: bool,
    /// What the invitee may do.
    pub settings: ShareSettings,
    /// The shared libraries with both ids.
    pub libraries: Vec<LibrarySection>,
}

/// An invite waiting for the signed-in account (the invitee's side, §5.9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedInvite {
    /// The inviting owner's username.
    pub owner_username: Option<String>,
    /// The inviting owner's e-mail.
    pub owner_email: Option<String>,
    /// The inviting owner's title.
    pub owner_title: Option<String>,
    /// The shares offered; accept each by id.
    pub shares: Vec<Share>,
}

fn text(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn account_id(value: &Value, key: &str) -> Option<PlexAccountId> {
    json_u64(value.get(key))
        .filter(|id| *id != 0)
        .map(PlexAccountId::new)
}

fn library(value: &Value) -> Option<LibrarySection> {
    Some(LibrarySection {
        id: PlexTvSectionId::new(json_u64(value.get("id"))?),
        key: PmsSectionKey::new(json_id(value.get("key"))?),
        title: text(value, "title").unwrap_or_default(),
        kind: text(value, "type").unwrap_or_default(),
    })
}

fn share(value: &Value) -> Option<Share> {
    let invited = value.get("invited");
    Some(Share {
        id: SharedServerId::new(json_u64(value.get("id"))?),
        machine_identifier: MachineIdentifier::new(text(value, "machineIdentifier")?),
        name: text(value, "name").unwrap_or_default(),
        owner_id: account_id(value, "ownerId"),
        invited_id: account_id(value, "invitedId"),
        invited_email: text(value, "invitedEmail")
            .or_else(|| invited.and_then(|i| text(i, "email"))),
        invited_username: invited.and_then(|i| text(i, "username")),
        accepted: boolish(value.get("accepted")),
        accepted_at: epoch_seconds(value.get("acceptedAt")),
        last_seen_at: epoch_seconds(value.get("lastSeenAt")),
        all_libraries: boolish(value.get("allLibraries")),
        settings: value
            .get("sharingSettings")
            .map(ShareSettings::from_v2_json)
            .unwrap_or_default(),
        libraries: list(value.get("libraries"), library),
    })
}

fn friend(value: &Value) -> Option<Friend> {
    Some(Friend {
        id: account_id(value, "id")?,
        uuid: text(value, "uuid").unwrap_or_default(),
        title: text(value, "title").unwrap_or_default(),
        username: text(value, "username"),
        email: text(value, "email"),
        friendly_name: text(value, "friendlyName"),
        restricted: boolish(value.get("restricted")),
        home: boolish(value.get("home")),
        status: FriendStatus::parse(value.get("status").and_then(Value::as_str).unwrap_or("")),
        settings: value
            .get("sharingSettings")
            .map(ShareSettings::from_v2_json)
            .unwrap_or_default(),
        shares: list(value.get("sharedServers"), share),
    })
}

fn received_invite(value: &Value) -> ReceivedInvite {
    let owner = value.get("owner");
    ReceivedInvite {
        owner_username: owner.and_then(|o| text(o, "username")),
        owner_email: owner.and_then(|o| text(o, "email")),
        owner_title: owner.and_then(|o| text(o, "title")),
        shares: list(value.get("sharedServers"), share),
    }
}

/// Maps the items of a JSON array, skipping the ones `item` cannot read.
fn list<T>(value: Option<&Value>, item: impl Fn(&Value) -> Option<T>) -> Vec<T> {
    value
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(item).collect())
        .unwrap_or_default()
}

impl PlexTv {
    async fn get_v2_list(
        &self,
        endpoint: &str,
        url: &str,
        token: &PlexToken,
    ) -> Result<Vec<Value>> {
        self.transport
            .json(endpoint, Family::TvV2, true, || {
                self.transport.request(Method::GET, url, Some(token))
            })
            .await
    }

    /// `GET /api/v2/friends` with every `include*` flag (without them plex.tv leaves
    /// `sharedServers` empty, §5.3); `status` narrows the list.
    ///
    /// # Errors
    /// Any [`Error`].
    pub async fn friends(
        &self,
        token: &PlexToken,
        status: Option<&FriendStatus>,
    ) -> Result<Vec<Friend>> {
        let mut url = self.url(
            "/api/v2/friends?includeSharedServers=true&includeSharedSources=true\
             &includeSharingSettings=true",
        );
        if let Some(status) = status {
            url.push_str("&status=");
            url.push_str(status.query());
        }
        let items = self.get_v2_list("GET /api/v2/friends", &url, token).await?;
        Ok(items.iter().filter_map(friend).collect())
    }

    /// `GET clients.plex.tv/api/v2/shared_servers/owned/accepted`: the account's accepted
    /// shares with their share ids, libraries and complete settings (§5.4).
    ///
    /// # Errors
    /// Any [`Error`].
    pub async fn accepted_shares(&self, token: &PlexToken) -> Result<Vec<Share>> {
        let url = self.clients_url("/api/v2/shared_servers/owned/accepted");
        let items = self
            .get_v2_list("GET /api/v2/shared_servers/owned/accepted", &url, token)
            .await?;
        Ok(items.iter().filter_map(share).collect())
    }

    /// `GET /api/v2/shared_servers/invites/owned/pending`: invites the account sent that are
    /// not accepted yet, e-mail invites included (§5.9).
    ///
    /// # Errors
    /// Any [`Error`].
    pub async fn pending_invites(&self, token: &PlexToken) -> Result<Vec<Share>> {
        let url = self.url("/api/v2/shared_servers/invites/owned/pending");
        let items = self
            .get_v2_list(
                "GET /api/v2/shared_servers/invites/owned/pending",
                &url,
                token,
            )
            .await?;
        Ok(items.iter().filter_map(share).collect())
    }

    /// `POST clients.plex.tv/api/v2/shared_servers/{id}`: replaces the settings **and** the
    /// libraries of a share. Pass the complete settings (read them first); missing flags
    /// would be reset (§5.6).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an empty library list, [`Error::NotFound`] for an
    /// unknown share, or any other error.
    pub async fn update_share(
        &self,
        token: &PlexToken,
        share_id: SharedServerId,
        settings: &ShareSettings,
        sections: &[PlexTvSectionId],
    ) -> Result<Share> {
        const ENDPOINT: &str = "POST /api/v2/shared_servers/{id}";
        if sections.is_empty() {
            return Err(Error::InvalidRequest {
                endpoint: ENDPOINT.to_owned(),
                message: "a share needs at least one library; remove the share instead".to_owned(),
            });
        }
        let body = serde_json::json!({
            "settings": settings.to_v2_json(),
            "librarySectionIds": sections.iter().map(|s| s.get()).collect::<Vec<_>>(),
        });
        let url = self.clients_url(&format!("/api/v2/shared_servers/{share_id}"));
        let value: Value = self
            .transport
            .json(ENDPOINT, Family::TvV2, true, || {
                self.transport
                    .request(Method::POST, &url, Some(token))
                    .json(&body)
            })
            .await?;
        share(&value).ok_or_else(|| Error::Decode {
            endpoint: ENDPOINT.to_owned(),
            message: "the answer is not a shared server".to_owned(),
        })
    }

    /// `PUT /api/v2/sharings/{user}`: a friend's download, channel and camera-upload flags and
    /// restriction strings, without touching libraries (§5.6). Restriction strings go out
    /// URL-encoded once, so they come back verbatim.
    ///
    /// # Errors
    /// [`Error::NotFound`] for someone who is not a friend, or any other error.
    pub async fn update_sharing_settings(
        &self,
        token: &PlexToken,
        user: PlexAccountId,
        settings: &ShareSettings,
    ) -> Result<()> {
        const ENDPOINT: &str = "PUT /api/v2/sharings/{id}";
        let flag = |on: bool| if on { "1" } else { "0" };
        let query = [
            ("allowSync", flag(settings.allow_sync)),
            ("allowCameraUpload", flag(settings.allow_camera_upload)),
            ("allowChannels", flag(settings.allow_channels)),
            ("filterMovies", settings.filter_movies.as_str()),
            ("filterTelevision", settings.filter_television.as_str()),
            ("filterMusic", settings.filter_music.as_str()),
        ];
        let url = self.url(&format!("/api/v2/sharings/{user}"));
        self.transport
            .send(ENDPOINT, Family::TvV2, true, || {
                self.transport
                    .request(Method::PUT, &url, Some(token))
                    .query(&query)
            })
            .await?;
        Ok(())
    }

    /// `GET clients.plex.tv/api/v2/shared_servers/invites/received/pending` with the
    /// **invitee's** token: the invites waiting for them (§5.9).
    ///
    /// # Errors
    /// Any [`Error`].
    pub async fn received_invites(&self, invitee_token: &PlexToken) -> Result<Vec<ReceivedInvite>> {
        let url = self.clients_url("/api/v2/shared_servers/invites/received/pending");
        let items = self
            .get_v2_list(
                "GET /api/v2/shared_servers/invites/received/pending",
                &url,
                invitee_token,
            )
            .await?;
        Ok(items.iter().map(received_invite).collect())
    }

    /// `POST clients.plex.tv/api/v2/shared_servers/{id}/accept` with the **invitee's**
    /// token: accepts a share offered to them (§5.9).
    ///
    /// # Errors
    /// [`Error::NotFound`] when no such invite waits for them, or any other error.
    pub async fn accept_invite(
        &self,
        invitee_token: &PlexToken,
        share_id: SharedServerId,
    ) -> Result<()> {
        const ENDPOINT: &str = "POST /api/v2/shared_servers/{id}/accept";
        let url = self.clients_url(&format!("/api/v2/shared_servers/{share_id}/accept"));
        self.transport
            .send(ENDPOINT, Family::TvV2, true, || {
                self.transport
                    .request(Method::POST, &url, Some(invitee_token))
            })
            .await?;
        Ok(())
    }
}
