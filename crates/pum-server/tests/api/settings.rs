//! Settings: validation with field errors, secrets write-only and sealed at rest, Plex connection.

use serde_json::json;

use crate::helpers::{TestApp, postgres_admin_url, spawn_app};

const CANARY_SECRET: &str = "canary-client-secret-7f3e9a";
const CANARY_BOT: &str = "canary-bot-token-4b1d2c8e";

#[tokio::test]
async fn secrets_are_write_only_and_never_leave_the_server() {
    let app = spawn_app().await;
    let (code, view) = TestApp::call(app.http.patch(app.url("/api/v1/settings/discord")).json(
        &json!({
            "client_id": "123456789012345678",
            "client_secret": CANARY_SECRET,
            "bot_token": CANARY_BOT,
            "linking": "optional",
        }),
    ))
    .await;
    assert_eq!(code, 200, "{view}");
    assert_eq!(view["discord"]["client_secret"]["configured"], true);
    assert_eq!(view["discord"]["linking"], "optional");
    let all = app.get_json("/api/v1/settings").await.to_string();
    let sim_token = app.sim.owner_token.clone();
    for canary in [CANARY_SECRET, CANARY_BOT, sim_token.as_str()] {
        assert!(!view.to_string().contains(canary));
        assert!(!all.contains(canary), "GET /settings leaks a secret");
    }
    let events = pum_db::repo::events::recent(&app.db, Some("settings.changed"), 10)
        .await
        .unwrap();
    let detail = events[0].detail.clone().unwrap_or_default();
    assert!(
        detail.contains("discord.client_secret") && !detail.contains(CANARY_SECRET),
        "{detail}"
    );

    let doc = pum_server::openapi::document_json();
    let schema: serde_json::Value = serde_json::from_str(&doc).unwrap();
    let patch = &schema["components"]["schemas"]["DiscordSettingsPatch"]["properties"];
    assert_eq!(patch["client_secret"]["writeOnly"], true);
    assert_eq!(patch["bot_token"]["writeOnly"], true);

    if postgres_admin_url().is_none() {
        // The SQLite file itself holds only ciphertext.
        let scratch = app.scratch();
        let database_url = scratch.url.clone();
        let db_file = database_url
            .trim_start_matches("sqlite://")
            .split('?')
            .next()
            .unwrap()
            .to_owned();
        app.stop().await;
        let mut bytes = std::fs::read(&db_file).unwrap();
        if let Ok(wal) = std::fs::read(format!("{db_file}-wal")) {
            bytes.extend(wal);
        }
        let text = String::from_utf8_lossy(&bytes);
        for canary in [CANARY_SECRET, CANARY_BOT, sim_token.as_str()] {
            assert!(
                !text.contains(canary),
                "the database file holds a secret in clear"
            );
        }
        return;
    }
    app.stop().await;
}

#[tokio::test]
async fn bad_values_get_field_errors_and_change_nothing() {
    let app = spawn_app().await;
    let before = app.get_json("/api/v1/settings").await;
    let (code, body) = TestApp::call(app.http.patch(app.url("/api/v1/settings/general")).json(
        &json!({
            "app_name": "My Plex",
            "public_base_url": "javascript:alert(1)",
        }),
    ))
    .await;
    assert_eq!(code, 400);
    assert!(body["fields"]["public_base_url"].is_string(), "{body}");
    let (code, body) = TestApp::call(
        app.http
            .patch(app.url("/api/v1/settings/discord"))
            .json(&json!({ "linking": "required" })),
    )
    .await;
    assert_eq!(code, 400);
    assert_eq!(
        body["fields"]["linking"],
        "needs a Discord client id and client secret"
    );
    let (code, body) = TestApp::call(
        app.http
            .patch(app.url("/api/v1/settings/security"))
            .json(&json!({ "session_idle_minutes": 1 })),
    )
    .await;
    assert_eq!(code, 400);
    assert!(body["fields"]["session_idle_minutes"].is_string());
    let (code, body) = TestApp::call(
        app.http
            .patch(app.url("/api/v1/settings/general"))
            .json(&json!({ "theme": "dark" })),
    )
    .await;
    assert_eq!(code, 400, "unknown fields are refused: {body}");
    assert_eq!(app.get_json("/api/v1/settings").await, before);

    let (code, view) = TestApp::call(app.http.patch(app.url("/api/v1/settings/general")).json(
        &json!({
            "app_name": "  My Plex  ",
            "public_base_url": "https://pum.example.com/",
        }),
    ))
    .await;
    assert_eq!(code, 200);
    assert_eq!(
        view["general"],
        json!({ "app_name": "My Plex", "public_base_url": "https://pum.example.com" })
    );
    app.stop().await;
}

#[tokio::test]
async fn connecting_plex_tests_each_address_and_keeps_the_first_that_is_the_chosen_server() {
    let app = spawn_app().await;
    let servers = app.get_json("/api/v1/settings/plex/servers").await;
    let server = &servers["servers"][0];
    let machine = server["machine_identifier"].as_str().unwrap();
    let (code, connected) =
        TestApp::call(app.http.put(app.url("/api/v1/settings/plex")).json(&json!({
            "urls": ["http://127.0.0.1:9", app.sim.pms_url],
            "machine_identifier": machine,
        })))
        .await;
    assert_eq!(code, 200, "{connected}");
    assert_eq!(connected["url"], app.sim.pms_url);
    assert_eq!(connected["attempts"][0]["ok"], false);
    assert_eq!(connected["attempts"][1]["ok"], true);
    assert!(!connected["libraries"].as_array().unwrap().is_empty());
    let settings = app.get_json("/api/v1/settings").await;
    assert_eq!(settings["plex"]["machine_identifier"], machine);

    let (code, body) = TestApp::call(app.http.put(app.url("/api/v1/settings/plex")).json(&json!({
        "urls": [app.sim.pms_url],
        "machine_identifier": "0000000000000000000000000000000000000000",
    })))
    .await;
    assert_eq!(code, 400, "{body}");
    assert!(body["message"].as_str().unwrap().contains("another server"));
    let (code, body) = TestApp::call(app.http.put(app.url("/api/v1/settings/plex")).json(&json!({
        "urls": [app.sim.pms_url],
        "token": "not-a-real-token",
    })))
    .await;
    assert_eq!(code, 400, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("refused the token"),
        "{body}"
    );
    assert_eq!(
        app.get_json("/api/v1/settings").await["plex"]["machine_identifier"],
        machine,
        "unchanged"
    );
    app.stop().await;
}
