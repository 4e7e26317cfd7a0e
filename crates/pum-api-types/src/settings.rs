//! Settings: general, Plex, Discord and security. Secrets are write-only.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A secret as the API shows it: whether it is set and when, never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecretState {
    /// Whether a value is stored.
    pub configured: bool,
    /// When it was last set.
    pub updated_at: Option<DateTime<Utc>>,
}

/// Whether invitees link a Discord account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DiscordLinking {
    /// No Discord step.
    #[default]
    Off,
    /// Offered, can be skipped.
    Optional,
    /// Needed to redeem an invite.
    Required,
}

/// General settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GeneralSettings {
    /// The name shown in the interface and on invite pages.
    pub app_name: String,
    /// The address people reach pum at, used in invite links (`https://pum.example.com`).
    pub public_base_url: Option<String>,
}

/// The connected Plex Media Server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlexSettingsView {
    /// The URL pum talks to.
    pub server_url: Option<String>,
    /// The server's name when it was connected.
    pub server_name: Option<String>,
    /// The server's machine identifier.
    pub machine_identifier: Option<String>,
    /// The owner's Plex token.
    pub token: SecretState,
}

/// Discord settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiscordSettingsView {
    /// The `OAuth2` application's client id.
    pub client_id: Option<String>,
    /// The `OAuth2` client secret.
    pub client_secret: SecretState,
    /// The bot token, for guild membership checks.
    pub bot_token: SecretState,
    /// The Discord server (guild) id.
    pub guild_id: Option<String>,
    /// The default for invites.
    pub linking: DiscordLinking,
}

/// Security settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecuritySettingsView {
    /// Minutes of inactivity after which an admin is signed out (5 to 10080).
    pub session_idle_minutes: u32,
    /// Days after which a session ends however active (1 to 90).
    pub session_max_days: u32,
}

/// `GET /api/v1/settings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsView {
    /// General.
    pub general: GeneralSettings,
    /// Plex.
    pub plex: PlexSettingsView,
    /// Discord.
    pub discord: DiscordSettingsView,
    /// Security.
    pub security: SecuritySettingsView,
}

/// `PATCH /api/v1/settings/general`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GeneralSettingsPatch {
    /// 1 to 60 characters.
    #[serde(default)]
    pub app_name: Option<String>,
    /// An absolute `http(s)` URL without query or fragment; empty clears it.
    #[serde(default)]
    pub public_base_url: Option<String>,
}

/// `PATCH /api/v1/settings/discord`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DiscordSettingsPatch {
    /// A Discord snowflake (17 to 20 digits); empty clears it.
    #[serde(default)]
    pub client_id: Option<String>,
    /// A new client secret; empty clears it, absent keeps it. Never returned.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(write_only))]
    pub client_secret: Option<String>,
    /// A new bot token; empty clears it, absent keeps it. Never returned.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(write_only))]
    pub bot_token: Option<String>,
    /// A Discord snowflake; empty clears it.
    #[serde(default)]
    pub guild_id: Option<String>,
    /// The default for invites; `optional` and `required` need a client id and secret.
    #[serde(default)]
    pub linking: Option<DiscordLinking>,
}

/// `PATCH /api/v1/settings/security`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SecuritySettingsPatch {
    /// 5 to 10080.
    #[serde(default)]
    pub session_idle_minutes: Option<u32>,
    /// 1 to 90.
    #[serde(default)]
    pub session_max_days: Option<u32>,
}

/// A Plex Media Server the signed-in Plex account owns, from plex.tv.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlexServerCandidate {
    /// Its name.
    pub name: String,
    /// Its machine identifier.
    pub machine_identifier: String,
    /// Whether plex.tv sees it online.
    pub online: bool,
    /// The addresses plex.tv knows, best first.
    pub connections: Vec<String>,
}

/// `GET /api/v1/settings/plex/servers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlexServerList {
    /// The Plex account whose token pum holds.
    pub account: String,
    /// The servers it owns.
    pub servers: Vec<PlexServerCandidate>,
}

/// `PUT /api/v1/settings/plex`: connect a server. Every address is tested; the first that
/// answers as the chosen server is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConnectPlexRequest {
    /// Addresses to try, in order (`http(s)://host:port`).
    pub urls: Vec<String>,
    /// The server expected there, when picked from the list.
    #[serde(default)]
    pub machine_identifier: Option<String>,
    /// A pasted Plex token to use instead of the one pum holds.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(write_only))]
    pub token: Option<String>,
}

/// A library on the connected server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LibraryView {
    /// Its title.
    pub title: String,
    /// `movie`, `show`, `artist` or `photo`.
    pub kind: String,
}

/// The outcome of testing one address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectionAttempt {
    /// The address tried.
    pub url: String,
    /// Whether it answered as the expected server.
    pub ok: bool,
    /// What happened, in plain words.
    pub message: String,
}

/// The answer of `PUT /api/v1/settings/plex`: the server pum is now connected to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlexConnected {
    /// The address kept.
    pub url: String,
    /// The server's name.
    pub name: String,
    /// Its Plex Media Server version.
    pub version: String,
    /// Its machine identifier.
    pub machine_identifier: String,
    /// Its libraries.
    pub libraries: Vec<LibraryView>,
    /// Every address tried.
    pub attempts: Vec<ConnectionAttempt>,
}
