//! The apalis wiring, and only that: the durable queue on the app's own database, the worker
//! that executes [`JobPayload`]s, and one cron scheduler per job. Handlers live in
//! `pum_core::jobs`.

use std::future::Future;
use std::time::Duration;

use anyhow::Context as _;
use apalis::layers::retry::RetryPolicy;
use apalis::prelude::*;
use apalis_cron::{CronScheduler, Tick};
use apalis_postgres::PostgresStorage;
use apalis_sqlite::SqliteStorage;
use chrono::DateTime;
use pum_core::jobs::{EnqueueFuture, JobError, JobKind, JobPayload, JobQueue, JobsService};
use pum_db::JobPool;
use std::str::FromStr;

/// The queue name. Fixed, so renaming a Rust type never strands queued jobs.
const QUEUE: &str = "pum-jobs";

/// How often a worker proves it is alive. apalis's default is 30 s, and an idle worker can wait
/// for the next heartbeat before it sees a newly queued job; 5 s bounds that wait and lets
/// another instance take over a dead worker's jobs after 10 s.
const HEARTBEAT: Duration = Duration::from_secs(5);

/// The durable queue on SQLite or PostgreSQL.
#[derive(Clone)]
pub(crate) enum Storage {
    Sqlite(SqliteStorage<JobPayload>),
    Postgres(PostgresStorage<JobPayload>),
}

impl Storage {
    /// Creates apalis's tables if needed and opens the queue on `pool`.
    pub(crate) async fn open(pool: &JobPool) -> anyhow::Result<Self> {
        Ok(match pool {
            JobPool::Sqlite(pool) => {
                // Not `SqliteStorage::setup`: it sets `synchronous=OFF` on one pooled
                // connection. Our pragmas come from the connection options.
                SqliteStorage::migrations()
                    .run(pool)
                    .await
                    .context("creating the job queue tables")?;
                Self::Sqlite(
                    SqliteStorage::new(pool).with_config(
                        apalis_sqlite::Config::default()
                            .queue(QUEUE)
                            .heartbeat_interval(HEARTBEAT),
                    ),
                )
            }
            JobPool::Postgres(pool) => {
                PostgresStorage::setup(pool)
                    .await
                    .context("creating the job queue tables")?;
                Self::Postgres(
                    PostgresStorage::new(pool).with_config(
                        apalis_postgres::Config::default()
                            .queue(QUEUE)
                            .heartbeat_interval(HEARTBEAT),
                    ),
                )
            }
        })
    }
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Sqlite(_) => "Storage::Sqlite",
            Self::Postgres(_) => "Storage::Postgres",
        })
    }
}

/// [`JobQueue`] over apalis.
#[derive(Debug, Clone)]
pub(crate) struct ApalisQueue(pub(crate) Storage);

impl JobQueue for ApalisQueue {
    fn enqueue(&self, payload: JobPayload) -> EnqueueFuture<'_> {
        let storage = self.0.clone();
        Box::pin(async move {
            match storage {
                Storage::Sqlite(mut s) => s.push(payload).await.map_err(|e| e.to_string()),
                Storage::Postgres(mut s) => s.push(payload).await.map_err(|e| e.to_string()),
            }
        })
    }
}

/// What a cron worker needs to fire its job.
#[derive(Debug, Clone)]
struct TickContext {
    jobs: JobsService,
    kind: JobKind,
}

async fn execute(payload: JobPayload, jobs: Data<JobsService>) -> Result<(), BoxDynError> {
    match jobs.execute(&payload).await {
        Ok(()) => Ok(()),
        // Already recorded on the run; retrying cannot help.
        Err(JobError::Permanent(why)) => {
            tracing::warn!(job.run_id = %payload.run_id, %why, "job failed permanently");
            Ok(())
        }
        Err(err @ JobError::Retryable(_)) => Err(err.into()),
    }
}

async fn fire(tick: Tick, ctx: Data<TickContext>) -> Result<(), BoxDynError> {
    let at = i64::try_from(tick.get_timestamp())
        .ok()
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .ok_or("tick timestamp out of range")?;
    ctx.jobs.fire_schedule(ctx.kind, at).await?;
    Ok(())
}

/// Runs the queue worker and the schedulers until `shutdown` resolves, then lets running jobs
/// finish (up to 20 s).
pub(crate) async fn run(
    storage: Storage,
    jobs: JobsService,
    poll_interval: Duration,
    instance: &str,
    shutdown: impl Future<Output = std::io::Result<()>> + Send + 'static,
) -> anyhow::Result<()> {
    let mut monitor = Monitor::new().shutdown_timeout(Duration::from_secs(20));
    let worker_name = format!("pum-jobs-{instance}");
    let queue_jobs = jobs.clone();
    monitor = match storage {
        Storage::Sqlite(s) => monitor.register(move |_| {
            WorkerBuilder::new(worker_name.as_str())
                .backend(s.clone().poll_with_interval(poll_interval))
                .retry(RetryPolicy::retries(3))
                .data(queue_jobs.clone())
                .build(execute)
        }),
        Storage::Postgres(s) => monitor.register(move |_| {
            WorkerBuilder::new(worker_name.as_str())
                .backend(s.clone().poll_with_interval(poll_interval))
                .retry(RetryPolicy::retries(3))
                .data(queue_jobs.clone())
                .build(execute)
        }),
    };
    for kind in JobKind::ALL {
        let Some(expression) = kind.schedule() else {
            continue;
        };
        let schedule = cron::Schedule::from_str(expression)
            .with_context(|| format!("schedule of {}", kind.name()))?;
        let ctx = TickContext {
            jobs: jobs.clone(),
            kind,
        };
        let name = format!("pum-cron-{}-{instance}", kind.name());
        monitor = monitor.register(move |_| {
            WorkerBuilder::new(name.as_str())
                .backend(CronScheduler::new(schedule.clone()))
                .data(ctx.clone())
                .build(fire)
        });
    }
    monitor
        .run_with_signal(shutdown)
        .await
        .context("job worker stopped")?;
    Ok(())
}
