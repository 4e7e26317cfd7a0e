//! Repository and migration tests, on SQLite always and on PostgreSQL when
//! `PUM_TEST_DATABASE_URL` is set.
#![expect(
    clippy::expect_used,
    reason = "a failing set-up step should stop the test loudly"
)]

use chrono::{Duration, TimeZone, Utc};
use pum_db::records::{AuthSession, JobRunStatus, JobTrigger};
use pum_db::repo::{auth_sessions, job_runs};
use pum_db::scratch::{ScratchDb, seed_admin, session_for};
use pum_db::{Db, DbError};
use uuid::Uuid;

/// The PostgreSQL server under test, when this run targets PostgreSQL.
fn postgres_admin_url() -> Option<String> {
    std::env::var("PUM_TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
}

async fn migrated() -> (ScratchDb, Db) {
    let scratch = ScratchDb::new(postgres_admin_url().as_deref())
        .await
        .expect("scratch database");
    let db = Db::connect(&scratch.url).await.expect("connect");
    db.migrate().await.expect("migrate");
    (scratch, db)
}

async fn session(db: &Db, expires_in: Duration) -> AuthSession {
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
    let admin = seed_admin(db, &Uuid::new_v4().simple().to_string())
        .await
        .expect("admin");
    session_for(admin.id, now, now + expires_in)
}

#[tokio::test]
async fn migrating_twice_applies_nothing_the_second_time() {
    let (_scratch, db) = migrated().await;
    assert!(db.migrate().await.unwrap().is_empty());
    let state = db.migration_state().await.unwrap();
    assert!(state.pending.is_empty());
    assert_eq!(
        state.applied.first().map(String::as_str),
        Some("m20261124_000001_create_auth_sessions")
    );
    assert!(state.applied.windows(2).all(|w| w[0] < w[1]), "in order");
}

#[tokio::test]
async fn the_first_installation_row_wins_when_two_instances_race() {
    use pum_db::records::Installation;
    use pum_db::repo::installation;
    let (_scratch, db) = migrated().await;
    assert!(installation::get(&db).await.unwrap().is_none());
    let first = Installation {
        client_identifier: "first".to_owned(),
        key_id: "aaaaaaaa".to_owned(),
        key_check: "v1:aaaaaaaa:x".to_owned(),
        created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    };
    let second = Installation {
        client_identifier: "second".to_owned(),
        ..first.clone()
    };
    assert_eq!(
        installation::create_or_get(&db, &first).await.unwrap(),
        first
    );
    assert_eq!(
        installation::create_or_get(&db, &second).await.unwrap(),
        first,
        "the later instance adopts the identity already recorded"
    );
    assert_eq!(installation::get(&db).await.unwrap(), Some(first));
}

#[tokio::test]
async fn a_schema_from_a_newer_pum_is_refused() {
    let (_scratch, db) = migrated().await;
    db.mark_migration_applied_for_tests("m29990101_000000_from_the_future")
        .await
        .unwrap();
    let err = db.migration_state().await.unwrap_err();
    assert!(matches!(err, DbError::SchemaTooNew(ref names) if names.contains("from_the_future")));
    assert!(db.migrate().await.is_err());
}

#[tokio::test]
async fn expired_sessions_are_deleted_and_live_ones_kept() {
    let (_scratch, db) = migrated().await;
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
    auth_sessions::insert(&db, &session(&db, Duration::hours(-1)).await)
        .await
        .unwrap();
    auth_sessions::insert(&db, &session(&db, Duration::zero()).await)
        .await
        .unwrap();
    auth_sessions::insert(&db, &session(&db, Duration::hours(1)).await)
        .await
        .unwrap();

    assert_eq!(auth_sessions::delete_expired(&db, now).await.unwrap(), 2);
    assert_eq!(auth_sessions::count(&db).await.unwrap(), 1);
    assert_eq!(auth_sessions::delete_expired(&db, now).await.unwrap(), 0);
}

#[tokio::test]
async fn a_scheduled_tick_can_be_claimed_only_once() {
    let (_scratch, db) = migrated().await;
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
    let first = job_runs::insert_queued(
        &db,
        Uuid::new_v4(),
        "j",
        JobTrigger::Schedule,
        Some("j@1"),
        now,
    )
    .await
    .unwrap();
    let second = job_runs::insert_queued(
        &db,
        Uuid::new_v4(),
        "j",
        JobTrigger::Schedule,
        Some("j@1"),
        now,
    )
    .await
    .unwrap();
    assert!(first.is_some());
    assert!(second.is_none());
    // Manual runs carry no tick key and never collide.
    for _ in 0..2 {
        let manual =
            job_runs::insert_queued(&db, Uuid::new_v4(), "j", JobTrigger::Manual, None, now)
                .await
                .unwrap();
        assert!(manual.is_some());
    }
    assert_eq!(job_runs::recent(&db, 10).await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_run_records_its_attempts_and_outcome() {
    let (_scratch, db) = migrated().await;
    let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
    let id = Uuid::new_v4();
    job_runs::insert_queued(&db, id, "j", JobTrigger::Manual, None, t0)
        .await
        .unwrap();
    let running = job_runs::mark_running(&db, id, t0 + Duration::seconds(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(running.status, JobRunStatus::Running);
    assert_eq!(running.attempts, 1);
    job_runs::mark_finished(
        &db,
        id,
        JobRunStatus::Succeeded,
        "done",
        t0 + Duration::seconds(2),
    )
    .await
    .unwrap();
    let run = job_runs::get(&db, id).await.unwrap().unwrap();
    assert_eq!(run.status, JobRunStatus::Succeeded);
    assert_eq!(run.detail.as_deref(), Some("done"));
    assert_eq!(run.finished_at, Some(t0 + Duration::seconds(2)));
    assert_eq!(
        job_runs::latest(&db, "j").await.unwrap().map(|r| r.id),
        Some(id)
    );
    assert!(
        job_runs::mark_running(&db, Uuid::new_v4(), t0)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn sqlite_connections_use_wal_busy_timeout_and_foreign_keys() {
    if postgres_admin_url().is_some() {
        return; // SQLite-only property; the SQLite run covers it.
    }
    let (_scratch, db) = migrated().await;
    let pragmas = db.sqlite_pragmas().await.unwrap().unwrap();
    assert_eq!(pragmas.journal_mode, "wal");
    assert!(pragmas.busy_timeout_ms >= 5000);
    assert!(pragmas.foreign_keys);
}

#[tokio::test]
async fn an_sqlite_backup_is_a_database_that_opens() {
    if postgres_admin_url().is_some() {
        return;
    }
    let (scratch, db) = migrated().await;
    auth_sessions::insert(&db, &session(&db, Duration::hours(1)).await)
        .await
        .unwrap();
    let target = scratch.dir().unwrap().join("backup.db");
    assert!(db.backup_sqlite_to(&target).await.unwrap());
    let copy = Db::connect_sqlite_file(&target).await.unwrap();
    assert_eq!(auth_sessions::count(&copy).await.unwrap(), 1);
}

#[tokio::test]
async fn an_unsupported_url_scheme_is_rejected_with_the_password_hidden() {
    let err = Db::connect("mysql://root:hunter2@localhost/x")
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("unsupported database URL scheme"), "{err}");
    assert!(!err.contains("hunter2"));
}
