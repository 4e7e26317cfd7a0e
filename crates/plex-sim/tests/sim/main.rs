//! The simulator's Plex behaviours (plex-api.md §0.3, §0.4, §2.1, §6.1, §6.2), checked over HTTP.
#![expect(
    clippy::unwrap_used,
    reason = "a failing step should stop the test loudly"
)]

use plex_sim::{PlexSim, RunningSim};

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().build().unwrap()
}

fn sim() -> RunningSim {
    PlexSim::builder().start().unwrap()
}

#[tokio::test]
async fn pms_identity_needs_no_token_and_defaults_to_xml() {
    let sim = sim();
    let response = client()
        .get(format!("{}/identity", sim.pms_url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/xml");
    let body = response.text().await.unwrap();
    assert!(body.starts_with("<?xml"));
    assert!(body.contains("machineIdentifier=\"5d2b7c9e1f3a4b6c8d0e2f4a6b8c0d1e3f5a7b9c\""));
    assert!(body.contains("claimed=\"1\""));
    sim.stop().await;
}

#[tokio::test]
async fn pms_identity_answers_json_when_asked() {
    let sim = sim();
    let body: serde_json::Value = client()
        .get(format!("{}/identity", sim.pms_url))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["MediaContainer"]["claimed"], true);
    assert_eq!(body["MediaContainer"]["version"], "1.41.3.9314-a0bfb8370");
    sim.stop().await;
}

#[tokio::test]
async fn pms_root_without_a_token_is_an_html_401() {
    let sim = sim();
    let response = client()
        .get(format!("{}/", sim.pms_url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["content-type"], "text/html");
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("<h1>401 Unauthorized</h1>")
    );

    let ok: serde_json::Value = client()
        .get(format!("{}/?X-Plex-Token={}", sim.pms_url, sim.owner_token))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ok["MediaContainer"]["friendlyName"], "Demo Media Server");
    sim.stop().await;
}

#[tokio::test]
async fn plex_tv_user_requires_a_client_identifier_and_a_valid_token() {
    let sim = sim();
    let url = format!("{}/api/v2/user", sim.plex_tv_url);
    let missing_id = client()
        .get(&url)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(missing_id.status(), 400);
    let body: serde_json::Value = missing_id.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], 1000);

    let bad_token = client()
        .get(&url)
        .header("X-Plex-Client-Identifier", "test")
        .header("X-Plex-Token", "wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_token.status(), 401);
    assert!(
        bad_token
            .text()
            .await
            .unwrap()
            .contains("<error code=\"1001\"")
    );

    let user: serde_json::Value = client()
        .get(&url)
        .header("accept", "application/json")
        .header("X-Plex-Client-Identifier", "test")
        .header("X-Plex-Token", &sim.owner_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(user["username"], "demo-owner");
    sim.stop().await;
}

#[tokio::test]
async fn clients_plex_tv_serves_the_same_routes_and_unknown_ones_are_1002() {
    let sim = sim();
    let response = client()
        .get(format!("{}/api/v2/nope", sim.clients_plex_tv_url))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], 1002);
    sim.stop().await;
}

#[tokio::test]
async fn the_announcement_names_every_url_and_the_owner_token() {
    let sim = sim();
    let line = sim.announcement();
    for key in [
        "plex_tv_url",
        "clients_plex_tv_url",
        "pms_url",
        "owner_token",
    ] {
        assert!(line[key].as_str().is_some_and(|v| !v.is_empty()), "{key}");
    }
    sim.stop().await;
}

#[tokio::test]
async fn plex_client_reads_the_simulated_server() {
    let sim = sim();
    let identity = plex_client::ClientIdentity {
        product: "conformance".to_owned(),
        version: "0".to_owned(),
        client_identifier: "conformance-test".to_owned(),
        device_name: "test".to_owned(),
        platform: "linux".to_owned(),
    };
    let transport = plex_client::Transport::new(identity).unwrap();
    let anonymous = plex_client::Pms::new(transport.clone(), &sim.pms_url, None);
    let id = anonymous.identity().await.unwrap();
    assert_eq!(
        id.machine_identifier.as_str(),
        "5d2b7c9e1f3a4b6c8d0e2f4a6b8c0d1e3f5a7b9c"
    );
    assert!(id.claimed);
    assert!(matches!(
        anonymous.server_info().await,
        Err(plex_client::Error::Unauthorized { .. })
    ));

    let owner = plex_client::Pms::new(
        transport,
        &sim.pms_url,
        Some(plex_client::PlexToken::new(sim.owner_token.clone())),
    );
    assert_eq!(
        owner.server_info().await.unwrap().friendly_name,
        "Demo Media Server"
    );
    sim.stop().await;
}
