//! Invites: links an admin makes, and the public page where a stranger redeems one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::settings::DiscordLinking;

/// Where an invite stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InviteState {
    /// Can be redeemed.
    Active,
    /// Its expiry date has passed.
    Expired,
    /// Every use is taken.
    UsedUp,
    /// An admin disabled it.
    Disabled,
}

/// An invite as admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent facts about an invite, as the list shows them"
)]
pub struct InviteView {
    /// pum's id of the invite.
    pub id: String,
    /// The path after `/i/` (the random token or the custom path).
    pub code: String,
    /// Whether `code` is an admin-chosen custom path (guessable) rather than a random token.
    pub custom: bool,
    /// The whole link, from the public address in the settings (or the address the admin
    /// used, when none is set).
    pub url: String,
    /// Where it stands now.
    pub state: InviteState,
    /// A note for admins.
    pub note: String,
    /// When the link stops working; `None` for never.
    pub expires_at: Option<DateTime<Utc>>,
    /// How many people may redeem it; `None` for unlimited.
    pub max_uses: Option<u32>,
    /// How many have.
    pub uses: u32,
    /// Every library of the server is shared.
    pub all_libraries: bool,
    /// plex.tv ids of the libraries shared (empty with `all_libraries`).
    pub library_ids: Vec<u64>,
    /// Invitees may download media.
    pub allow_downloads: bool,
    /// Days of access from redemption; `None` for no end.
    pub membership_days: Option<u32>,
    /// This invite's Discord rule; `None` follows the global setting.
    pub discord_linking: Option<DiscordLinking>,
    /// The Discord rule in effect (this invite's, or the global one).
    pub effective_discord_linking: DiscordLinking,
    /// The invitee's Discord account must be a member of the configured Discord server.
    pub require_guild_membership: bool,
    /// Who made it.
    pub created_by: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// `GET /api/v1/invites`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteList {
    /// Every invite, newest first.
    pub invites: Vec<InviteView>,
}

/// `POST /api/v1/invites`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateInviteRequest {
    /// A custom path (3 to 64 of `A-Z a-z 0-9 - _`, unique ignoring case); `None` for a random
    /// 128-bit token.
    #[serde(default)]
    pub custom_path: Option<String>,
    /// A note for admins (up to 500 characters).
    #[serde(default)]
    pub note: String,
    /// When the link stops working; `None` for never. Must be in the future.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// How many people may redeem it (1 to 10,000); `None` for unlimited.
    #[serde(default)]
    pub max_uses: Option<u32>,
    /// Share every library of the server.
    #[serde(default)]
    pub all_libraries: bool,
    /// plex.tv ids of the libraries to share (at least one unless `all_libraries`).
    #[serde(default)]
    pub library_ids: Vec<u64>,
    /// Invitees may download media.
    #[serde(default)]
    pub allow_downloads: bool,
    /// Days of access from redemption (1 to 3650); `None` for no end.
    #[serde(default)]
    pub membership_days: Option<u32>,
    /// `None` follows the global setting.
    #[serde(default)]
    pub discord_linking: Option<DiscordLinking>,
    /// Require membership of the configured Discord server (needs a bot token and a server id
    /// in the settings, and Discord linking that is not off).
    #[serde(default)]
    pub require_guild_membership: bool,
}

/// `PATCH /api/v1/invites/{id}`: every field is optional; absent fields keep their value.
/// The code cannot change (people may already have the link).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "a patch: one \"clear\" switch per optional field"
)]
pub struct UpdateInviteRequest {
    /// New note.
    #[serde(default)]
    pub note: Option<String>,
    /// New expiry; `{"expires_at": null}` is "never" only together with `clear_expiry`.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// Remove the expiry date.
    #[serde(default)]
    pub clear_expiry: bool,
    /// New use limit (not below the uses already made).
    #[serde(default)]
    pub max_uses: Option<u32>,
    /// Remove the use limit.
    #[serde(default)]
    pub clear_max_uses: bool,
    /// Share every library.
    #[serde(default)]
    pub all_libraries: Option<bool>,
    /// New libraries (plex.tv ids).
    #[serde(default)]
    pub library_ids: Option<Vec<u64>>,
    /// Downloads.
    #[serde(default)]
    pub allow_downloads: Option<bool>,
    /// New membership length.
    #[serde(default)]
    pub membership_days: Option<u32>,
    /// Remove the membership length (access without end).
    #[serde(default)]
    pub clear_membership: bool,
    /// New Discord rule.
    #[serde(default)]
    pub discord_linking: Option<DiscordLinking>,
    /// Follow the global Discord rule again.
    #[serde(default)]
    pub clear_discord_linking: bool,
    /// Discord server membership.
    #[serde(default)]
    pub require_guild_membership: Option<bool>,
    /// Disable (`true`) or enable again (`false`).
    #[serde(default)]
    pub disabled: Option<bool>,
}

/// How a redemption went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RedemptionStatus {
    /// A use is held while Plex shares the libraries.
    InProgress,
    /// Libraries shared; the user exists in pum.
    Shared,
    /// It did not work; the use was given back.
    Failed,
}

/// One redemption of an invite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedemptionView {
    /// The plex.tv account.
    pub plex_account_id: u64,
    /// Its username.
    pub username: String,
    /// Its e-mail.
    pub email: Option<String>,
    /// The Discord account linked, if any.
    pub discord_username: Option<String>,
    /// How it went.
    pub status: RedemptionStatus,
    /// What happened, in words.
    pub message: String,
    /// The share is accepted on Plex (pum accepted it for them, or they did).
    pub accepted: bool,
    /// The user in pum.
    pub user_id: Option<String>,
    /// The invitee's address.
    pub ip: Option<String>,
    /// First attempt.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// `GET /api/v1/invites/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteDetail {
    /// The invite.
    #[serde(flatten)]
    pub invite: InviteView,
    /// Who redeemed it, newest first.
    pub redemptions: Vec<RedemptionView>,
}

/// The Plex account signed in on the invite page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteeAccount {
    /// plex.tv username.
    pub username: String,
    /// Avatar URL.
    pub thumb: Option<String>,
}

/// `GET /api/v1/invite/{code}`: what the public page shows. Needs no sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitePreview {
    /// The app's name from the settings.
    pub app_name: String,
    /// The Plex server's name.
    pub server_name: Option<String>,
    /// Whether it can be redeemed.
    pub state: InviteState,
    /// Titles of the libraries it shares.
    pub libraries: Vec<String>,
    /// Days of access from redemption; `None` for no end.
    pub membership_days: Option<u32>,
    /// Downloads allowed.
    pub allow_downloads: bool,
    /// When the link stops working.
    pub expires_at: Option<DateTime<Utc>>,
    /// Uses left; `None` for unlimited.
    pub uses_left: Option<u32>,
    /// The Discord step.
    pub discord: DiscordLinking,
    /// The Discord account must be in the Discord server.
    pub guild_required: bool,
    /// The Plex account signed in in this browser, if any.
    pub plex: Option<InviteeAccount>,
    /// Why that account cannot redeem, in plain words (already a user, not verified, …).
    pub plex_problem: Option<String>,
    /// The Discord account linked in this browser, if any.
    pub discord_account: Option<String>,
    /// This browser's Plex account already redeemed this invite.
    pub redeemed: bool,
}

/// `POST /api/v1/invite/{code}/plex`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitePlexStarted {
    /// Open this Plex sign-in page; Plex sends the browser back to the invite page.
    pub auth_url: String,
    /// When the sign-in must be done by.
    pub expires_at: DateTime<Utc>,
}

/// Where the invitee's Plex sign-in stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvitePlexState {
    /// Not approved on Plex yet: check again after `retry_after_ms`.
    Pending,
    /// Signed in: the preview now names the account.
    SignedIn,
    /// The sign-in took too long; start again.
    Expired,
}

/// `POST /api/v1/invite/{code}/plex/check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitePlexStatus {
    /// Where it stands.
    pub state: InvitePlexState,
    /// Wait this long before checking again.
    pub retry_after_ms: u64,
}

/// `POST /api/v1/invite/{code}/discord`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiscordStarted {
    /// Open this Discord page; Discord sends the browser back to `/invite/discord`.
    pub auth_url: String,
}

/// `POST /api/v1/invite/discord/callback`: what Discord put in the address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DiscordCallbackRequest {
    /// The authorization code.
    pub code: String,
    /// The `state` pum sent.
    pub state: String,
}

/// `POST /api/v1/invite/discord/callback`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiscordLinked {
    /// The Discord account's name.
    pub username: String,
}

/// `POST /api/v1/invite/{code}/accept`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteAccepted {
    /// The Plex server's name.
    pub server_name: Option<String>,
    /// The account that now has access.
    pub username: String,
    /// Titles of the libraries shared.
    pub libraries: Vec<String>,
    /// When the access ends; `None` for no end.
    pub expires_at: Option<DateTime<Utc>>,
    /// pum accepted the share for them; when `false` they accept it in Plex (the e-mail from
    /// Plex, or Plex Web's notifications).
    pub accepted: bool,
}
