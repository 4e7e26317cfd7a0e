//! Invites, their redemptions and the invite page's sign-in flows.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// An invite link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    /// pum's id.
    pub id: Uuid,
    /// HMAC of the random token (`None` for a custom path).
    pub token_hash: Option<String>,
    /// The token sealed with the installation key, so admins can see the link again.
    pub token_sealed: Option<String>,
    /// The admin-chosen path, as typed (`None` for a random token).
    pub custom_path: Option<String>,
    /// A note for admins.
    pub note: String,
    /// When the link stops working.
    pub expires_at: Option<DateTime<Utc>>,
    /// Uses allowed; `None` for unlimited.
    pub max_uses: Option<u32>,
    /// Uses taken (a use is taken before Plex is asked, and given back if Plex refuses).
    pub uses: u32,
    /// Share every library.
    pub all_libraries: bool,
    /// plex.tv ids of the libraries to share.
    pub library_ids: Vec<u64>,
    /// Invitees may download.
    pub allow_downloads: bool,
    /// Days of access from redemption.
    pub membership_days: Option<u32>,
    /// `off`, `optional` or `required`; `None` follows the global setting.
    pub discord_linking: Option<String>,
    /// The Discord account must be in the configured Discord server.
    pub require_guild: bool,
    /// When an admin disabled it.
    pub disabled_at: Option<DateTime<Utc>>,
    /// The admin who made it.
    pub created_by: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// Where a redemption stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedemptionState {
    /// A use is held (until `claimed_until`) while Plex is asked.
    Claimed,
    /// Shared on Plex and recorded as a user.
    Shared,
    /// Did not work; the use was given back.
    Failed,
}

impl RedemptionState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Claimed => "claimed",
            Self::Shared => "shared",
            Self::Failed => "failed",
        }
    }

    /// From the stored name; anything unknown reads as failed.
    pub fn parse(text: &str) -> Self {
        match text {
            "claimed" => Self::Claimed,
            "shared" => Self::Shared,
            _ => Self::Failed,
        }
    }
}

/// One plex.tv account's redemption of one invite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redemption {
    /// pum's id.
    pub id: Uuid,
    /// The invite.
    pub invite_id: Uuid,
    /// The plex.tv account (from plex.tv, never from the browser).
    pub plex_account_id: u64,
    /// Its username.
    pub username: String,
    /// Its e-mail.
    pub email: Option<String>,
    /// Its avatar.
    pub thumb: Option<String>,
    /// Linked Discord account id.
    pub discord_id: Option<String>,
    /// Linked Discord account name.
    pub discord_username: Option<String>,
    /// The invitee's address.
    pub ip: Option<String>,
    /// Where it stands.
    pub state: RedemptionState,
    /// Until when a claim is held by the request working on it.
    pub claimed_until: Option<DateTime<Utc>>,
    /// The share is accepted on Plex.
    pub accepted: bool,
    /// What happened, in words.
    pub message: String,
    /// The user it made.
    pub user_id: Option<Uuid>,
    /// First attempt.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// The invite page's sign-ins in one browser (bound by the hash of a cookie secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteFlow {
    /// pum's id.
    pub id: Uuid,
    /// Hash of the browser's secret.
    pub flow_hash: String,
    /// The invite.
    pub invite_id: Uuid,
    /// The Plex PIN being approved.
    pub pin_id: Option<u64>,
    /// When that PIN expires.
    pub pin_expires_at: Option<DateTime<Utc>>,
    /// The signed-in plex.tv account (as plex.tv named it).
    pub plex_account_id: Option<u64>,
    /// Its username.
    pub plex_username: Option<String>,
    /// Its e-mail.
    pub plex_email: Option<String>,
    /// Its avatar.
    pub plex_thumb: Option<String>,
    /// Why the account cannot redeem (not verified, the owner), found at sign-in.
    pub plex_problem: Option<String>,
    /// Hash of the Discord `state` sent, until it is used once.
    pub discord_state_hash: Option<String>,
    /// The linked Discord account id.
    pub discord_id: Option<String>,
    /// Its name.
    pub discord_username: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// When the flow is forgotten.
    pub expires_at: DateTime<Utc>,
}
