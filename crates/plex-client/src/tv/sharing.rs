//! Sharing the owner's server: list, create, change and remove shares (plex-api.md §5.2,
//! §5.5–5.7). Every section id here is a plex.tv id (§4); the types make a PMS key impossible.

use reqwest::Method;
use serde::Deserialize;

use super::PlexTv;
use crate::transport::Family;
use crate::xml::{flag, number, text};
use crate::{
    Error, MachineIdentifier, PlexAccountId, PlexToken, PlexTvSectionId, PmsSectionKey, Result,
    SharedServerId,
};

/// Which plex.tv endpoint creates shares (§5.5). Route A (v1) is what python-plexapi and
/// Wizarr use today; route B (v2) is kept behind this switch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ShareRoute {
    /// `POST /api/servers/{machineIdentifier}/shared_servers`.
    #[default]
    V1,
    /// `POST /api/v2/shared_servers`.
    V2,
}

/// Who a new share is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invitee {
    /// An e-mail address or a plex.tv username.
    Email(String),
    /// A known plex.tv account.
    Account(PlexAccountId),
}

/// What a friend may do besides watching (plex-api.md §5.6, §5.8). v2 updates replace the
/// whole set, so always send every field: read the current settings, change, send back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent permission flags, as Plex models them"
)]
pub struct ShareSettings {
    /// Downloads (sync) allowed.
    pub allow_sync: bool,
    /// Channels allowed.
    pub allow_channels: bool,
    /// Camera upload allowed.
    pub allow_camera_upload: bool,
    /// May manage subtitles.
    pub allow_subtitle_admin: bool,
    /// Live TV access.
    pub allow_tuners: AllowTuners,
    /// Movie restriction, for example `contentRating=G` (§5.8).
    pub filter_movies: String,
    /// TV restriction.
    pub filter_television: String,
    /// Music restriction.
    pub filter_music: String,
    /// Photo restriction; `None` when Plex has `null`.
    pub filter_photos: Option<String>,
    /// Restriction over everything; `None` when Plex has `null`.
    pub filter_all: Option<String>,
}

/// Live TV access of a share (`allowTuners`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AllowTuners {
    /// No Live TV.
    #[default]
    None,
    /// Live TV.
    LiveTv,
    /// Live TV and DVR.
    LiveTvAndDvr,
}

impl AllowTuners {
    /// The wire number: 0, 1 or 2.
    pub fn number(self) -> u8 {
        match self {
            Self::None => 0,
            Self::LiveTv => 1,
            Self::LiveTvAndDvr => 2,
        }
    }

    /// From the wire number; unknown values read as no access.
    pub fn from_number(value: u64) -> Self {
        match value {
            1 => Self::LiveTv,
            2 => Self::LiveTvAndDvr,
            _ => Self::None,
        }
    }
}

impl ShareSettings {
    /// The v2 JSON object: booleans, `allowTuners` as a number, `null` filters kept.
    pub(crate) fn to_v2_json(&self) -> serde_json::Value {
        serde_json::json!({
            "allowSync": self.allow_sync,
            "allowChannels": self.allow_channels,
            "allowCameraUpload": self.allow_camera_upload,
            "allowSubtitleAdmin": self.allow_subtitle_admin,
            "allowTuners": self.allow_tuners.number(),
            "filterMovies": self.filter_movies,
            "filterTelevision": self.filter_television,
            "filterMusic": self.filter_music,
            "filterPhotos": self.filter_photos,
            "filterAll": self.filter_all,
        })
    }

    /// Reads a v2 `sharingSettings` object in any Plex spelling.
    pub(crate) fn from_v2_json(value: &serde_json::Value) -> Self {
        use crate::value::{boolish, json_u64};
        let text = |key: &str| value.get(key).and_then(serde_json::Value::as_str);
        Self {
            allow_sync: boolish(value.get("allowSync")),
            allow_channels: boolish(value.get("allowChannels")),
            allow_camera_upload: boolish(value.get("allowCameraUpload")),
            allow_subtitle_admin: boolish(value.get("allowSubtitleAdmin")),
            allow_tuners: AllowTuners::from_number(json_u64(value.get("allowTuners")).unwrap_or(0)),
            filter_movies: text("filterMovies").unwrap_or_default().to_owned(),
            filter_television: text("filterTelevision").unwrap_or_default().to_owned(),
            filter_music: text("filterMusic").unwrap_or_default().to_owned(),
            filter_photos: text("filterPhotos").map(str::to_owned),
            filter_all: text("filterAll").map(str::to_owned),
        }
    }
}

/// One share of a server with one user (`<SharedServer>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedServer {
    /// The share id.
    pub id: SharedServerId,
    /// The user's account, absent for an invite to an e-mail with no account yet.
    pub user_id: Option<PlexAccountId>,
    /// The user's username.
    pub username: Option<String>,
    /// The invited or account e-mail.
    pub email: Option<String>,
    /// The user's token for this server (what the PMS sees when they stream).
    pub access_token: Option<PlexToken>,
    /// The invite has not been accepted.
    pub pending: bool,
    /// Downloads allowed.
    pub allow_sync: bool,
    /// Every section of the server, with whether this user can see it.
    pub sections: Vec<SharedSection>,
}

/// A section in a share document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedSection {
    /// plex.tv id.
    pub id: PlexTvSectionId,
    /// PMS key.
    pub key: PmsSectionKey,
    /// Title.
    pub title: String,
    /// Type.
    pub kind: String,
    /// Whether the user can see it.
    pub shared: bool,
}

#[derive(Deserialize)]
struct WireContainer {
    #[serde(rename = "SharedServer", default)]
    shares: Vec<WireShare>,
}

#[derive(Deserialize)]
struct WireShare {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@userID")]
    user_id: Option<String>,
    #[serde(rename = "@username")]
    username: Option<String>,
    #[serde(rename = "@email")]
    email: Option<String>,
    #[serde(rename = "@accessToken")]
    access_token: Option<String>,
    #[serde(rename = "@acceptedAt")]
    accepted_at: Option<String>,
    #[serde(rename = "@allowSync")]
    allow_sync: Option<String>,
    #[serde(rename = "Section", default)]
    sections: Vec<WireSection>,
}

#[derive(Deserialize)]
struct WireSection {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@key", default)]
    key: String,
    #[serde(rename = "@title", default)]
    title: String,
    #[serde(rename = "@type", default)]
    kind: String,
    #[serde(rename = "@shared")]
    shared: Option<String>,
}

#[derive(Deserialize)]
struct WireV2Share {
    id: u64,
}

fn convert(wire: WireShare) -> Option<SharedServer> {
    Some(SharedServer {
        id: SharedServerId::new(number(Some(&wire.id))?),
        user_id: number(wire.user_id.as_deref())
            .filter(|id| *id != 0)
            .map(PlexAccountId::new),
        username: text(wire.username),
        email: text(wire.email),
        access_token: text(wire.access_token).map(PlexToken::new),
        pending: number(wire.accepted_at.as_deref()).is_none(),
        allow_sync: flag(wire.allow_sync.as_deref()),
        sections: wire
            .sections
            .into_iter()
            .filter_map(|s| {
                Some(SharedSection {
                    id: PlexTvSectionId::new(number(Some(&s.id))?),
                    key: PmsSectionKey::new(s.key),
                    title: s.title,
                    kind: s.kind,
                    shared: flag(s.shared.as_deref()),
                })
            })
            .collect(),
    })
}

fn parse(endpoint: &str, body: &str) -> Result<Vec<SharedServer>> {
    let container: WireContainer = crate::xml::from_str(endpoint, body)?;
    Ok(container.shares.into_iter().filter_map(convert).collect())
}

fn ids(sections: &[PlexTvSectionId]) -> Vec<u64> {
    sections.iter().map(|s| s.get()).collect()
}

fn one_or_zero(flag: bool) -> &'static str {
    if flag { "1" } else { "0" }
}

impl PlexTv {
    /// Uses `route` to create shares.
    #[must_use]
    pub fn with_share_route(mut self, route: ShareRoute) -> Self {
        self.share_route = route;
        self
    }

    /// `GET /api/servers/{machine}/shared_servers`: every share of the server with each
    /// user's server token and per-section flags.
    ///
    /// # Errors
    /// Any [`crate::Error`].
    pub async fn shared_servers(
        &self,
        token: &PlexToken,
        machine: &MachineIdentifier,
    ) -> Result<Vec<SharedServer>> {
        const ENDPOINT: &str = "GET /api/servers/{machineIdentifier}/shared_servers";
        let container: WireContainer = self
            .get_v1_xml(
                ENDPOINT,
                &format!("/api/servers/{machine}/shared_servers"),
                token,
            )
            .await?;
        Ok(container.shares.into_iter().filter_map(convert).collect())
    }

    /// Shares `sections` of `machine` with `invitee`. Plex answers "already sharing" as
    /// [`Error::Rejected`] with that message; the caller then updates instead.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an empty section list (never sent), or any other error.
    pub async fn share_server(
        &self,
        token: &PlexToken,
        machine: &MachineIdentifier,
        invitee: &Invitee,
        sections: &[PlexTvSectionId],
        settings: &ShareSettings,
    ) -> Result<SharedServerId> {
        const V1: &str = "POST /api/servers/{machineIdentifier}/shared_servers";
        const V2: &str = "POST /api/v2/shared_servers";
        let endpoint = match self.share_route {
            ShareRoute::V1 => V1,
            ShareRoute::V2 => V2,
        };
        if sections.is_empty() {
            return Err(Error::InvalidRequest {
                endpoint: endpoint.to_owned(),
                message: "a share needs at least one library".to_owned(),
            });
        }
        match self.share_route {
            ShareRoute::V1 => {
                let mut shared_server = serde_json::json!({ "library_section_ids": ids(sections) });
                match invitee {
                    Invitee::Email(email) => shared_server["invited_email"] = email.as_str().into(),
                    Invitee::Account(id) => shared_server["invited_id"] = id.get().into(),
                }
                let body = serde_json::json!({
                    "server_id": machine.as_str(),
                    "shared_server": shared_server,
                    "sharing_settings": {
                        "allowSync": one_or_zero(settings.allow_sync),
                        "allowCameraUpload": one_or_zero(settings.allow_camera_upload),
                        "allowChannels": one_or_zero(settings.allow_channels),
                        "filterMovies": settings.filter_movies,
                        "filterTelevision": settings.filter_television,
                        "filterMusic": settings.filter_music,
                    }
                });
                let url = self.url(&format!("/api/servers/{machine}/shared_servers"));
                let response = self
                    .transport
                    .send(V1, Family::TvV1, false, || {
                        self.transport
                            .request(Method::POST, &url, Some(token))
                            .header(reqwest::header::ACCEPT, "application/xml")
                            .json(&body)
                    })
                    .await?;
                let shares = parse(V1, &self.transport.text(V1, response).await?)?;
                shares.first().map(|s| s.id).ok_or_else(|| Error::Decode {
                    endpoint: V1.to_owned(),
                    message: "no SharedServer in the answer".to_owned(),
                })
            }
            ShareRoute::V2 => {
                let mut body = serde_json::json!({
                    "machineIdentifier": machine.as_str(),
                    "librarySectionIds": ids(sections),
                    "settings": settings.to_v2_json(),
                });
                match invitee {
                    Invitee::Email(email) => body["invitedEmail"] = email.as_str().into(),
                    Invitee::Account(id) => body["invitedId"] = id.get().into(),
                }
                let url = self.url("/api/v2/shared_servers");
                let share: WireV2Share = self
                    .transport
                    .json(V2, Family::TvV2, false, || {
                        self.transport
                            .request(Method::POST, &url, Some(token))
                            .json(&body)
                    })
                    .await?;
                Ok(SharedServerId::new(share.id))
            }
        }
    }

    /// `PUT …/shared_servers/{share}`: replaces the libraries of an existing share.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an empty list, [`Error::NotFound`] for an unknown share,
    /// or any other error.
    pub async fn update_shared_libraries(
        &self,
        token: &PlexToken,
        machine: &MachineIdentifier,
        share: SharedServerId,
        sections: &[PlexTvSectionId],
    ) -> Result<()> {
        const ENDPOINT: &str = "PUT /api/servers/{machineIdentifier}/shared_servers/{id}";
        if sections.is_empty() {
            return Err(Error::InvalidRequest {
                endpoint: ENDPOINT.to_owned(),
                message: "a share needs at least one library; remove the share instead".to_owned(),
            });
        }
        let body = serde_json::json!({
            "server_id": machine.as_str(),
            "shared_server": { "library_section_ids": ids(sections) },
        });
        let url = self.url(&format!("/api/servers/{machine}/shared_servers/{share}"));
        self.transport
            .send(ENDPOINT, Family::TvV1, true, || {
                self.transport
                    .request(Method::PUT, &url, Some(token))
                    .header(reqwest::header::ACCEPT, "application/xml")
                    .json(&body)
            })
            .await?;
        Ok(())
    }

    /// `DELETE …/shared_servers/{share}`: removes the share; the friendship stays.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown share, or any other error.
    pub async fn remove_shared_server(
        &self,
        token: &PlexToken,
        machine: &MachineIdentifier,
        share: SharedServerId,
    ) -> Result<()> {
        const ENDPOINT: &str = "DELETE /api/servers/{machineIdentifier}/shared_servers/{id}";
        let url = self.url(&format!("/api/servers/{machine}/shared_servers/{share}"));
        self.transport
            .send(ENDPOINT, Family::TvV1, true, || {
                self.transport.request(Method::DELETE, &url, Some(token))
            })
            .await?;
        Ok(())
    }

    /// `DELETE /api/v2/sharings/{user}`: removes a friend and their shares.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown friend, or any other error.
    pub async fn remove_friend(&self, token: &PlexToken, user: PlexAccountId) -> Result<()> {
        const ENDPOINT: &str = "DELETE /api/v2/sharings/{id}";
        let url = self.url(&format!("/api/v2/sharings/{user}"));
        self.transport
            .send(ENDPOINT, Family::TvV2, true, || {
                self.transport.request(Method::DELETE, &url, Some(token))
            })
            .await?;
        Ok(())
    }

    /// `DELETE /api/home/users/{user}`: removes a Plex Home member.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a user not in the Home, or any other error.
    pub async fn remove_home_user(&self, token: &PlexToken, user: PlexAccountId) -> Result<()> {
        const ENDPOINT: &str = "DELETE /api/home/users/{id}";
        let url = self.url(&format!("/api/home/users/{user}"));
        self.transport
            .send(ENDPOINT, Family::TvV1, true, || {
                self.transport.request(Method::DELETE, &url, Some(token))
            })
            .await?;
        Ok(())
    }
}
