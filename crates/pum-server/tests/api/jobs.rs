use chrono::{Duration, Utc};
use pum_db::repo::auth_sessions;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{Options, TestApp, spawn_app, spawn_app_with};

async fn add_session(app: &TestApp, expires_in: Duration) {
    #[expect(
        clippy::disallowed_methods,
        reason = "the spawned app runs on the real clock"
    )]
    let now = Utc::now();
    let admin = pum_db::scratch::seed_admin(&app.db, &Uuid::new_v4().simple().to_string())
        .await
        .unwrap();
    auth_sessions::insert(
        &app.db,
        &pum_db::scratch::session_for(admin.id, now - Duration::days(1), now + expires_in),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn the_job_list_shows_each_job_with_its_schedule_and_next_run() {
    let app = spawn_app().await;
    let body = app.get_json("/api/v1/jobs").await;
    let jobs = body["jobs"].as_array().unwrap();
    let prune = jobs.iter().find(|j| j["name"] == "prune_sessions").unwrap();
    assert_eq!(prune["schedule"], "0 */15 * * * *");
    assert!(prune["next_run_at"].as_str().is_some());
    assert!(prune["last_run"].is_null());
    app.stop().await;
}

#[tokio::test]
async fn running_prune_sessions_deletes_only_expired_sessions() {
    let app = spawn_app().await;
    add_session(&app, Duration::hours(-2)).await;
    add_session(&app, Duration::hours(2)).await;

    let response = app
        .post_json("/api/v1/jobs/runs", &json!({"job": "prune_sessions"}))
        .await;
    assert_eq!(response.status(), 202);
    let queued: serde_json::Value = response.json().await.unwrap();
    assert_eq!(queued["status"], "queued");
    assert_eq!(queued["trigger"], "manual");

    let run = app.wait_for_run(queued["id"].as_str().unwrap()).await;
    assert_eq!(run["status"], "succeeded", "{run}");
    assert_eq!(run["detail"], "deleted 1 expired session");
    assert_eq!(run["attempts"], 1);
    // The live session and the owner's own remain.
    assert_eq!(auth_sessions::count(&app.db).await.unwrap(), 2);

    let jobs = app.get_json("/api/v1/jobs").await;
    assert_eq!(jobs["jobs"][0]["last_run"]["id"], queued["id"]);
    app.stop().await;
}

#[tokio::test]
async fn running_an_unknown_job_is_a_400_listing_the_known_ones() {
    let app = spawn_app().await;
    let response = app
        .post_json("/api/v1/jobs/runs", &json!({"job": "nope"}))
        .await;
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body["message"],
        "unknown job 'nope'; known jobs: prune_sessions, sync_users, reconcile_invites"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_job_queued_before_a_restart_runs_after_it() {
    // Arrange: an instance without a worker queues a run, then stops.
    let first = spawn_app_with(Options {
        owner: true,
        ..Options::default()
    })
    .await;
    add_session(&first, Duration::hours(-1)).await;
    let response = first
        .post_json("/api/v1/jobs/runs", &json!({"job": "prune_sessions"}))
        .await;
    assert_eq!(response.status(), 202);
    let queued: serde_json::Value = response.json().await.unwrap();
    let scratch = first.scratch();
    first.stop().await;

    // Act: a new instance with a worker starts on the same database.
    let second = spawn_app_with(Options {
        worker: true,
        scratch: Some(scratch),
        ..Options::default()
    })
    .await
    .with_owner_signed_in()
    .await;

    // Assert: the run queued before the restart executes.
    let run = second.wait_for_run(queued["id"].as_str().unwrap()).await;
    assert_eq!(run["status"], "succeeded", "{run}");
    assert_eq!(run["detail"], "deleted 1 expired session", "{run}");
    second.stop().await;
}

#[tokio::test]
async fn an_instance_without_a_worker_only_queues() {
    let app = spawn_app_with(Options {
        owner: true,
        ..Options::default()
    })
    .await;
    let status = app.get_json("/api/v1/system/status").await;
    assert_eq!(status["worker_enabled"], false);
    let response = app
        .post_json("/api/v1/jobs/runs", &json!({"job": "prune_sessions"}))
        .await;
    let queued: serde_json::Value = response.json().await.unwrap();
    let runs = app.get_json("/api/v1/jobs/runs?limit=5").await;
    assert_eq!(runs["runs"][0]["id"], queued["id"]);
    assert_eq!(runs["runs"][0]["status"], "queued");
    app.stop().await;
}
