//! Job service behaviour across instances sharing one database (SQLite, or PostgreSQL when
//! `PUM_TEST_DATABASE_URL` is set).
#![expect(
    clippy::unwrap_used,
    reason = "a failing set-up step should stop the test loudly"
)]

use std::sync::{Arc, Mutex};

use chrono::{Duration, TimeZone, Utc};
use pum_core::jobs::{EnqueueFuture, JobKind, JobPayload, JobQueue, JobsService};
use pum_core::{Clock, ManualClock};
use pum_db::Db;
use pum_db::records::JobRunStatus;
use pum_db::repo::{auth_sessions, job_runs};
use pum_db::scratch::ScratchDb;
use uuid::Uuid;

/// A queue that remembers what it was given.
#[derive(Debug, Default)]
struct RecordingQueue(Mutex<Vec<JobPayload>>);

impl JobQueue for RecordingQueue {
    fn enqueue(&self, payload: JobPayload) -> EnqueueFuture<'_> {
        self.0.lock().unwrap().push(payload);
        Box::pin(async { Ok(()) })
    }
}

/// A queue that is down.
#[derive(Debug)]
struct BrokenQueue;

impl JobQueue for BrokenQueue {
    fn enqueue(&self, _payload: JobPayload) -> EnqueueFuture<'_> {
        Box::pin(async { Err("queue unavailable".to_owned()) })
    }
}

async fn database() -> (ScratchDb, Db) {
    let scratch = ScratchDb::new(std::env::var("PUM_TEST_DATABASE_URL").ok().as_deref())
        .await
        .unwrap();
    let db = Db::connect(&scratch.url).await.unwrap();
    db.migrate().await.unwrap();
    (scratch, db)
}

fn clock() -> ManualClock {
    ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap())
}

#[tokio::test]
async fn a_tick_fires_once_however_many_instances_share_the_database() {
    let (scratch, db) = database().await;
    let queue = Arc::new(RecordingQueue::default());
    let clock: Arc<dyn Clock> = Arc::new(clock());
    // Four instances, each with its own connection pool, as four pum processes would have.
    let mut instances = Vec::new();
    for _ in 0..4 {
        let own = Db::connect(&scratch.url).await.unwrap();
        instances.push(JobsService::new(own, clock.clone(), queue.clone()));
    }
    let tick = Utc.with_ymd_and_hms(2026, 3, 1, 8, 15, 0).unwrap();

    let fired =
        futures_join_all(instances.iter().cloned().map(move |jobs| async move {
            jobs.fire_schedule(JobKind::PruneSessions, tick).await
        }))
        .await;

    let claimed = fired.iter().filter(|r| matches!(r, Ok(Some(_)))).count();
    assert_eq!(claimed, 1, "{fired:?}");
    assert!(fired.iter().all(Result::is_ok), "{fired:?}");
    assert_eq!(queue.0.lock().unwrap().len(), 1);
    assert_eq!(job_runs::recent(&db, 10).await.unwrap().len(), 1);

    // The next tick is a new claim.
    let next = instances[1]
        .fire_schedule(JobKind::PruneSessions, tick + Duration::minutes(15))
        .await
        .unwrap();
    assert!(next.is_some());
}

#[tokio::test]
async fn executing_a_run_twice_has_the_effect_of_once() {
    let (_scratch, db) = database().await;
    let clock = clock();
    let now = clock.now();
    let admin = pum_db::scratch::seed_admin(&db, "someone").await.unwrap();
    auth_sessions::insert(
        &db,
        &pum_db::scratch::session_for(admin.id, now - Duration::days(2), now - Duration::days(1)),
    )
    .await
    .unwrap();
    let queue = Arc::new(RecordingQueue::default());
    let jobs = JobsService::new(db.clone(), Arc::new(clock), queue.clone());

    let run = jobs.run_now(JobKind::PruneSessions).await.unwrap();
    let payload = queue.0.lock().unwrap()[0].clone();
    jobs.execute(&payload).await.unwrap();
    jobs.execute(&payload).await.unwrap();

    let stored = job_runs::get(&db, run.id).await.unwrap().unwrap();
    assert_eq!(stored.status, JobRunStatus::Succeeded);
    assert_eq!(stored.attempts, 1, "a finished run is not executed again");
    assert_eq!(stored.detail.as_deref(), Some("deleted 1 expired session"));
    assert_eq!(auth_sessions::count(&db).await.unwrap(), 0);
}

#[tokio::test]
async fn a_run_that_cannot_be_queued_is_recorded_as_failed() {
    let (_scratch, db) = database().await;
    let jobs = JobsService::new(db.clone(), Arc::new(clock()), Arc::new(BrokenQueue));
    let err = jobs.run_now(JobKind::PruneSessions).await.unwrap_err();
    assert!(err.to_string().contains("queue unavailable"), "{err}");
    let runs = job_runs::recent(&db, 10).await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, JobRunStatus::Failed);
    assert!(
        runs[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("could not queue")
    );
}

#[tokio::test]
async fn a_payload_for_a_missing_run_fails_permanently() {
    let (_scratch, db) = database().await;
    let jobs = JobsService::new(db, Arc::new(clock()), Arc::new(RecordingQueue::default()));
    let err = jobs
        .execute(&JobPayload {
            run_id: Uuid::new_v4(),
            job: JobKind::PruneSessions,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, pum_core::jobs::JobError::Permanent(_)));
}

#[tokio::test]
async fn the_overview_lists_every_job_with_its_next_tick() {
    let (_scratch, db) = database().await;
    let jobs = JobsService::new(db, Arc::new(clock()), Arc::new(RecordingQueue::default()));
    let overview = jobs.overview().await.unwrap();
    assert_eq!(overview.len(), JobKind::ALL.len());
    assert_eq!(
        overview[0].next_run_at,
        Some(Utc.with_ymd_and_hms(2026, 3, 1, 8, 15, 0).unwrap())
    );
    assert!(overview[0].last_run.is_none());
}

/// `futures::future::join_all` without the dependency: start all, then await each.
async fn futures_join_all<F, T>(futures: impl IntoIterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}
