//! The only module that does HTTP: one function per endpoint, typed with `pum-api-types`.

mod client;

pub(crate) use client::ApiError;

use pum_api_types::jobs::{JobListResponse, JobRun, JobRunListResponse, RunJobRequest};
use pum_api_types::system::SystemStatus;

/// `GET /api/v1/system/status`.
pub(crate) async fn system_status() -> Result<SystemStatus, ApiError> {
    client::get("/api/v1/system/status").await
}

/// `GET /api/v1/jobs`.
pub(crate) async fn jobs() -> Result<JobListResponse, ApiError> {
    client::get("/api/v1/jobs").await
}

/// `GET /api/v1/jobs/runs`.
pub(crate) async fn job_runs(limit: u32) -> Result<JobRunListResponse, ApiError> {
    client::get(&format!("/api/v1/jobs/runs?limit={limit}")).await
}

/// `POST /api/v1/jobs/runs`.
pub(crate) async fn run_job(job: String) -> Result<JobRun, ApiError> {
    client::post("/api/v1/jobs/runs", &RunJobRequest { job }).await
}
