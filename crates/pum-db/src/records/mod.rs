//! Plain records returned by the repositories.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// How a job run came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobTrigger {
    /// Its schedule fired.
    Schedule,
    /// An admin asked for it.
    Manual,
}

impl JobTrigger {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Schedule => "schedule",
            Self::Manual => "manual",
        }
    }

    pub(crate) fn parse(s: &str) -> Self {
        if s == "schedule" {
            Self::Schedule
        } else {
            Self::Manual
        }
    }
}

/// Where a job run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobRunStatus {
    /// Waiting for a worker.
    Queued,
    /// A worker is running it.
    Running,
    /// Finished without error.
    Succeeded,
    /// Failed.
    Failed,
}

impl JobRunStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
        }
    }

    pub(crate) fn parse(s: &str) -> Self {
        match s {
            "running" => Self::Running,
            "succeeded" => Self::Succeeded,
            "failed" => Self::Failed,
            _ => Self::Queued,
        }
    }
}

/// One run of a background job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRun {
    /// The run's id.
    pub id: Uuid,
    /// The job's stable name.
    pub job: String,
    /// How it came about.
    pub trigger: JobTrigger,
    /// The scheduled tick it claimed, for scheduled runs.
    pub tick_key: Option<String>,
    /// Where it stands.
    pub status: JobRunStatus,
    /// When it was queued.
    pub queued_at: DateTime<Utc>,
    /// When a worker last started it.
    pub started_at: Option<DateTime<Utc>>,
    /// When it finished.
    pub finished_at: Option<DateTime<Utc>>,
    /// How many times a worker picked it up.
    pub attempts: u32,
    /// A one-line result or error.
    pub detail: Option<String>,
}

/// This installation's identity and key check (a single row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installation {
    /// The `X-Plex-Client-Identifier` pum sends, generated on first start.
    pub client_identifier: String,
    /// Fingerprint of the master key the secrets are sealed with.
    pub key_id: String,
    /// A constant sealed with that key, checked at every start.
    pub key_check: String,
    /// When pum first started on this database.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// An admin account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admin {
    /// The admin's id.
    pub id: Uuid,
    /// The sign-in name, as typed when created.
    pub username: String,
    /// The Argon2id PHC string, for admins with a local password.
    pub password_hash: Option<String>,
    /// Whether this is the owner (exactly one, every permission).
    pub is_owner: bool,
    /// The linked plex.tv account, for "Sign in with Plex".
    pub plex_account_id: Option<i64>,
    /// The linked Plex account's username.
    pub plex_username: Option<String>,
    /// The linked Plex account's avatar URL.
    pub plex_thumb: Option<String>,
    /// The e-mail address of the linked Plex account.
    pub email: Option<String>,
    /// Whether the admin must choose a new password before anything else.
    pub must_change_password: bool,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
    /// When the admin last signed in.
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

/// The Plex account linked to an admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlexLink {
    /// The plex.tv account id.
    pub account_id: i64,
    /// Its username.
    pub username: String,
    /// Its avatar URL.
    pub thumb: Option<String>,
    /// Its e-mail address.
    pub email: Option<String>,
}

/// A named set of permissions granted to admins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// The role's id.
    pub id: Uuid,
    /// Its unique name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// The stable names of its permissions.
    pub permissions: Vec<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// An admin sign-in session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthSession {
    /// The session id.
    pub id: Uuid,
    /// SHA-256 (hex) of the session secret; the secret itself is never stored.
    pub token_hash: String,
    /// Whose session it is.
    pub admin_id: Uuid,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last used.
    pub last_seen_at: DateTime<Utc>,
    /// When it ends unless used again.
    pub idle_expires_at: DateTime<Utc>,
    /// When it ends regardless of use.
    pub expires_at: DateTime<Utc>,
    /// The client address it was created from.
    pub ip: Option<String>,
    /// The browser it was created from (shortened).
    pub user_agent: Option<String>,
}

/// An API key; only the SHA-256 of its secret is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// The public id, the middle part of `pumk_<id>_<secret>`.
    pub id: String,
    /// What the key is for.
    pub name: String,
    /// SHA-256 (hex) of the secret part.
    pub secret_hash: String,
    /// The admin who made it; the key never exceeds their permissions.
    pub admin_id: Uuid,
    /// The stable names of the permissions it is scoped to.
    pub permissions: Vec<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was last used.
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A Plex PIN sign-in in progress, bound to one browser by the hash of a cookie secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlexPinFlow {
    /// The flow's id.
    pub id: Uuid,
    /// SHA-256 (hex) of the browser's flow secret.
    pub flow_hash: String,
    /// What the sign-in is for (`sign_in`, `setup`, `link`, `connect`).
    pub purpose: String,
    /// The plex.tv PIN id.
    pub pin_id: i64,
    /// The PIN code shown in the auth URL.
    pub pin_code: String,
    /// The admin who started it, for linking and connecting.
    pub admin_id: Option<Uuid>,
    /// When it started.
    pub created_at: DateTime<Utc>,
    /// When the PIN expires.
    pub expires_at: DateTime<Utc>,
}

/// One stored setting; secret values are sealed before they get here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The setting's key, for example `general.app_name`.
    pub key: String,
    /// Its value as text (sealed for secrets).
    pub value: String,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// Who changed it last.
    pub updated_by: Option<String>,
}

/// Who did something recorded in the event log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    /// A signed-in admin.
    Admin,
    /// A script with an API key.
    ApiKey,
    /// pum itself (jobs, start-up).
    System,
    /// Someone not signed in (failed sign-ins, invitees).
    Anonymous,
}

impl ActorKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::ApiKey => "api_key",
            Self::System => "system",
            Self::Anonymous => "anonymous",
        }
    }

    /// The kind named `s` (an unknown name is anonymous).
    pub fn parse(s: &str) -> Self {
        match s {
            "admin" => Self::Admin,
            "api_key" => Self::ApiKey,
            "system" => Self::System,
            _ => Self::Anonymous,
        }
    }
}

/// One entry of the event log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The event's id (time-ordered).
    pub id: Uuid,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened, for example `auth.sign_in`.
    pub kind: String,
    /// `success` or `failure`.
    pub success: bool,
    /// Who did it.
    pub actor_kind: ActorKind,
    /// The actor's id (admin id or API key id).
    pub actor_id: Option<String>,
    /// The actor's name at the time.
    pub actor_name: Option<String>,
    /// What it was done to.
    pub target: Option<String>,
    /// The client address.
    pub ip: Option<String>,
    /// Details as JSON text; never secrets.
    pub detail: Option<String>,
}

/// What plex.tv says about a user; a sync rewrites exactly these.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent flags, as Plex models them"
)]
pub struct PlexFacts {
    /// The plex.tv account id.
    pub account_id: u64,
    /// The plex.tv uuid.
    pub uuid: Option<String>,
    /// plex.tv username (managed Home users have none).
    pub username: Option<String>,
    /// Display name.
    pub title: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Avatar URL.
    pub thumb: Option<String>,
    /// In the owner's Plex Home.
    pub home: bool,
    /// A managed Home user.
    pub managed: bool,
    /// The share id of this server (absent for Home users without one).
    pub share_id: Option<u64>,
    /// plex.tv ids of the shared libraries (empty when `all_libraries`), ascending.
    pub library_ids: Vec<u64>,
    /// Every current and future library.
    pub all_libraries: bool,
    /// May download.
    pub allow_sync: bool,
    /// May use channels.
    pub allow_channels: bool,
    /// May upload from a camera.
    pub allow_camera_upload: bool,
    /// Movie restriction, verbatim.
    pub filter_movies: String,
    /// TV restriction, verbatim.
    pub filter_television: String,
    /// Music restriction, verbatim.
    pub filter_music: String,
    /// The share is not accepted yet.
    pub pending: bool,
    /// Shares a server of their own with the owner.
    pub shares_back: bool,
    /// When plex.tv last saw them on this server.
    pub last_seen_at: Option<DateTime<Utc>>,
}

/// What only pum knows about a user; a sync never touches these.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LocalFacts {
    /// Admin notes.
    pub notes: String,
    /// Exempt from purges.
    pub whitelisted: bool,
    /// When the membership ends.
    pub expires_at: Option<DateTime<Utc>>,
    /// Linked Discord account id.
    pub discord_id: Option<String>,
    /// Linked Discord account name.
    pub discord_username: Option<String>,
}

/// A user of the Plex server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// pum's id.
    pub id: Uuid,
    /// From plex.tv.
    pub plex: PlexFacts,
    /// From pum.
    pub local: LocalFacts,
    /// When a sync found them gone from Plex.
    pub removed_at: Option<DateTime<Utc>>,
    /// When pum first saw them.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl User {
    /// The name to show: username, else title.
    pub fn name(&self) -> &str {
        self.plex.username.as_deref().unwrap_or(&self.plex.title)
    }
}

/// How a user list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserOrder {
    /// By name.
    #[default]
    Name,
    /// By last seen.
    LastSeen,
    /// By expiry.
    Expires,
    /// By first seen.
    Created,
}

/// Search, filters, order and page of a user list. `None` filters do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserQuery {
    /// Lower-case text to find in name, e-mail or notes.
    pub search: Option<String>,
    /// Home users only (or none).
    pub home: Option<bool>,
    /// Pending shares only (or none).
    pub pending: Option<bool>,
    /// With a Discord link (or without).
    pub has_discord: Option<bool>,
    /// Sharing back (or not).
    pub shares_back: Option<bool>,
    /// Whitelisted (or not).
    pub whitelisted: Option<bool>,
    /// Gone from Plex (or not).
    pub removed: Option<bool>,
    /// Expiry between now and this time.
    pub expiring: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Not seen since this time (or never).
    pub inactive_since: Option<DateTime<Utc>>,
    /// Order.
    pub order: UserOrder,
    /// Descending.
    pub descending: bool,
    /// Rows to skip.
    pub offset: u64,
    /// Rows to return.
    pub limit: u64,
}

/// A library of the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Library {
    /// plex.tv's id.
    pub tv_id: u64,
    /// The PMS key.
    pub pms_key: String,
    /// Title.
    pub title: String,
    /// Type.
    pub kind: String,
    /// Position in the server's list.
    pub position: u32,
}

/// Where a user sync stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncState {
    /// Waiting for a worker.
    Queued,
    /// Running.
    Running,
    /// Done.
    Succeeded,
    /// plex.tv's answer was not trustworthy; nothing changed.
    Inconclusive,
    /// Too many removals; waiting for an admin.
    AwaitingConfirmation,
    /// An admin confirmed; a new sync carries the confirmation.
    Confirmed,
}

impl SyncState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Inconclusive => "inconclusive",
            Self::AwaitingConfirmation => "awaiting_confirmation",
            Self::Confirmed => "confirmed",
        }
    }

    pub(crate) fn parse(s: &str) -> Self {
        match s {
            "queued" => Self::Queued,
            "running" => Self::Running,
            "succeeded" => Self::Succeeded,
            "awaiting_confirmation" => Self::AwaitingConfirmation,
            "confirmed" => Self::Confirmed,
            _ => Self::Inconclusive,
        }
    }
}

/// Counts of what a sync did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncCounts {
    /// New users.
    pub added: u32,
    /// Changed users.
    pub updated: u32,
    /// Users marked as gone.
    pub removed: u32,
    /// Users without change.
    pub unchanged: u32,
}

/// One user sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSync {
    /// Id.
    pub id: Uuid,
    /// The job run executing it.
    pub run_id: Option<Uuid>,
    /// Where it stands.
    pub state: SyncState,
    /// Who asked (absent: the schedule).
    pub requested_by: Option<String>,
    /// Queued.
    pub queued_at: DateTime<Utc>,
    /// Started.
    pub started_at: Option<DateTime<Utc>>,
    /// Finished.
    pub finished_at: Option<DateTime<Utc>>,
    /// What it did.
    pub counts: SyncCounts,
    /// Warning or explanation.
    pub message: Option<String>,
    /// For a sync awaiting confirmation: who it would mark as gone (JSON).
    pub removals: Option<String>,
    /// plex.tv account ids an admin allowed this sync to mark as gone.
    pub confirmed_removals: Vec<u64>,
}

/// Where one user of a mass action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemState {
    /// Not done.
    Pending,
    /// Done.
    Succeeded,
    /// Nothing to do.
    Skipped,
    /// Failed.
    Failed,
}

impl ItemState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Succeeded => "succeeded",
            Self::Skipped => "skipped",
            Self::Failed => "failed",
        }
    }

    pub(crate) fn parse(s: &str) -> Self {
        match s {
            "succeeded" => Self::Succeeded,
            "skipped" => Self::Skipped,
            "failed" => Self::Failed,
            _ => Self::Pending,
        }
    }
}

/// One user of a mass action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchItemRecord {
    /// The user.
    pub user_id: Uuid,
    /// The user's name when asked.
    pub label: String,
    /// Where it stands.
    pub state: ItemState,
    /// Why it failed or was skipped.
    pub message: Option<String>,
}

/// A mass action on users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserBatch {
    /// Id.
    pub id: Uuid,
    /// The job run executing it (the newest, after a retry).
    pub run_id: Uuid,
    /// The action (JSON).
    pub action: String,
    /// Who asked (JSON).
    pub actor: String,
    /// Running or finished.
    pub finished: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last run finished.
    pub finished_at: Option<DateTime<Utc>>,
    /// Items in selection order.
    pub items: Vec<BatchItemRecord>,
}

mod invites;
pub use invites::{Invite, InviteFlow, Redemption, RedemptionState};
