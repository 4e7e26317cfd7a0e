//! Background jobs: what exists, queuing a run (by schedule or by hand) and executing one.
//!
//! Every run is a row in `job_runs` first and a message on the queue second. A scheduled run
//! claims its tick through a unique key, so a schedule fires once per tick however many pum
//! instances share the database. Handlers are idempotent: the queue delivers at least once.

mod kind;
mod prune_sessions;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use pum_db::records::{JobRun, JobRunStatus, JobTrigger};
use pum_db::{Db, repo::job_runs};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use kind::JobKind;

use crate::{Clock, CoreError, Result};

/// What travels on the queue: which run of which job to execute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobPayload {
    /// The `job_runs` row this message executes.
    pub run_id: Uuid,
    /// The job.
    pub job: JobKind,
}

/// The future a [`JobQueue`] returns.
pub type EnqueueFuture<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

/// The port to the durable job queue (apalis, wired in `pum-server`).
pub trait JobQueue: Send + Sync + std::fmt::Debug {
    /// Puts a message on the queue.
    fn enqueue(&self, payload: JobPayload) -> EnqueueFuture<'_>;
}

/// The future a [`JobHandler`] returns: a one-line result.
pub type HandlerFuture<'a> = Pin<Box<dyn Future<Output = Result<String, JobError>> + Send + 'a>>;

/// Executes the jobs that belong to another service (user syncs and mass actions), which
/// itself queues runs through [`JobsService`]; installed once after both exist.
pub trait JobHandler: Send + Sync + std::fmt::Debug {
    /// Executes run `run_id` of `kind`.
    fn execute(&self, kind: JobKind, run_id: Uuid) -> HandlerFuture<'_>;

    /// Whether the scheduled job `kind` should run at `now` (a sync only every N hours).
    fn due(
        &self,
        kind: JobKind,
        now: DateTime<Utc>,
    ) -> Pin<Box<dyn Future<Output = bool> + Send + '_>>;
}

/// How an execution failed.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth another attempt (database busy, Plex unreachable).
    #[error("{0}")]
    Retryable(String),
    /// Another attempt would fail the same way.
    #[error("{0}")]
    Permanent(String),
}

/// A job with its latest run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobOverview {
    /// The job.
    pub kind: JobKind,
    /// When its schedule fires next.
    pub next_run_at: Option<DateTime<Utc>>,
    /// Its latest run.
    pub last_run: Option<JobRun>,
}

/// The jobs use cases.
#[derive(Debug, Clone)]
pub struct JobsService {
    db: Db,
    clock: Arc<dyn Clock>,
    queue: Arc<dyn JobQueue>,
    handlers: Arc<RwLock<HashMap<JobKind, Arc<dyn JobHandler>>>>,
}

impl JobsService {
    /// A service over `db` that queues through `queue`.
    pub fn new(db: Db, clock: Arc<dyn Clock>, queue: Arc<dyn JobQueue>) -> Self {
        Self {
            db,
            clock,
            queue,
            handlers: Arc::default(),
        }
    }

    /// Installs `handler` as the executor of `kinds` (every clone shares it).
    pub fn install_handler(&self, kinds: &[JobKind], handler: impl JobHandler + 'static) {
        let handler: Arc<dyn JobHandler> = Arc::new(handler);
        let mut handlers = self
            .handlers
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for kind in kinds {
            handlers.insert(*kind, handler.clone());
        }
    }

    fn handler(&self, kind: JobKind) -> Option<Arc<dyn JobHandler>> {
        self.handlers
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&kind)
            .cloned()
    }

    /// Every job with its next scheduled time and latest run.
    pub async fn overview(&self) -> Result<Vec<JobOverview>> {
        let now = self.clock.now();
        let mut out = Vec::with_capacity(JobKind::ALL.len());
        for kind in JobKind::ALL {
            out.push(JobOverview {
                kind,
                next_run_at: kind.next_run_after(now),
                last_run: job_runs::latest(&self.db, kind.name()).await?,
            });
        }
        Ok(out)
    }

    /// The newest `limit` runs of all jobs.
    pub async fn recent_runs(&self, limit: u64) -> Result<Vec<JobRun>> {
        Ok(job_runs::recent(&self.db, limit).await?)
    }

    /// Queues a run of `kind` now, on an admin's request.
    pub async fn run_now(&self, kind: JobKind) -> Result<JobRun> {
        let run = job_runs::insert_queued(
            &self.db,
            Uuid::new_v4(),
            kind.name(),
            JobTrigger::Manual,
            None,
            self.clock.now(),
        )
        .await?
        .ok_or_else(|| CoreError::Queue("manual run was not recorded".to_owned()))?;
        self.enqueue(kind, &run).await?;
        Ok(run)
    }

    /// Claims the scheduled tick `tick` of `kind` and queues its run. Returns `None` when
    /// another instance claimed the tick first.
    pub async fn fire_schedule(
        &self,
        kind: JobKind,
        tick: DateTime<Utc>,
    ) -> Result<Option<JobRun>> {
        if let Some(handler) = self.handler(kind)
            && !handler.due(kind, self.clock.now()).await
        {
            return Ok(None);
        }
        let tick_key = format!("{}@{}", kind.name(), tick.timestamp());
        let claimed = job_runs::insert_queued(
            &self.db,
            Uuid::new_v4(),
            kind.name(),
            JobTrigger::Schedule,
            Some(&tick_key),
            self.clock.now(),
        )
        .await?;
        if let Some(run) = claimed {
            self.enqueue(kind, &run).await?;
            return Ok(Some(run));
        }
        tracing::debug!(job = kind.name(), tick = %tick, "tick already claimed");
        Ok(None)
    }

    /// Executes one queued run and records the outcome. A run already finished is skipped, so
    /// a redelivered message does no harm.
    #[tracing::instrument(skip_all, fields(job.name = payload.job.name(), job.run_id = %payload.run_id))]
    pub async fn execute(&self, payload: &JobPayload) -> Result<(), JobError> {
        let db_error = |err: pum_db::DbError| JobError::Retryable(format!("database: {err}"));
        let existing = job_runs::get(&self.db, payload.run_id)
            .await
            .map_err(db_error)?;
        match existing {
            None => {
                return Err(JobError::Permanent(format!(
                    "run {} does not exist",
                    payload.run_id
                )));
            }
            Some(run) if run.status == JobRunStatus::Succeeded => return Ok(()),
            Some(_) => {}
        }
        job_runs::mark_running(&self.db, payload.run_id, self.clock.now())
            .await
            .map_err(db_error)?;
        let outcome = match (payload.job, self.handler(payload.job)) {
            (JobKind::PruneSessions, _) => prune_sessions::run(&self.db, self.clock.now()).await,
            (kind, Some(handler)) => handler.execute(kind, payload.run_id).await,
            (kind, None) => Err(JobError::Retryable(format!(
                "no handler for {} is installed yet",
                kind.name()
            ))),
        };
        let (status, detail) = match &outcome {
            Ok(detail) => (JobRunStatus::Succeeded, detail.clone()),
            Err(err) => (JobRunStatus::Failed, err.to_string()),
        };
        job_runs::mark_finished(&self.db, payload.run_id, status, &detail, self.clock.now())
            .await
            .map_err(db_error)?;
        tracing::info!(outcome = %detail, "job run finished");
        outcome.map(|_| ())
    }

    async fn enqueue(&self, kind: JobKind, run: &JobRun) -> Result<()> {
        let payload = JobPayload {
            run_id: run.id,
            job: kind,
        };
        if let Err(err) = self.queue.enqueue(payload).await {
            let detail = format!("could not queue the run: {err}");
            job_runs::mark_finished(
                &self.db,
                run.id,
                JobRunStatus::Failed,
                &detail,
                self.clock.now(),
            )
            .await?;
            return Err(CoreError::Queue(err));
        }
        Ok(())
    }
}
