//! Background jobs: what is scheduled, what ran, and running one now.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How a job run came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobTrigger {
    /// Its schedule fired.
    Schedule,
    /// An admin asked for it.
    Manual,
}

/// Where a job run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobRunStatus {
    /// Waiting for a worker.
    Queued,
    /// A worker is running it.
    Running,
    /// It finished without error.
    Succeeded,
    /// It failed; `detail` says why.
    Failed,
}

/// One run of a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobRun {
    /// The run's id.
    pub id: String,
    /// The job's stable name, for example `prune_sessions`.
    pub job: String,
    /// How the run came about.
    pub trigger: JobTrigger,
    /// Where it stands.
    pub status: JobRunStatus,
    /// When it was queued.
    pub queued_at: DateTime<Utc>,
    /// When a worker started it.
    pub started_at: Option<DateTime<Utc>>,
    /// When it finished.
    pub finished_at: Option<DateTime<Utc>>,
    /// How many times a worker picked it up.
    pub attempts: u32,
    /// A one-line result or error.
    pub detail: Option<String>,
}

/// A job pum knows, with its schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobInfo {
    /// The stable name used in URLs, for example `prune_sessions`.
    pub name: String,
    /// A short title for people.
    pub title: String,
    /// What the job does.
    pub description: String,
    /// The cron expression (with a seconds field) of its schedule, in UTC.
    pub schedule: String,
    /// The next time the schedule fires.
    pub next_run_at: Option<DateTime<Utc>>,
    /// The latest run, if any.
    pub last_run: Option<JobRun>,
}

/// `GET /api/v1/jobs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobListResponse {
    /// Every job pum knows.
    pub jobs: Vec<JobInfo>,
}

/// `GET /api/v1/jobs/runs`: the most recent runs, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobRunListResponse {
    /// The runs, newest first.
    pub runs: Vec<JobRun>,
}

/// `POST /api/v1/jobs/runs`: run a job now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RunJobRequest {
    /// The job's name, as listed by `GET /api/v1/jobs`.
    pub job: String,
}
