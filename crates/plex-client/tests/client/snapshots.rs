//! Every endpoint's captured-shape fixture (XML and JSON where Plex has both), parsed into the
//! public types and snapshotted. A change in what the client reads shows up as a snapshot diff.

use plex_client::tv::FriendStatus;
use plex_client::{MachineIdentifier, PinId, PlexToken, Pms, SharedServerId, Transport};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{fixture, identity, plex_tv};

/// A mock server answering `verb path` with the fixture, typed by its extension.
async fn serving(verb: &str, route: &str, name: &str) -> MockServer {
    let server = MockServer::start().await;
    mount(&server, verb, route, name).await;
    server
}

async fn mount(server: &MockServer, verb: &str, route: &str, name: &str) {
    let json = std::path::Path::new(name)
        .extension()
        .is_some_and(|ext| ext == "json");
    let content_type = if json {
        "application/json"
    } else {
        "application/xml"
    };
    let status = if verb == "POST" && name.contains("pins") {
        201
    } else {
        200
    };
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_raw(fixture(name), content_type))
        .mount(server)
        .await;
}

fn owner() -> PlexToken {
    PlexToken::new("owner-token")
}

fn pms(server: &MockServer) -> Pms {
    Pms::new(
        Transport::new(identity()).unwrap(),
        &server.uri(),
        Some(owner()),
    )
}

#[tokio::test]
async fn pins_in_json_and_xml() {
    for name in ["tv/api/v2/pins/new.json", "tv/api/v2/pins/new.xml"] {
        let server = serving("POST", "/api/v2/pins", name).await;
        let pin = plex_tv(&server).create_pin(true).await.unwrap();
        insta::assert_debug_snapshot!("pin_created", pin);
    }
    for name in ["tv/api/v2/pins/linked.json", "tv/api/v2/pins/linked.xml"] {
        let server = serving("GET", "/api/v2/pins/111222333", name).await;
        let pin = plex_tv(&server)
            .poll_pin(PinId::new(111_222_333))
            .await
            .unwrap();
        assert_eq!(
            pin.auth_token,
            Some(PlexToken::new("linked-token-value")),
            "{name}"
        );
        insta::assert_debug_snapshot!("pin_linked", pin);
    }
}

#[tokio::test]
async fn the_account_in_json_and_xml() {
    for name in ["tv/api/v2/user.json", "tv/api/v2/user.xml"] {
        let server = serving("GET", "/api/v2/user", name).await;
        let account = plex_tv(&server).account(&owner()).await.unwrap();
        insta::assert_debug_snapshot!("account", account);
    }
}

#[tokio::test]
async fn resources_in_json_and_xml() {
    let server = serving("GET", "/api/v2/resources", "tv/api/v2/resources.json").await;
    let resources = plex_tv(&server).resources(&owner()).await.unwrap();
    insta::assert_debug_snapshot!("resources_json", resources);
    let server = serving("GET", "/api/v2/resources", "tv/api/v2/resources.xml").await;
    let resources = plex_tv(&server).resources(&owner()).await.unwrap();
    insta::assert_debug_snapshot!("resources_xml", resources);
}

#[tokio::test]
async fn server_documents_v1_and_v2_in_json_and_xml() {
    let machine = MachineIdentifier::new("abc123");
    let server = serving("GET", "/api/servers/abc123", "tv/api/servers/mid.xml").await;
    let v1 = plex_tv(&server)
        .server_document(&owner(), &machine)
        .await
        .unwrap();
    insta::assert_debug_snapshot!("server_document_v1", v1);
    for name in ["tv/api/v2/servers/mid.json", "tv/api/v2/servers/mid.xml"] {
        let server = serving("GET", "/api/v2/servers/abc123", name).await;
        let v2 = plex_tv(&server)
            .server_document_v2(&owner(), &machine)
            .await
            .unwrap();
        insta::assert_debug_snapshot!("server_document_v2", v2);
    }
    let server = serving(
        "GET",
        "/api/v2/servers/abc123",
        "tv/api/v2/servers/mid_empty_sections.json",
    )
    .await;
    let flaky = plex_tv(&server)
        .server_document_v2(&owner(), &machine)
        .await
        .unwrap();
    assert!(
        flaky.sections.is_empty(),
        "an empty list is reported as-is, not an error"
    );
}

#[tokio::test]
async fn home_users_and_a_created_managed_user() {
    let server = serving("GET", "/api/home/users", "tv/api/home/users.xml").await;
    let home = plex_tv(&server).home_users(&owner()).await.unwrap();
    insta::assert_debug_snapshot!("home_users", home);
    let server = serving("POST", "/api/home/users", "tv/api/home/users_created.xml").await;
    let id = plex_tv(&server)
        .create_managed_user(&owner(), "Grandma")
        .await
        .unwrap();
    assert_eq!(id.get(), 33_445_566);
}

#[tokio::test]
async fn v1_shared_servers_with_an_email_invite() {
    let server = serving(
        "GET",
        "/api/servers/abc123/shared_servers",
        "tv/api/servers/mid/shared_servers.xml",
    )
    .await;
    let shares = plex_tv(&server)
        .shared_servers(&owner(), &MachineIdentifier::new("abc123"))
        .await
        .unwrap();
    insta::assert_debug_snapshot!("shared_servers_v1", shares);
}

#[tokio::test]
async fn v2_friends_with_shares_a_managed_user_and_a_pending_invite() {
    let server = serving("GET", "/api/v2/friends", "tv/api/v2/friends.json").await;
    let friends = plex_tv(&server).friends(&owner(), None).await.unwrap();
    insta::assert_debug_snapshot!("friends", friends);
    let request = &server.received_requests().await.unwrap()[0];
    let query = request.url.query().unwrap_or_default();
    assert!(
        query.contains("includeSharedServers=true"),
        "without it plex.tv leaves sharedServers empty: {query}"
    );
    let server = serving("GET", "/api/v2/friends", "tv/api/v2/friends.json").await;
    plex_tv(&server)
        .friends(&owner(), Some(&FriendStatus::PendingSent))
        .await
        .unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    assert!(
        request
            .url
            .query()
            .unwrap_or_default()
            .contains("status=pending_sent")
    );
}

#[tokio::test]
async fn v2_shares_accepted_pending_received_and_created() {
    let server = serving(
        "GET",
        "/api/v2/shared_servers/owned/accepted",
        "tv/api/v2/shared_servers/owned_accepted.json",
    )
    .await;
    let accepted = plex_tv(&server).accepted_shares(&owner()).await.unwrap();
    insta::assert_debug_snapshot!("shares_accepted", accepted);

    let server = serving(
        "GET",
        "/api/v2/shared_servers/invites/owned/pending",
        "tv/api/v2/shared_servers/invites_owned_pending.json",
    )
    .await;
    let pending = plex_tv(&server).pending_invites(&owner()).await.unwrap();
    insta::assert_debug_snapshot!("shares_pending", pending);

    let server = serving(
        "GET",
        "/api/v2/shared_servers/invites/received/pending",
        "tv/api/v2/shared_servers/invites_received_pending.json",
    )
    .await;
    let received = plex_tv(&server)
        .received_invites(&PlexToken::new("invitee-token"))
        .await
        .unwrap();
    insta::assert_debug_snapshot!("invites_received", received);

    let server = serving(
        "POST",
        "/api/v2/shared_servers/1",
        "tv/api/v2/shared_servers/create.json",
    )
    .await;
    let updated = plex_tv(&server)
        .update_share(
            &owner(),
            SharedServerId::new(1),
            &accepted[0].settings,
            &[plex_client::PlexTvSectionId::new(1001)],
        )
        .await
        .unwrap();
    assert_eq!(updated, accepted[0], "the echo reads like the listing");
}

#[tokio::test]
async fn pms_identity_and_root_in_json_and_xml() {
    for name in ["pms/identity.json", "pms/identity.xml"] {
        let server = serving("GET", "/identity", name).await;
        let identity = pms(&server).identity().await.unwrap();
        insta::assert_debug_snapshot!("pms_identity", identity);
    }
    for name in ["pms/root.json", "pms/root.xml"] {
        let server = serving("GET", "/", name).await;
        let info = pms(&server).server_info().await.unwrap();
        insta::assert_debug_snapshot!("pms_root", info);
    }
}

#[tokio::test]
async fn pms_library_sections_in_json_and_xml() {
    for name in ["pms/library/sections.json", "pms/library/sections.xml"] {
        let server = serving("GET", "/library/sections", name).await;
        let sections = pms(&server).library_sections().await.unwrap();
        insta::assert_debug_snapshot!("pms_sections", sections);
    }
}

#[tokio::test]
async fn pms_sessions_in_json_and_xml_read_the_same() {
    for name in ["pms/status/sessions.json", "pms/status/sessions.xml"] {
        let server = serving("GET", "/status/sessions", name).await;
        let sessions = pms(&server).sessions().await.unwrap();
        insta::assert_debug_snapshot!("pms_sessions", sessions);
    }
    for name in [
        "pms/status/sessions_empty.json",
        "pms/status/sessions_empty.xml",
    ] {
        let server = serving("GET", "/status/sessions", name).await;
        assert!(pms(&server).sessions().await.unwrap().is_empty(), "{name}");
    }
}

#[tokio::test]
async fn pms_transcode_sessions_in_json_and_xml() {
    let server = serving("GET", "/transcode/sessions", "pms/transcode/sessions.json").await;
    let jobs = pms(&server).transcode_sessions().await.unwrap();
    insta::assert_debug_snapshot!("pms_transcode_json", jobs);
    let server = serving("GET", "/transcode/sessions", "pms/transcode/sessions.xml").await;
    let jobs = pms(&server).transcode_sessions().await.unwrap();
    insta::assert_debug_snapshot!("pms_transcode_xml", jobs);
}

#[tokio::test]
async fn pms_history_pages_in_either_format() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/status/sessions/history/all"))
        .and(wiremock::matchers::header("X-Plex-Container-Start", "0"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(fixture("pms/status/history_page1.json"), "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/status/sessions/history/all"))
        .and(wiremock::matchers::header("X-Plex-Container-Start", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(fixture("pms/status/history_page2.xml"), "application/xml"),
        )
        .mount(&server)
        .await;
    let history = pms(&server)
        .history(&plex_client::pms::HistoryQuery::default())
        .await
        .unwrap();
    insta::assert_debug_snapshot!("pms_history", history);
}

#[tokio::test]
async fn pms_accounts_in_json_and_xml() {
    for name in ["pms/accounts.json", "pms/accounts.xml"] {
        let server = serving("GET", "/accounts", name).await;
        let accounts = pms(&server).accounts().await.unwrap();
        insta::assert_debug_snapshot!("pms_accounts", accounts);
    }
}
