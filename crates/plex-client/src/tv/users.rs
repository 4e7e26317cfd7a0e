//! `GET /api/users` (v1, XML only): everyone the owner shares with or is friends with
//! (plex-api.md §5.1).

use serde::Deserialize;

use super::PlexTv;
use crate::xml::{flag, number, text};
use crate::{MachineIdentifier, PlexAccountId, PlexToken, Result, SharedServerId};

/// A friend or Home user of the token's account. The account itself is never listed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent permission flags, as Plex models them"
)]
pub struct User {
    /// The plex.tv account id.
    pub id: PlexAccountId,
    /// The display title.
    pub title: String,
    /// The username; managed Home users have none.
    pub username: Option<String>,
    /// The e-mail address; managed Home users have none.
    pub email: Option<String>,
    /// Avatar URL.
    pub thumb: Option<String>,
    /// Whether the user is in the owner's Plex Home.
    pub home: bool,
    /// Whether the user is restricted (managed).
    pub restricted: bool,
    /// Whether the user may download (sync) media.
    pub allow_sync: bool,
    /// Whether the user may use channels.
    pub allow_channels: bool,
    /// Whether the user may upload from a camera.
    pub allow_camera_upload: bool,
    /// Content restriction for movies (`filterMovies`).
    pub filter_movies: Option<String>,
    /// Content restriction for TV (`filterTelevision`).
    pub filter_television: Option<String>,
    /// Content restriction for music (`filterMusic`).
    pub filter_music: Option<String>,
    /// The owner's servers shared with this user. Empty for friends the owner does not share
    /// with (for example people who only share their own server with the owner).
    pub servers: Vec<UserServer>,
}

/// One of the owner's servers as shared with a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserServer {
    /// The share id (for the share endpoints); not the user id, not the server id.
    pub share_id: SharedServerId,
    /// The server's machine identifier; compare with the managed server's.
    pub machine_identifier: MachineIdentifier,
    /// The server's name.
    pub name: String,
    /// Seconds since 1970 when the user was last seen on it.
    pub last_seen_at: Option<u64>,
    /// How many libraries are shared.
    pub num_libraries: u64,
    /// Every current and future library is shared.
    pub all_libraries: bool,
    /// The invite has not been accepted yet.
    pub pending: bool,
}

impl User {
    /// The share of the server `machine`, if the user has one.
    pub fn share_of(&self, machine: &MachineIdentifier) -> Option<&UserServer> {
        self.servers
            .iter()
            .find(|s| &s.machine_identifier == machine)
    }
}

#[derive(Deserialize)]
struct WireContainer {
    #[serde(rename = "User", default)]
    users: Vec<WireUser>,
}

#[derive(Deserialize)]
struct WireUser {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@title", default)]
    title: String,
    #[serde(rename = "@username")]
    username: Option<String>,
    #[serde(rename = "@email")]
    email: Option<String>,
    #[serde(rename = "@thumb")]
    thumb: Option<String>,
    #[serde(rename = "@home")]
    home: Option<String>,
    #[serde(rename = "@restricted")]
    restricted: Option<String>,
    #[serde(rename = "@allowSync")]
    allow_sync: Option<String>,
    #[serde(rename = "@allowChannels")]
    allow_channels: Option<String>,
    #[serde(rename = "@allowCameraUpload")]
    allow_camera_upload: Option<String>,
    #[serde(rename = "@filterMovies")]
    filter_movies: Option<String>,
    #[serde(rename = "@filterTelevision")]
    filter_television: Option<String>,
    #[serde(rename = "@filterMusic")]
    filter_music: Option<String>,
    #[serde(rename = "Server", default)]
    servers: Vec<WireServer>,
}

#[derive(Deserialize)]
struct WireServer {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@machineIdentifier", default)]
    machine_identifier: String,
    #[serde(rename = "@name", default)]
    name: String,
    #[serde(rename = "@lastSeenAt")]
    last_seen_at: Option<String>,
    #[serde(rename = "@numLibraries")]
    num_libraries: Option<String>,
    #[serde(rename = "@allLibraries")]
    all_libraries: Option<String>,
    #[serde(rename = "@pending")]
    pending: Option<String>,
}

const ENDPOINT: &str = "GET /api/users";

fn convert(wire: WireUser) -> Option<User> {
    let id = number(Some(&wire.id))?;
    let servers = wire
        .servers
        .into_iter()
        .filter_map(|s| {
            Some(UserServer {
                share_id: SharedServerId::new(number(Some(&s.id))?),
                machine_identifier: MachineIdentifier::new(s.machine_identifier),
                name: s.name,
                last_seen_at: number(s.last_seen_at.as_deref()),
                num_libraries: number(s.num_libraries.as_deref()).unwrap_or(0),
                all_libraries: flag(s.all_libraries.as_deref()),
                pending: flag(s.pending.as_deref()),
            })
        })
        .collect();
    Some(User {
        id: PlexAccountId::new(id),
        title: wire.title,
        username: text(wire.username),
        email: text(wire.email),
        thumb: text(wire.thumb),
        home: flag(wire.home.as_deref()),
        restricted: flag(wire.restricted.as_deref()),
        allow_sync: flag(wire.allow_sync.as_deref()),
        allow_channels: flag(wire.allow_channels.as_deref()),
        allow_camera_upload: flag(wire.allow_camera_upload.as_deref()),
        filter_movies: text(wire.filter_movies),
        filter_television: text(wire.filter_television),
        filter_music: text(wire.filter_music),
        servers,
    })
}

impl PlexTv {
    /// `GET /api/users`: the friends and Home users of the token's account (XML only).
    ///
    /// # Errors
    /// [`crate::Error::Unauthorized`] for a bad token, [`crate::Error::Decode`] for a body that
    /// is not the documented shape, or any other error.
    pub async fn list_users(&self, token: &PlexToken) -> Result<Vec<User>> {
        let container: WireContainer = self.get_v1_xml(ENDPOINT, "/api/users", token).await?;
        Ok(container.users.into_iter().filter_map(convert).collect())
    }
}
