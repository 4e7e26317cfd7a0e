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
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::ApiKey => "api_key",
            Self::System => "system",
            Self::Anonymous => "anonymous",
        }
    }

    pub(crate) fn parse(s: &str) -> Self {
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
