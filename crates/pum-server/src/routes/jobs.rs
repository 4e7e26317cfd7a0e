//! `/api/v1/jobs`: scheduled jobs, their runs, and running one now.

use actix_web::{HttpResponse, get, post, web};
use pum_api_types::ErrorBody;
use pum_api_types::jobs::{
    JobInfo, JobListResponse, JobRun, JobRunListResponse, JobRunStatus, JobTrigger, RunJobRequest,
};
use pum_core::jobs::JobKind;
use pum_db::records;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{Auth, SettingsManage, SignedIn};
use crate::error::ApiError;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list).service(runs).service(run_now);
}

/// Every job with its schedule, next run and latest run.
#[utoipa::path(
    tag = "jobs",
    responses((status = 200, body = JobListResponse)),
    security(("session" = []), ("api_key" = []))
)]
#[get("/jobs")]
pub(crate) async fn list(
    _auth: Auth<SignedIn>,
    state: web::Data<AppState>,
) -> Result<web::Json<JobListResponse>, ApiError> {
    let jobs = state
        .jobs
        .overview()
        .await?
        .into_iter()
        .map(|o| JobInfo {
            name: o.kind.name().to_owned(),
            title: o.kind.title().to_owned(),
            description: o.kind.description().to_owned(),
            schedule: o.kind.schedule().unwrap_or_default().to_owned(),
            next_run_at: o.next_run_at,
            last_run: o.last_run.map(to_dto),
        })
        .collect();
    Ok(web::Json(JobListResponse { jobs }))
}

/// Query of `GET /jobs/runs`.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct RunsQuery {
    /// How many runs to return, 1 to 200 (default 50).
    limit: Option<u64>,
}

/// The most recent runs of all jobs, newest first.
#[utoipa::path(
    tag = "jobs",
    params(RunsQuery),
    responses(
        (status = 200, body = JobRunListResponse),
        (status = 400, body = ErrorBody, description = "limit out of range"),
    ),
    security(("session" = []), ("api_key" = []))
)]
#[get("/jobs/runs")]
pub(crate) async fn runs(
    _auth: Auth<SignedIn>,
    state: web::Data<AppState>,
    query: web::Query<RunsQuery>,
) -> Result<web::Json<JobRunListResponse>, ApiError> {
    let limit = query.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "limit must be from 1 to 200, got {limit}"
        )));
    }
    let runs = state.jobs.recent_runs(limit).await?;
    Ok(web::Json(JobRunListResponse {
        runs: runs.into_iter().map(to_dto).collect(),
    }))
}

/// Queues a run of a job now. The run shows up in `GET /jobs/runs` and executes on a worker.
#[utoipa::path(
    tag = "jobs",
    request_body = RunJobRequest,
    responses(
        (status = 202, body = JobRun, description = "queued"),
        (status = 400, body = ErrorBody, description = "malformed body or unknown job"),
    ),
    security(("session" = ["settings.manage"]), ("api_key" = ["settings.manage"]))
)]
#[post("/jobs/runs")]
pub(crate) async fn run_now(
    _auth: Auth<SettingsManage>,
    state: web::Data<AppState>,
    body: web::Json<RunJobRequest>,
) -> Result<HttpResponse, ApiError> {
    let kind = JobKind::from_name(&body.job).ok_or_else(|| {
        let known: Vec<&str> = JobKind::ALL.iter().map(|k| k.name()).collect();
        ApiError::BadRequest(format!(
            "unknown job '{}'; known jobs: {}",
            body.job,
            known.join(", ")
        ))
    })?;
    let run = state.jobs.run_now(kind).await?;
    Ok(HttpResponse::Accepted().json(to_dto(run)))
}

fn to_dto(run: records::JobRun) -> JobRun {
    JobRun {
        id: run.id.to_string(),
        job: run.job,
        trigger: match run.trigger {
            records::JobTrigger::Schedule => JobTrigger::Schedule,
            records::JobTrigger::Manual => JobTrigger::Manual,
        },
        status: match run.status {
            records::JobRunStatus::Queued => JobRunStatus::Queued,
            records::JobRunStatus::Running => JobRunStatus::Running,
            records::JobRunStatus::Succeeded => JobRunStatus::Succeeded,
            records::JobRunStatus::Failed => JobRunStatus::Failed,
        },
        queued_at: run.queued_at,
        started_at: run.started_at,
        finished_at: run.finished_at,
        attempts: run.attempts,
        detail: run.detail,
    }
}
