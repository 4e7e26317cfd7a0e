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

/// A new admin sign-in session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuthSession {
    /// The session id.
    pub id: Uuid,
    /// SHA-256 (hex) of the session secret; the secret itself is never stored.
    pub token_hash: String,
    /// Who the session belongs to.
    pub subject: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it stops being valid.
    pub expires_at: DateTime<Utc>,
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
