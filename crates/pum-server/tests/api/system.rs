use crate::helpers::{postgres_admin_url, spawn_app};

#[tokio::test]
async fn status_reports_version_database_and_the_plex_server() {
    let app = spawn_app().await;
    let body = app.get_json("/api/v1/system/status").await;
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(body["demo"], false);
    assert_eq!(body["worker_enabled"], true);
    let engine = if postgres_admin_url().is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(body["database"]["engine"], engine);
    assert_eq!(body["database"]["reachable"], true);
    let state = app.db.migration_state().await.unwrap();
    assert!(state.pending.is_empty() && !state.applied.is_empty());
    assert_eq!(body["database"]["migrations_applied"], state.applied.len());
    assert_eq!(body["plex"]["state"], "online");
    assert_eq!(body["plex"]["name"], "Demo Media Server");
    assert_eq!(
        body["plex"]["machine_identifier"],
        "5d2b7c9e1f3a4b6c8d0e2f4a6b8c0d1e3f5a7b9c"
    );
    assert_eq!(body["plex"]["url"], app.sim.pms_url);
    app.stop().await;
}

#[tokio::test]
async fn status_reports_an_unreachable_plex_server_as_offline() {
    let app = spawn_app().await;
    app.sim.stop().await;
    let body = app.get_json("/api/v1/system/status").await;
    assert_eq!(body["plex"]["state"], "offline");
    assert!(
        body["plex"]["reason"]
            .as_str()
            .unwrap()
            .contains("GET /identity")
    );
}
