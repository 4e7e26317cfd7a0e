//! The simulator's Plex behaviours (plex-api.md §0.3, §0.4, §2.1, §6.1, §6.2), checked over HTTP.
#![expect(
    clippy::unwrap_used,
    reason = "a failing step should stop the test loudly"
)]

use plex_sim::{PlexSim, RunningSim};

mod faults;
mod friends;

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().build().unwrap()
}

fn sim() -> RunningSim {
    PlexSim::builder().start().unwrap()
}

#[tokio::test]
async fn s8_18_pms_identity_needs_no_token_and_defaults_to_xml() {
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
async fn s8_05_pms_401_bodies_are_html() {
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
async fn s8_04_v2_needs_a_client_identifier_and_a_known_token() {
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
async fn s8_06_clients_plex_tv_serves_the_same_routes_and_unknown_ones_are_1002() {
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
    let transport = transport();
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

// --- PIN flow (plex-api.md §1, §8.7, §8.8) ---------------------------------------------------

async fn create_pin(sim: &RunningSim, client_id: &str, strong: bool) -> serde_json::Value {
    let response = client()
        .post(format!("{}/api/v2/pins?strong={strong}", sim.plex_tv_url))
        .header("accept", "application/json")
        .header("X-Plex-Client-Identifier", client_id)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "PIN creation answers 201 Created");
    response.json().await.unwrap()
}

async fn poll(sim: &RunningSim, id: u64, client_id: &str) -> reqwest::Response {
    client()
        .get(format!("{}/api/v2/pins/{id}", sim.plex_tv_url))
        .header("accept", "application/json")
        .header("X-Plex-Client-Identifier", client_id)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn s8_07_pins_are_created_with_201_strong_codes_are_long_and_short_codes_four_characters() {
    let sim = sim();
    let strong = create_pin(&sim, "app-1", true).await;
    assert_eq!(strong["code"].as_str().unwrap().len(), 25);
    assert_eq!(strong["expiresIn"], 1800);
    assert!(strong["authToken"].is_null());
    let short = create_pin(&sim, "app-1", false).await;
    assert_eq!(short["code"].as_str().unwrap().len(), 4);
    assert_eq!(short["expiresIn"], 900);
    assert_ne!(strong["id"], short["id"]);
    sim.stop().await;
}

#[tokio::test]
async fn s8_07_a_pin_has_no_token_until_approved_then_the_approving_account_token() {
    let sim = sim();
    let pin = create_pin(&sim, "app-1", true).await;
    let id = pin["id"].as_u64().unwrap();
    let before: serde_json::Value = poll(&sim, id, "app-1").await.json().await.unwrap();
    assert!(before["authToken"].is_null());

    sim.control.approve_pin(id, 1_000_001).unwrap();
    let after: serde_json::Value = poll(&sim, id, "app-1").await.json().await.unwrap();
    assert_eq!(after["authToken"], sim.owner_token.as_str());
    sim.stop().await;
}

#[tokio::test]
async fn s8_07_a_pin_is_hidden_from_another_installation() {
    let sim = sim();
    let id = create_pin(&sim, "app-1", true).await["id"]
        .as_u64()
        .unwrap();
    let response = poll(&sim, id, "app-2").await;
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], 1020);
    sim.stop().await;
}

#[tokio::test]
async fn s8_07_an_expired_pin_is_404_1020() {
    let sim = sim();
    let id = create_pin(&sim, "app-1", false).await["id"]
        .as_u64()
        .unwrap();
    assert_eq!(poll(&sim, id, "app-1").await.status(), 200);
    sim.control
        .advance_clock(std::time::Duration::from_secs(901));
    let response = poll(&sim, id, "app-1").await;
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["message"], "Code not found or expired");
    sim.stop().await;
}

#[tokio::test]
async fn s8_04_plex_headers_may_come_as_form_fields() {
    let sim = sim();
    let response = client()
        .post(format!("{}/api/v2/pins", sim.clients_plex_tv_url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("strong=true&X-Plex-Client-Identifier=form-app")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body = response.text().await.unwrap();
    assert!(body.contains("<pin id=\""), "{body}");
    assert!(body.contains("clientIdentifier=\"form-app\""), "{body}");
    assert!(!body.contains("authToken"), "XML omits a missing token");
    sim.stop().await;
}

#[tokio::test]
async fn s8_01_v2_answers_xml_unless_json_is_asked_for_by_header_or_suffix() {
    let sim = sim();
    let response = client()
        .post(format!(
            "{}/api/v2/pins.json?X-Plex-Client-Identifier=q-app",
            sim.plex_tv_url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["clientIdentifier"], "q-app");
    sim.stop().await;
}

#[tokio::test]
async fn s8_08_polling_too_often_is_rate_limited_with_429_1003() {
    let sim = sim();
    let id = create_pin(&sim, "app-1", true).await["id"]
        .as_u64()
        .unwrap();
    sim.control.set_faults(plex_sim::Faults {
        rate_limit_after: Some(2),
        ..plex_sim::Faults::default()
    });
    assert_eq!(poll(&sim, id, "app-1").await.status(), 200);
    assert_eq!(poll(&sim, id, "app-1").await.status(), 200);
    let limited = poll(&sim, id, "app-1").await;
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "1");
    let body: serde_json::Value = limited.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], 1003);
    sim.stop().await;
}

#[tokio::test]
async fn s8_04_the_legacy_422_invalid_token_can_be_switched_on() {
    let sim = sim();
    sim.control.set_faults(plex_sim::Faults {
        legacy_422: true,
        ..plex_sim::Faults::default()
    });
    let response = client()
        .get(format!("{}/api/v2/user?X-Plex-Token=nope", sim.plex_tv_url))
        .header("X-Plex-Client-Identifier", "app")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("<error>Invalid token</error>")
    );
    sim.stop().await;
}

#[tokio::test]
async fn the_journal_records_requests_with_their_plex_headers() {
    let sim = sim();
    create_pin(&sim, "journal-app", true).await;
    let journal = sim.control.journal();
    let entry = journal.iter().find(|e| e.path == "/api/v2/pins").unwrap();
    assert_eq!(entry.api, "plex.tv");
    assert_eq!(entry.method, "POST");
    assert_eq!(entry.status, 201);
    assert!(entry.plex_headers.contains(&(
        "x-plex-client-identifier".to_owned(),
        "journal-app".to_owned()
    )));
    let over_http: Vec<plex_sim::JournalEntry> = client()
        .get(format!("{}/__sim/journal", sim.plex_tv_url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(over_http.iter().any(|e| e.path == "/api/v2/pins"));
    sim.stop().await;
}

#[tokio::test]
async fn pins_can_be_approved_over_the_control_api() {
    let sim = sim();
    let id = create_pin(&sim, "app-1", true).await["id"]
        .as_u64()
        .unwrap();
    let approve = client()
        .post(format!(
            "{}/__sim/pins/{id}/approve?account=2000001",
            sim.plex_tv_url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(approve.status(), 204);
    let pin: serde_json::Value = poll(&sim, id, "app-1").await.json().await.unwrap();
    assert_eq!(pin["authToken"], "token-alice-2000001");
    let missing = client()
        .post(format!(
            "{}/__sim/pins/{id}/approve?account=42",
            sim.plex_tv_url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    sim.stop().await;
}

#[tokio::test]
async fn plex_client_signs_in_through_the_simulated_pin_flow() {
    let sim = sim();
    let tv = owner_tv(&sim);
    let pin = tv.create_pin(true).await.unwrap();
    assert!(pin.auth_token.is_none());
    sim.control.approve_pin(pin.id.get(), 1_000_001).unwrap();
    // The client serves polls within 2 s from its cache; this is the first poll.
    let approved = tv.poll_pin(pin.id).await.unwrap();
    let token = approved.auth_token.unwrap();
    let account = tv.account(&token).await.unwrap();
    assert_eq!(account.id.get(), 1_000_001);
    assert_eq!(account.username, "demo-owner");
    assert!(account.plex_pass);
    assert!(tv.ping(&token).await.unwrap());
    sim.stop().await;
}

// --- Users (plex-api.md §5.1, §8.1, §8.9) ------------------------------------------------------

async fn users_xml(sim: &RunningSim, token: &str) -> reqwest::Response {
    client()
        .get(format!("{}/api/users", sim.plex_tv_url))
        .header("accept", "application/json")
        .header("X-Plex-Token", token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn s8_01_v1_is_xml_even_when_json_is_asked_for() {
    let sim = sim();
    let response = users_xml(&sim, &sim.owner_token).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/xml");
    assert!(response.text().await.unwrap().contains("<MediaContainer"));
    sim.stop().await;
}

#[tokio::test]
async fn s8_09_v1_users_never_lists_the_admin() {
    let sim = sim();
    let body = users_xml(&sim, &sim.owner_token)
        .await
        .text()
        .await
        .unwrap();
    assert!(!body.contains("id=\"1000001\""), "{body}");
    assert!(body.contains("username=\"alice\""));
    sim.stop().await;
}

#[tokio::test]
async fn s8_05_v1_errors_are_response_elements() {
    let sim = sim();
    let response = users_xml(&sim, "token-alice-2000001").await;
    assert_eq!(response.status(), 401);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("<Response code=\"401\"")
    );
    sim.stop().await;
}

#[tokio::test]
async fn s8_09_users_carry_pending_all_libraries_and_share_only_friends() {
    let sim = sim();
    let tv = owner_tv(&sim);
    let users = tv
        .list_users(&plex_client::PlexToken::new(sim.owner_token.clone()))
        .await
        .unwrap();
    let machine = plex_client::MachineIdentifier::new("5d2b7c9e1f3a4b6c8d0e2f4a6b8c0d1e3f5a7b9c");
    assert_eq!(users.len(), 27);
    assert!(users.iter().all(|u| u.id.get() != 1_000_001));
    let shared: Vec<_> = users.iter().filter_map(|u| u.share_of(&machine)).collect();
    assert_eq!(shared.len(), 26);
    assert!(shared.iter().any(|s| s.pending), "some invites are pending");
    assert!(
        shared.iter().any(|s| s.all_libraries),
        "some shares are all libraries"
    );
    assert!(
        shared
            .iter()
            .any(|s| !s.all_libraries && s.num_libraries >= 2)
    );

    let kid = users.iter().find(|u| u.id.get() == 2_200_002).unwrap();
    assert!(kid.home && kid.restricted);
    assert_eq!(
        (kid.username.as_deref(), kid.email.as_deref()),
        (None, None)
    );
    let back = users.iter().find(|u| u.id.get() == 2_100_001).unwrap();
    assert!(
        back.servers.is_empty(),
        "a friend who only shares to the owner has no share"
    );
    sim.stop().await;
}

#[test]
fn the_large_world_has_the_asked_number_of_shared_friends() {
    let world = plex_sim::World::large(10_000);
    assert_eq!(world.friend_ids.len(), 10_000);
    assert_eq!(world.shares.len(), 10_000);
}

// --- Servers, resources, Home, retired endpoints (§3, §4, §5.10, §8.14, §8.15) -----------------

fn transport() -> plex_client::Transport {
    plex_client::Transport::new(plex_client::ClientIdentity {
        product: "conformance".to_owned(),
        version: "0".to_owned(),
        client_identifier: "conformance-tests".to_owned(),
        device_name: "test".to_owned(),
        platform: "linux".to_owned(),
    })
    .unwrap()
}

fn owner_tv(sim: &RunningSim) -> plex_client::PlexTv {
    plex_client::PlexTv::new(
        transport(),
        plex_client::PlexTvUrls {
            plex_tv: sim.plex_tv_url.clone(),
            clients_plex_tv: sim.clients_plex_tv_url.clone(),
            ..plex_client::PlexTvUrls::default()
        },
    )
}

const MACHINE: &str = "5d2b7c9e1f3a4b6c8d0e2f4a6b8c0d1e3f5a7b9c";

#[tokio::test]
async fn the_server_document_joins_pms_keys_to_plex_tv_ids_for_every_library() {
    let sim = sim();
    let doc = owner_tv(&sim)
        .server_document(
            &plex_client::PlexToken::new(sim.owner_token.clone()),
            &plex_client::MachineIdentifier::new(MACHINE),
        )
        .await
        .unwrap();
    assert_eq!(doc.name, "Demo Media Server");
    assert_eq!(doc.sections.len(), 20, "5 libraries of each of 4 types");
    for kind in ["movie", "show", "artist", "photo"] {
        assert_eq!(
            doc.sections.iter().filter(|s| s.kind == kind).count(),
            5,
            "{kind}"
        );
    }
    let first = &doc.sections[0];
    assert_eq!(first.key.as_str(), "1");
    assert_eq!(first.id.get(), 118_181_361);
    assert_ne!(first.id.get().to_string(), first.key.as_str());
    sim.stop().await;
}

#[tokio::test]
async fn an_unknown_server_document_is_not_found() {
    let sim = sim();
    let err = owner_tv(&sim)
        .server_document(
            &plex_client::PlexToken::new(sim.owner_token.clone()),
            &plex_client::MachineIdentifier::new("nope"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, plex_client::Error::NotFound { .. }),
        "{err:?}"
    );
    sim.stop().await;
}

#[tokio::test]
async fn s8_15_resources_mark_servers_shared_with_the_owner_as_not_owned() {
    let sim = sim();
    let resources = owner_tv(&sim)
        .resources(&plex_client::PlexToken::new(sim.owner_token.clone()))
        .await
        .unwrap();
    let own = resources.iter().find(|r| r.owned).unwrap();
    assert!(own.is_server() && own.presence);
    assert_eq!(own.client_identifier.as_str(), MACHINE);
    assert_eq!(
        own.best_connection().unwrap().uri,
        sim.pms_url,
        "local before relay"
    );
    let shared: Vec<(Option<u64>, Option<&str>)> = resources
        .iter()
        .filter(|r| !r.owned)
        .map(|r| {
            (
                r.owner_id.map(plex_client::PlexAccountId::get),
                r.source_title.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        shared,
        [
            (Some(2_000_001), Some("alice")),
            (Some(2_100_001), Some("sharesback"))
        ],
        "a friend with a share who shares back, and one who only shares back"
    );
    sim.stop().await;
}

#[tokio::test]
async fn s8_02_v2_xml_uses_lower_camel_case_elements() {
    let sim = sim();
    let body = client()
        .get(format!("{}/api/v2/resources", sim.plex_tv_url))
        .header("X-Plex-Client-Identifier", "x")
        .header("X-Plex-Token", &sim.owner_token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("<resource "), "{body}");
    assert!(body.contains("<connections><connection "), "{body}");
    assert!(body.contains("owned=\"1\""), "{body}");
    sim.stop().await;
}

#[tokio::test]
async fn s8_09_home_users_include_the_admin_and_a_managed_user_without_email() {
    let sim = sim();
    let body = client()
        .get(format!("{}/api/home/users", sim.plex_tv_url))
        .header("X-Plex-Token", &sim.owner_token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.contains("id=\"1000001\" uuid=\"00000000000f4241\" admin=\"1\""),
        "{body}"
    );
    assert!(
        body.contains("restricted=\"1\" hasPassword=\"0\" protected=\"0\" title=\"kid\" thumb"),
        "{body}"
    );
    assert!(body.contains("guestUserID="));
    sim.stop().await;
}

#[tokio::test]
async fn s8_14_retired_endpoints_answer_410_with_plex_exact_body() {
    let sim = sim();
    for path in [
        "/api/friends/123",
        "/api/invites/requested",
        "/api/invites/requests",
        "/pms/friends/all",
    ] {
        let response = client()
            .get(format!("{}{path}", sim.plex_tv_url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 410, "{path}");
        assert!(response.text().await.unwrap().contains(
            "<Response code=\"410\" status=\"This endpoint was deprecated and removed\"/>"
        ));
    }
    sim.stop().await;
}

// --- Sharing (§4, §5.2, §5.5–5.7, §8.10–8.13) --------------------------------------------------

async fn v1_share(sim: &RunningSim, body: &serde_json::Value) -> reqwest::Response {
    client()
        .post(format!(
            "{}/api/servers/{MACHINE}/shared_servers",
            sim.plex_tv_url
        ))
        .header("X-Plex-Token", &sim.owner_token)
        .json(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn s8_10_sharing_rejects_pms_keys_foreign_ids_and_an_empty_list() {
    let sim = sim();
    sim.control.set_faults(plex_sim::Faults::default());
    // A new account that is not yet shared with.
    for ids in [
        serde_json::json!([1, 2]),
        serde_json::json!([999]),
        serde_json::json!([]),
    ] {
        let response = v1_share(
            &sim,
            &serde_json::json!({
                "server_id": MACHINE,
                "shared_server": {"library_section_ids": ids, "invited_email": "new@example.com"},
            }),
        )
        .await;
        assert_eq!(response.status(), 400, "{ids}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("<Response code=\"400\"")
        );
    }
    sim.stop().await;
}

#[tokio::test]
async fn s8_11_inviting_an_already_shared_user_is_a_400_already_sharing() {
    let sim = sim();
    let response = v1_share(
        &sim,
        &serde_json::json!({
            "server_id": MACHINE,
            "shared_server": {"library_section_ids": [118_181_361], "invited_email": "alice"},
        }),
    )
    .await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains(
        "You're already sharing this server with alice. Please edit your existing share."
    ));
    sim.stop().await;
}

#[tokio::test]
async fn s8_11_an_invite_to_an_email_without_account_is_pending_with_no_user() {
    let sim = sim();
    let response = v1_share(
        &sim,
        &serde_json::json!({
            "server_id": MACHINE,
            "shared_server": {"library_section_ids": [118_181_361], "invited_email": "nobody@example.com"},
            "sharing_settings": {"allowSync": "1", "filterMovies": "contentRating=G%2CPG"},
        }),
    )
    .await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("email=\"nobody@example.com\" userID=\"0\""),
        "{body}"
    );
    assert!(body.contains("acceptedAt=\"\""), "pending: {body}");
    assert!(
        body.contains("filterMovies=\"contentRating=G%2CPG\""),
        "filters echoed verbatim: {body}"
    );
    sim.stop().await;
}

#[tokio::test]
async fn s8_10_shared_servers_lists_every_section_with_a_shared_flag() {
    let sim = sim();
    let body = client()
        .get(format!(
            "{}/api/servers/{MACHINE}/shared_servers",
            sim.plex_tv_url
        ))
        .header("X-Plex-Token", &sim.owner_token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let first = body.split("</SharedServer>").next().unwrap();
    assert_eq!(
        first.matches("<Section ").count(),
        20,
        "every section, shared or not"
    );
    assert!(first.contains("shared=\"1\"") && first.contains("shared=\"0\""));
    assert!(first.contains("accessToken=\"server-token-"));
    sim.stop().await;
}

#[tokio::test]
async fn s8_12_a_share_id_is_not_a_user_id() {
    let sim = sim();
    let response = client()
        .put(format!("{}/api/servers/{MACHINE}/shared_servers/2000001", sim.plex_tv_url))
        .header("X-Plex-Token", &sim.owner_token)
        .json(&serde_json::json!({"server_id": MACHINE, "shared_server": {"library_section_ids": [118_181_361]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    sim.stop().await;
}

#[tokio::test]
async fn s8_13_the_v1_put_replaces_the_library_set() {
    let sim = sim();
    let tv = owner_tv(&sim);
    let token = plex_client::PlexToken::new(sim.owner_token.clone());
    let machine = plex_client::MachineIdentifier::new(MACHINE);
    let doc = tv.server_document(&token, &machine).await.unwrap();
    let movies = doc.sections[0].id;
    let shows = doc.sections[1].id;

    let share = tv
        .share_server(
            &token,
            &machine,
            &plex_client::tv::Invitee::Email("newfriend@example.com".to_owned()),
            &[movies, shows],
            &plex_client::tv::ShareSettings::default(),
        )
        .await
        .unwrap();
    let listed = tv.shared_servers(&token, &machine).await.unwrap();
    let created = listed.iter().find(|s| s.id == share).unwrap();
    assert!(created.pending && created.user_id.is_none());
    assert_eq!(created.sections.iter().filter(|s| s.shared).count(), 2);

    tv.update_shared_libraries(&token, &machine, share, &[shows])
        .await
        .unwrap();
    let updated = tv.shared_servers(&token, &machine).await.unwrap();
    let shared: Vec<_> = updated
        .iter()
        .find(|s| s.id == share)
        .unwrap()
        .sections
        .iter()
        .filter(|s| s.shared)
        .map(|s| s.id)
        .collect();
    assert_eq!(shared, vec![shows], "the PUT replaces the set");

    tv.remove_shared_server(&token, &machine, share)
        .await
        .unwrap();
    assert!(
        tv.shared_servers(&token, &machine)
            .await
            .unwrap()
            .iter()
            .all(|s| s.id != share)
    );
    let again = tv
        .remove_shared_server(&token, &machine, share)
        .await
        .unwrap_err();
    assert!(
        matches!(again, plex_client::Error::NotFound { .. }),
        "{again:?}"
    );
    sim.stop().await;
}

#[tokio::test]
async fn already_sharing_reaches_the_client_as_plex_rejection() {
    let sim = sim();
    let tv = owner_tv(&sim);
    let err = tv
        .share_server(
            &plex_client::PlexToken::new(sim.owner_token.clone()),
            &plex_client::MachineIdentifier::new(MACHINE),
            &plex_client::tv::Invitee::Account(plex_client::PlexAccountId::new(2_000_001)),
            &[plex_client::PlexTvSectionId::new(118_181_361)],
            &plex_client::tv::ShareSettings::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, plex_client::Error::Rejected { status: 400, ref message, .. } if message.contains("already sharing")),
        "{err:?}"
    );
    sim.stop().await;
}

#[tokio::test]
async fn route_b_creates_a_share_with_201() {
    let sim = sim();
    let tv = owner_tv(&sim).with_share_route(plex_client::tv::ShareRoute::V2);
    let share = tv
        .share_server(
            &plex_client::PlexToken::new(sim.owner_token.clone()),
            &plex_client::MachineIdentifier::new(MACHINE),
            &plex_client::tv::Invitee::Email("v2friend@example.com".to_owned()),
            &[plex_client::PlexTvSectionId::new(118_181_362)],
            &plex_client::tv::ShareSettings {
                allow_sync: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let journal = sim.control.journal();
    let entry = journal
        .iter()
        .find(|e| e.path == "/api/v2/shared_servers")
        .unwrap();
    assert_eq!(entry.status, 201);
    assert!(share.get() > 0);
    sim.stop().await;
}

#[tokio::test]
async fn s8_10_recreating_a_library_changes_both_ids_and_drops_it_from_shares() {
    let sim = sim();
    let (key, id) = sim.control.delete_and_recreate_library(1).unwrap();
    assert_ne!(key, 1);
    assert_ne!(id, 118_181_361);
    let tv = owner_tv(&sim);
    let token = plex_client::PlexToken::new(sim.owner_token.clone());
    let machine = plex_client::MachineIdentifier::new(MACHINE);
    let doc = tv.server_document(&token, &machine).await.unwrap();
    assert!(doc.sections.iter().all(|s| s.id.get() != 118_181_361));
    assert!(
        doc.sections
            .iter()
            .any(|s| s.id.get() == id && s.key.as_str() == key.to_string())
    );
    // The old id is no longer accepted.
    let err = tv
        .share_server(
            &token,
            &machine,
            &plex_client::tv::Invitee::Email("x@example.com".to_owned()),
            &[plex_client::PlexTvSectionId::new(118_181_361)],
            &plex_client::tv::ShareSettings::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, plex_client::Error::Rejected { status: 400, .. }),
        "{err:?}"
    );
    sim.stop().await;
}

#[tokio::test]
async fn removing_a_friend_and_a_home_user_takes_them_off_the_user_list() {
    let sim = sim();
    let tv = owner_tv(&sim);
    let token = plex_client::PlexToken::new(sim.owner_token.clone());
    tv.remove_friend(&token, plex_client::PlexAccountId::new(2_000_002))
        .await
        .unwrap();
    tv.remove_home_user(&token, plex_client::PlexAccountId::new(2_200_002))
        .await
        .unwrap();
    let users = tv.list_users(&token).await.unwrap();
    assert!(
        users
            .iter()
            .all(|u| u.id.get() != 2_000_002 && u.id.get() != 2_200_002)
    );
    let err = tv
        .remove_home_user(&token, plex_client::PlexAccountId::new(2_000_003))
        .await
        .unwrap_err();
    assert!(
        matches!(err, plex_client::Error::NotFound { .. }),
        "not a Home user: {err:?}"
    );
    sim.stop().await;
}

// --- PMS sessions, terminate, libraries, accounts (§6, §8.17–8.20) ------------------------------

fn pms(sim: &RunningSim, token: Option<&str>) -> plex_client::Pms {
    plex_client::Pms::new(
        transport(),
        &sim.pms_url,
        token.map(|t| plex_client::PlexToken::new(t.to_owned())),
    )
}

async fn sessions_xml(sim: &RunningSim) -> String {
    client()
        .get(format!("{}/status/sessions", sim.pms_url))
        .header("X-Plex-Token", &sim.owner_token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn s8_19_sessions_use_video_for_episodes_track_for_music_and_never_episode() {
    let sim = sim();
    let body = sessions_xml(&sim).await;
    assert!(body.contains("<Video sessionKey=\"12\"") && body.contains("type=\"episode\""));
    assert!(body.contains("<Track sessionKey=\"13\""));
    assert!(!body.contains("<Episode"));
    assert!(
        body.contains("<User id=\"1\" title=\"demo-owner\"/>"),
        "the owner is account 1"
    );
    assert!(body.contains("size=\"-22\""), "negative transcode size");
    assert!(body.contains("address=\"::ffff:10.0.0.5\""));
    assert!(
        body.contains("guid=\"library://theme/1\""),
        "theme music is present"
    );
    sim.stop().await;
}

#[tokio::test]
async fn s8_19_the_client_reads_sessions_with_true_progress_and_without_theme_music() {
    let sim = sim();
    let sessions = pms(&sim, Some(&sim.owner_token)).sessions().await.unwrap();
    assert_eq!(sessions.len(), 4, "theme music is not a session");
    let bob = sessions.iter().find(|s| s.key.as_str() == "12").unwrap();
    let progress = bob.progress().unwrap();
    assert!(
        (progress - 0.78).abs() < 0.01,
        "viewOffset/duration, not 96.4 %: {progress}"
    );
    assert_eq!(bob.transcode.as_ref().unwrap().buffer_progress, Some(96.4));
    assert!(bob.is_transcoding());
    assert_eq!(bob.address, "10.0.0.5");
    assert!(!bob.local);
    let alice = sessions.iter().find(|s| s.key.as_str() == "11").unwrap();
    assert!(
        alice.transcode.is_none(),
        "direct play has no TranscodeSession"
    );
    let owner = sessions.iter().find(|s| s.key.as_str() == "14").unwrap();
    assert_eq!(owner.viewer, plex_client::pms::Viewer::Owner);
    assert!(owner.id.is_none(), "a session without <Session>");
    sim.stop().await;
}

#[tokio::test]
async fn s8_20_terminate_keys_on_session_id_and_records_the_reason() {
    let sim = sim();
    let pms = pms(&sim, Some(&sim.owner_token));
    let alice = pms
        .sessions()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.key.as_str() == "11")
        .unwrap();
    pms.terminate_session(alice.id.as_ref().unwrap(), "Server maintenance")
        .await
        .unwrap();
    assert!(
        pms.sessions()
            .await
            .unwrap()
            .iter()
            .all(|s| s.key.as_str() != "11")
    );
    assert_eq!(
        sim.control.terminations(),
        vec![(
            alice.id.unwrap().as_str().to_owned(),
            "Server maintenance".to_owned()
        )]
    );
    sim.stop().await;
}

#[tokio::test]
async fn s8_20_terminate_with_session_key_returns_404_and_an_empty_id_403() {
    let sim = sim();
    let url = |id: &str| {
        format!(
            "{}/status/sessions/terminate?sessionId={id}&reason=x",
            sim.pms_url
        )
    };
    let by_key = client()
        .get(url("12"))
        .header("X-Plex-Token", &sim.owner_token)
        .send()
        .await
        .unwrap();
    assert_eq!(by_key.status(), 404);
    let empty = client()
        .post(url(""))
        .header("X-Plex-Token", &sim.owner_token)
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 403);
    sim.stop().await;
}

#[tokio::test]
async fn s8_20_terminate_without_plex_pass_is_401() {
    let mut world = plex_sim::World::demo();
    if let Some(owner) = world.accounts.iter_mut().find(|a| a.id == 1_000_001) {
        owner.plex_pass = false;
    }
    let sim = PlexSim::builder().world(world).start().unwrap();
    let err = pms(&sim, Some(&sim.owner_token))
        .terminate_session(
            &plex_client::PmsSessionId::new("sess0011abcdefghijklmnopqrst"),
            "x",
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, plex_client::Error::Unauthorized { .. }),
        "{err:?}"
    );
    sim.stop().await;
}

#[tokio::test]
async fn s8_02_pms_json_omits_empty_metadata() {
    let mut world = plex_sim::World::demo();
    world.sessions.clear();
    let sim = PlexSim::builder().world(world).start().unwrap();
    let body: serde_json::Value = client()
        .get(format!("{}/status/sessions", sim.pms_url))
        .header("accept", "application/json")
        .header("X-Plex-Token", &sim.owner_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(body["MediaContainer"].get("Metadata").is_none(), "{body}");
    assert!(
        pms(&sim, Some(&sim.owner_token))
            .sessions()
            .await
            .unwrap()
            .is_empty()
    );
    sim.stop().await;
}

#[tokio::test]
async fn s8_17_a_friend_server_token_sees_only_shared_libraries_and_no_sessions() {
    let sim = sim();
    let tv = owner_tv(&sim);
    let token = plex_client::PlexToken::new(sim.owner_token.clone());
    let machine = plex_client::MachineIdentifier::new(MACHINE);
    let all_shares = tv.shared_servers(&token, &machine).await.unwrap();
    let alice = all_shares
        .iter()
        .find(|s| s.user_id == Some(plex_client::PlexAccountId::new(2_000_001)))
        .unwrap();
    let shared: Vec<_> = alice
        .sections
        .iter()
        .filter(|s| s.shared)
        .map(|s| s.key.clone())
        .collect();
    let friend_token = alice.access_token.clone().unwrap();
    let friend_pms = plex_client::Pms::new(transport(), &sim.pms_url, Some(friend_token));
    let visible: Vec<_> = friend_pms
        .library_sections()
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.key)
        .collect();
    assert_eq!(visible, shared);
    assert!(matches!(
        friend_pms.sessions().await.unwrap_err(),
        plex_client::Error::Unauthorized { .. }
    ));
    let owner_libraries = pms(&sim, Some(&sim.owner_token))
        .library_sections()
        .await
        .unwrap();
    assert_eq!(owner_libraries.len(), 20);
    sim.stop().await;
}

#[tokio::test]
async fn accounts_list_zero_without_name_one_as_owner_and_friends() {
    let sim = sim();
    let body = client()
        .get(format!("{}/accounts", sim.pms_url))
        .header("X-Plex-Token", &sim.owner_token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("<Account id=\"0\" key=\"/accounts/0\" name=\"\"/>"));
    assert!(body.contains("<Account id=\"1\" key=\"/accounts/1\" name=\"demo-owner\"/>"));
    assert!(body.contains("id=\"2000001\""));
    sim.stop().await;
}

// --- History and paging (§6.5, §6.8, §8.21) ------------------------------------------------------

#[tokio::test]
async fn s8_21_history_pages_by_header_or_query_and_always_reports_totals() {
    let sim = sim();
    let page = |by_header: bool| {
        let mut request = client()
            .get(format!("{}/status/sessions/history/all", sim.pms_url))
            .header("accept", "application/json")
            .header("X-Plex-Token", &sim.owner_token);
        request = if by_header {
            request
                .header("X-Plex-Container-Start", "10")
                .header("X-Plex-Container-Size", "5")
        } else {
            request.query(&[
                ("X-Plex-Container-Start", "10"),
                ("X-Plex-Container-Size", "5"),
            ])
        };
        request.send()
    };
    for by_header in [true, false] {
        let body: serde_json::Value = page(by_header).await.unwrap().json().await.unwrap();
        let container = &body["MediaContainer"];
        assert_eq!(container["offset"], 10, "{by_header}");
        assert_eq!(container["size"], 5);
        assert_eq!(container["totalSize"], 270, "90 days, three plays a day");
    }
    sim.stop().await;
}

#[tokio::test]
async fn s8_21_history_understands_viewed_at_with_the_operator_in_the_key() {
    let sim = sim();
    let since = 1_764_000_000 - 2 * 86_400;
    let body = client()
        .get(format!(
            "{}/status/sessions/history/all?sort=viewedAt:desc&viewedAt>={since}",
            sim.pms_url
        ))
        .header("X-Plex-Token", &sim.owner_token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.contains("totalSize=\"7\""),
        "days 0, 1 and the first play of day 2: {body}"
    );
    sim.stop().await;
}

#[tokio::test]
async fn the_client_reads_all_history_across_pages_with_filters() {
    let sim = sim();
    let pms = pms(&sim, Some(&sim.owner_token));
    let all = pms
        .history(&plex_client::pms::HistoryQuery::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 270, "three pages of 100");
    assert!(
        all.windows(2).all(|w| w[0].viewed_at >= w[1].viewed_at),
        "newest first"
    );
    let owner_only = pms
        .history(&plex_client::pms::HistoryQuery {
            viewer: Some(plex_client::pms::Viewer::Owner),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(!owner_only.is_empty());
    assert!(
        owner_only
            .iter()
            .all(|h| h.viewer == plex_client::pms::Viewer::Owner)
    );
    let journal = sim.control.journal();
    let requests: Vec<_> = journal
        .iter()
        .filter(|e| e.path == "/status/sessions/history/all")
        .collect();
    assert!(requests.len() >= 3);
    assert!(
        requests[1]
            .plex_headers
            .contains(&("x-plex-container-start".to_owned(), "100".to_owned()))
    );
    sim.stop().await;
}
