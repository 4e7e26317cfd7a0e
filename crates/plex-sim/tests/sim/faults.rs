//! Value formats, misbehaviour switches, the control API and scenario files (plex-api.md §0.3,
//! §8.3, §8.22).

use std::time::{Duration, Instant};

use plex_sim::{Faults, PlexSim, Scenario};

use crate::{client, pms, sim};

async fn get(url: String, token: &str, json: bool) -> reqwest::Response {
    let mut request = client()
        .get(url)
        .header("X-Plex-Token", token)
        .header("X-Plex-Client-Identifier", "t");
    if json {
        request = request.header("Accept", "application/json");
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn s8_03_booleans_and_timestamps_come_in_every_plex_format() {
    let sim = sim();
    let url = format!("{}/api/v2/user", sim.plex_tv_url);
    let json: serde_json::Value = get(url.clone(), &sim.owner_token, true)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json["home"], true, "JSON booleans are true/false");
    assert!(json["joinedAt"].is_u64(), "joinedAt is epoch seconds");
    assert_eq!(json["subscription"]["subscribedAt"], "2020-06-12T12:28:51Z");
    let xml = get(url, &sim.owner_token, false)
        .await
        .text()
        .await
        .unwrap();
    assert!(xml.contains(" home=\"1\""), "XML booleans are 1/0: {xml}");
    assert!(xml.contains("subscribedAt=\"2020-06-12 12:28:51 UTC\""));

    let users = get(
        format!("{}/api/users", sim.plex_tv_url),
        &sim.owner_token,
        false,
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(users.contains("lastSeenAt=\"17"), "v1 uses epoch seconds");

    let friends: serde_json::Value = get(
        format!(
            "{}/api/v2/friends?includeSharedServers=true",
            sim.plex_tv_url
        ),
        &sim.owner_token,
        true,
    )
    .await
    .json()
    .await
    .unwrap();
    let kid = friends
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == 2_200_002)
        .unwrap();
    assert!(
        kid["email"].is_null(),
        "v2 JSON says null for absent values"
    );
    let accepted_at = friends[0]["sharedServers"][0]["acceptedAt"]
        .as_str()
        .unwrap();
    assert!(
        accepted_at.ends_with('Z'),
        "shares use RFC 3339: {accepted_at}"
    );
    sim.stop().await;
}

#[tokio::test]
async fn s8_22_control_characters_break_strict_xml_but_not_the_client() {
    let sim = sim();
    sim.control.set_faults(Faults {
        control_characters: true,
        ..Faults::default()
    });
    let xml = get(
        format!("{}/status/sessions", sim.pms_url),
        &sim.owner_token,
        false,
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(xml.contains("title=\"\u{b}"), "a title carries \\x0b");
    // plex.tv v1 is XML whatever the client asks for: the client strips the character.
    let users = crate::owner_tv(&sim)
        .list_users(&plex_client::PlexToken::new(sim.owner_token.clone()))
        .await
        .unwrap();
    assert!(users.len() > 20);
    assert!(users.iter().all(|u| !u.title.contains('\u{b}')));
    sim.stop().await;
}

#[tokio::test]
async fn server_errors_are_answered_for_the_next_requests_then_recovery() {
    let sim = sim();
    sim.control.set_faults(Faults {
        server_errors: 2,
        ..Faults::default()
    });
    let url = format!("{}/identity", sim.pms_url);
    assert_eq!(get(url.clone(), "", false).await.status(), 503);
    // The retrying client sees one more 503, then success.
    let identity = pms(&sim, None).identity().await.unwrap();
    assert_eq!(identity.machine_identifier.as_str(), crate::MACHINE);
    assert_eq!(get(url, "", false).await.status(), 200);
    sim.stop().await;
}

#[tokio::test]
async fn slow_responses_are_delayed_by_the_asked_time() {
    let sim = sim();
    sim.control.set_faults(Faults {
        slow_ms: 300,
        ..Faults::default()
    });
    let started = Instant::now();
    get(format!("{}/identity", sim.pms_url), "", false).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    sim.stop().await;
}

#[tokio::test]
async fn accounts_sessions_and_libraries_are_driven_over_the_control_api() {
    let sim = sim();
    let base = &sim.plex_tv_url;
    let created: serde_json::Value = client()
        .post(format!("{base}/__sim/accounts"))
        .json(&serde_json::json!({"username": "walter", "friend": true}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_u64().unwrap();
    assert!(created["token"].as_str().is_some());
    let duplicate = client()
        .post(format!("{base}/__sim/accounts"))
        .json(&serde_json::json!({"username": "walter"}))
        .send()
        .await
        .unwrap();
    assert_eq!(duplicate.status(), 409);
    let users = get(format!("{base}/api/users"), &sim.owner_token, false)
        .await
        .text()
        .await
        .unwrap();
    assert!(users.contains("username=\"walter\""));
    let removed = client()
        .delete(format!("{base}/__sim/accounts/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    let users = get(format!("{base}/api/users"), &sim.owner_token, false)
        .await
        .text()
        .await
        .unwrap();
    assert!(!users.contains("walter"));

    let pms_base = &sim.pms_url;
    let stop = client()
        .delete(format!("{pms_base}/__sim/sessions/11"))
        .send()
        .await
        .unwrap();
    assert_eq!(stop.status(), 204);
    let sessions = pms(&sim, Some(&sim.owner_token)).sessions().await.unwrap();
    assert!(sessions.iter().all(|s| s.key.as_str() != "11"));

    let recreated: serde_json::Value = client()
        .post(format!("{pms_base}/__sim/libraries/1/recreate"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(recreated["key"], 21);
    sim.stop().await;
}

#[tokio::test]
async fn the_example_scenarios_load_and_describe_their_worlds() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let small = Scenario::load(&dir.join("small-server.json")).unwrap();
    assert_eq!(small.server.name, "Living Room");
    assert_eq!(small.friend_ids.len(), 4);
    assert!(small.shares.iter().any(|s| s.pending));
    assert!(
        small
            .shares
            .iter()
            .any(|s| s.invited_email.as_deref() == Some("new.friend@example.com"))
    );
    let flaky = Scenario::load(&dir.join("flaky-plex.json")).unwrap();
    assert!(flaky.faults.control_characters);

    let sim = PlexSim::builder().world(small).start().unwrap();
    assert_eq!(sim.owner_token, "small-owner-token");
    sim.stop().await;
}

#[test]
fn a_bad_scenario_names_the_problem() {
    let dir = tempfile_dir();
    let unknown_library = dir.join("bad.json");
    std::fs::write(
        &unknown_library,
        r#"{"base": "empty", "friends": [{"username": "x", "share": {"libraries": ["Nope"]}}]}"#,
    )
    .unwrap();
    let error = Scenario::load(&unknown_library).unwrap_err().to_string();
    assert!(error.contains("no library titled Nope"), "{error}");
    let typo = dir.join("typo.json");
    std::fs::write(&typo, r#"{"frends": []}"#).unwrap();
    let error = Scenario::load(&typo).unwrap_err().to_string();
    assert!(error.contains("frends"), "{error}");
    let missing = Scenario::load(&dir.join("missing.json")).unwrap_err();
    assert!(missing.to_string().contains("cannot read"));
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("plex-sim-scenarios-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn the_binary_serves_a_scenario_and_announces_it() {
    use tokio::io::AsyncBufReadExt;
    let scenario =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/small-server.json");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_plex-sim"))
        .args(["--bind", "127.0.0.1", "--scenario"])
        .arg(&scenario)
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let announcement: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(announcement["owner_token"], "small-owner-token");
    let root = get(
        format!("{}/", announcement["pms_url"].as_str().unwrap()),
        "small-owner-token",
        true,
    )
    .await;
    let root: serde_json::Value = root.json().await.unwrap();
    assert_eq!(root["MediaContainer"]["friendlyName"], "Living Room");
    child.kill().await.unwrap();
}
