//! Request shapes and response parsing of `plex-client`, against a mock server serving
//! captured-shape fixtures (plex-api.md).
#![expect(
    clippy::unwrap_used,
    reason = "a failing step should stop the test loudly"
)]

use std::time::Duration;

use plex_client::{
    ClientIdentity, Error, PinId, PlexAccountId, PlexToken, PlexTv, PlexTvUrls, RetryPolicy,
    Transport,
};
use wiremock::matchers::{header, header_exists, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod snapshots;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn identity() -> ClientIdentity {
    ClientIdentity {
        product: "pum-test".to_owned(),
        version: "1.2.3".to_owned(),
        client_identifier: "pum-test-client".to_owned(),
        device_name: "test-box".to_owned(),
        platform: "linux".to_owned(),
    }
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        base_delay: Duration::from_millis(1),
        cap: Duration::from_millis(20),
    }
}

fn plex_tv(server: &MockServer) -> PlexTv {
    let transport = Transport::new(identity())
        .unwrap()
        .with_retry_policy(fast_retries());
    PlexTv::new(
        transport,
        PlexTvUrls {
            plex_tv: server.uri(),
            clients_plex_tv: server.uri(),
            auth_app: "https://app.plex.tv/auth".to_owned(),
        },
    )
}

fn no_token(request: &Request) -> bool {
    !request.headers.contains_key("x-plex-token")
        && !request.url.query().unwrap_or("").contains("X-Plex-Token")
}

#[tokio::test]
async fn create_pin_posts_a_strong_pin_request_without_a_token_and_reads_the_201() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/pins"))
        .and(query_param("strong", "true"))
        .and(header("X-Plex-Client-Identifier", "pum-test-client"))
        .and(header("X-Plex-Product", "pum-test"))
        .and(header("Accept", "application/json"))
        .and(no_token)
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_raw(fixture("tv/api/v2/pins/new.json"), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let pin = plex_tv(&server).create_pin(true).await.unwrap();

    assert_eq!(pin.id, PinId::new(111_222_333));
    assert_eq!(pin.code, "3patfx1a78ukcbr7x0n9bl26t");
    assert_eq!(pin.client_identifier.as_str(), "pum-test-client");
    assert_eq!(pin.expires_in, Some(1800));
    assert!(pin.auth_token.is_none());
}

#[tokio::test]
async fn a_pin_is_polled_at_most_every_two_seconds_and_yields_the_token_once_approved() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/pins/111222333"))
        .and(header("X-Plex-Client-Identifier", "pum-test-client"))
        .and(no_token)
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(fixture("tv/api/v2/pins/linked.json"), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let tv = plex_tv(&server);

    let first = tv.poll_pin(PinId::new(111_222_333)).await.unwrap();
    let second = tv.poll_pin(PinId::new(111_222_333)).await.unwrap();

    assert_eq!(first, second);
    assert!(first.auth_token.is_some());
    assert!(
        !format!("{first:?}").contains("linked-token-value"),
        "the token must not be in Debug"
    );
}

#[tokio::test]
async fn an_expired_pin_is_not_found_with_plex_message() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/pins/5"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            r#"{"errors":[{"code":1020,"message":"Code not found or expired"}]}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let err = plex_tv(&server).poll_pin(PinId::new(5)).await.unwrap_err();
    assert!(
        matches!(err, Error::NotFound { ref message, .. } if message.as_deref() == Some("Code not found or expired")),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_account_is_read_from_api_v2_user_with_the_token_in_a_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/user"))
        .and(header("X-Plex-Token", "secret-token"))
        .and(header_exists("X-Plex-Client-Identifier"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(fixture("tv/api/v2/user.json"), "application/json"),
        )
        .mount(&server)
        .await;
    let account = plex_tv(&server)
        .account(&PlexToken::new("secret-token"))
        .await
        .unwrap();
    assert_eq!(account.id, PlexAccountId::new(12345));
    assert_eq!(account.uuid, "212acf24b07315e5");
    assert_eq!(account.email.as_deref(), Some("user@example.com"));
    assert!(account.plex_pass);
    assert_eq!(account.home, plex_client::tv::HomeRole::Admin);
    assert!(!account.restricted);
}

#[tokio::test]
async fn a_rejected_token_is_unauthorized_in_both_the_current_and_the_legacy_form() {
    for (status, body) in [
        (
            401,
            r#"{"errors":[{"code":1001,"message":"User could not be authenticated","status":401}]}"#,
        ),
        (
            422,
            r#"<?xml version="1.0" encoding="UTF-8"?><errors><error>Invalid token</error></errors>"#,
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(path("/api/v2/user"))
            .respond_with(ResponseTemplate::new(status).set_body_string(body))
            .mount(&server)
            .await;
        let err = plex_tv(&server)
            .account(&PlexToken::new("canary-token-xyz"))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Unauthorized { .. }),
            "{status}: {err:?}"
        );
        assert!(!err.to_string().contains("canary-token-xyz"));
    }
}

#[tokio::test]
async fn a_429_is_retried_honouring_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/ping"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "0")
                .set_body_raw(
                    r#"{"errors":[{"code":1003,"message":"API rate limit exceeded"}]}"#,
                    "application/json",
                ),
        )
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/ping"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"pong":true}"#, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let pong = plex_tv(&server).ping(&PlexToken::new("t")).await.unwrap();
    assert!(pong);
}

#[tokio::test]
async fn retries_stop_at_the_policy_limit_with_a_rate_limited_error() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/ping"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .expect(3)
        .mount(&server)
        .await;
    let err = plex_tv(&server)
        .ping(&PlexToken::new("t"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
}

#[tokio::test]
async fn a_server_error_is_retried_for_reads_but_not_for_pin_creation() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/ping"))
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/pins"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let tv = plex_tv(&server);
    assert!(matches!(
        tv.ping(&PlexToken::new("t")).await.unwrap_err(),
        Error::Status { status: 503, .. }
    ));
    assert!(matches!(
        tv.create_pin(true).await.unwrap_err(),
        Error::Status { status: 503, .. }
    ));
}

#[tokio::test]
async fn a_business_error_keeps_plex_code_and_message() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/pins"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            r#"{"errors":[{"code":1000,"message":"X-Plex-Client-Identifier is missing","status":400}]}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let err = plex_tv(&server).create_pin(false).await.unwrap_err();
    assert!(
        matches!(err, Error::Rejected { status: 400, code: Some(1000), ref message, .. } if message == "X-Plex-Client-Identifier is missing"),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_auth_url_carries_the_client_and_code_but_never_a_token() {
    let server = MockServer::start().await;
    let tv = plex_tv(&server);
    let pin = plex_client::tv::Pin {
        id: PinId::new(1),
        code: "abc123".to_owned(),
        client_identifier: plex_client::ClientIdentifier::new("pum-test-client"),
        expires_in: Some(1800),
        auth_token: Some(PlexToken::new("must-not-leak")),
    };
    let url = tv.auth_url(&pin, Some("https://pum.example/login/done"));
    assert!(
        url.starts_with("https://app.plex.tv/auth#?clientID=pum-test-client&code=abc123&"),
        "{url}"
    );
    assert!(
        url.contains("context%5Bdevice%5D%5Bproduct%5D=pum-test"),
        "{url}"
    );
    assert!(
        url.contains("forwardUrl=https%3A%2F%2Fpum.example%2Flogin%2Fdone"),
        "{url}"
    );
    assert!(!url.contains("must-not-leak"));
}

#[tokio::test]
async fn an_unreachable_host_is_a_transport_error_without_the_url() {
    let transport = Transport::new(identity())
        .unwrap()
        .with_retry_policy(RetryPolicy::NONE);
    let tv = PlexTv::new(
        transport,
        PlexTvUrls {
            plex_tv: "http://127.0.0.1:1".to_owned(),
            ..PlexTvUrls::default()
        },
    );
    let err = tv.account(&PlexToken::new("canary")).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(!err.to_string().contains("127.0.0.1:1"), "{err}");
}

#[tokio::test]
async fn users_are_read_from_v1_xml_with_shares_home_users_and_friends_without_a_share() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/users"))
        .and(header("X-Plex-Token", "owner-token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(fixture("tv/api/users.xml"), "application/xml"),
        )
        .mount(&server)
        .await;
    let users = plex_tv(&server)
        .list_users(&PlexToken::new("owner-token"))
        .await
        .unwrap();
    assert_eq!(users.len(), 3);
    let mine = plex_client::MachineIdentifier::new("fbb8aa6be6e0c997");

    let friend = &users[0];
    assert_eq!(friend.id, PlexAccountId::new(22_526_914));
    assert_eq!(friend.username.as_deref(), Some("plexuser"));
    assert!(friend.allow_sync && !friend.home && friend.filter_movies.is_none());
    let share = friend.share_of(&mine).unwrap();
    assert_eq!(
        share.share_id,
        plex_client::SharedServerId::new(907_759_180)
    );
    assert_eq!(share.num_libraries, 2);
    assert_eq!(share.last_seen_at, Some(1_547_660_334));
    assert!(!share.all_libraries && !share.pending);

    let kid = &users[1];
    assert!(kid.home && kid.restricted);
    assert_eq!(kid.username, None);
    assert_eq!(kid.email, None);
    assert_eq!(kid.filter_movies.as_deref(), Some("contentRating=G"));
    let kid_share = kid.share_of(&mine).unwrap();
    assert!(kid_share.all_libraries && kid_share.pending);

    assert!(
        users[2].servers.is_empty(),
        "a friend we do not share with has no Server"
    );
}

#[tokio::test]
async fn control_characters_in_xml_do_not_break_the_user_list() {
    let server = MockServer::start().await;
    Mock::given(path("/api/users"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "<MediaContainer size=\"1\"><User id=\"7\" title=\"Bad\u{b}Title\u{1}\"/></MediaContainer>",
            "application/xml",
        ))
        .mount(&server)
        .await;
    let users = plex_tv(&server)
        .list_users(&PlexToken::new("t"))
        .await
        .unwrap();
    assert_eq!(users[0].title, "BadTitle");
}

#[tokio::test]
async fn a_body_that_is_not_the_user_list_is_a_decode_error_naming_the_endpoint() {
    let server = MockServer::start().await;
    Mock::given(path("/api/users"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<MediaContainer", "application/xml"))
        .mount(&server)
        .await;
    let err = plex_tv(&server)
        .list_users(&PlexToken::new("t"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Decode { ref endpoint, .. } if endpoint == "GET /api/users"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_retired_v1_endpoint_is_gone() {
    let server = MockServer::start().await;
    Mock::given(path("/api/users"))
        .respond_with(ResponseTemplate::new(410).set_body_raw(
            r#"<?xml version="1.0" encoding="UTF-8"?> <Response code="410" status="This endpoint was deprecated and removed"/>"#,
            "application/xml",
        ))
        .mount(&server)
        .await;
    let err = plex_tv(&server)
        .list_users(&PlexToken::new("t"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Gone { .. }), "{err:?}");
}

#[tokio::test]
async fn connection_choice_prefers_local_then_remote_then_relay_and_https_first() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/resources"))
        .and(query_param("includeHttps", "1"))
        .and(query_param("includeRelay", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"[{"name":"Box","clientIdentifier":"m1","provides":"server","owned":true,"presence":true,
                 "accessToken":"a","connections":[
                   {"protocol":"https","uri":"https://relay","local":false,"relay":true},
                   {"protocol":"http","uri":"http://remote","local":false,"relay":false},
                   {"protocol":"https","uri":"https://remote","local":false,"relay":false},
                   {"protocol":"http","uri":"http://local","local":true,"relay":false}]},
                {"name":"Friend","clientIdentifier":"m2","provides":"server","owned":false,"ownerId":42,
                 "sourceTitle":"friend","connections":[
                   {"protocol":"https","uri":"https://their-lan","local":true,"relay":false},
                   {"protocol":"https","uri":"https://their-relay","local":false,"relay":true}]},
                {"name":"Phone","clientIdentifier":"c1","provides":"client,player","owned":true,"connections":[]}]"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let resources = plex_tv(&server)
        .resources(&PlexToken::new("t"))
        .await
        .unwrap();
    assert_eq!(resources[0].best_connection().unwrap().uri, "http://local");
    assert_eq!(
        resources[1].best_connection().unwrap().uri,
        "https://their-relay",
        "local addresses of servers we do not own are skipped"
    );
    assert_eq!(resources[1].owner_id, Some(PlexAccountId::new(42)));
    assert!(resources[0].is_server() && !resources[2].is_server());
    assert!(resources[2].best_connection().is_none());
}

#[tokio::test]
async fn a_v1_share_sends_plex_tv_ids_and_string_settings() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/servers/m1/shared_servers"))
        .and(wiremock::matchers::body_json(serde_json::json!({
            "server_id": "m1",
            "shared_server": {"library_section_ids": [118_181_361, 118_251_661], "invited_email": "friend@example.com"},
            "sharing_settings": {"allowSync": "1", "allowCameraUpload": "0", "allowChannels": "0",
                                 "filterMovies": "", "filterTelevision": "", "filterMusic": ""}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"<MediaContainer size="1"><SharedServer id="1234" username="" email="friend@example.com" userID="0" accessToken="" acceptedAt="" invitedAt="1465691504" allowSync="1"><Section id="118181361" key="1" title="Movies" type="movie" shared="1"/></SharedServer></MediaContainer>"#,
            "application/xml",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let id = plex_tv(&server)
        .share_server(
            &PlexToken::new("t"),
            &plex_client::MachineIdentifier::new("m1"),
            &plex_client::tv::Invitee::Email("friend@example.com".to_owned()),
            &[
                plex_client::PlexTvSectionId::new(118_181_361),
                plex_client::PlexTvSectionId::new(118_251_661),
            ],
            &plex_client::tv::ShareSettings {
                allow_sync: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(id, plex_client::SharedServerId::new(1234));
}

#[tokio::test]
async fn sharing_no_libraries_is_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let err = plex_tv(&server)
        .share_server(
            &PlexToken::new("t"),
            &plex_client::MachineIdentifier::new("m1"),
            &plex_client::tv::Invitee::Email("f@example.com".to_owned()),
            &[],
            &plex_client::tv::ShareSettings::default(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
}

#[tokio::test]
async fn a_v2_share_update_sends_the_complete_settings_and_the_libraries_to_clients_plex_tv() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/shared_servers/77"))
        .and(header("X-Plex-Token", "t"))
        .and(wiremock::matchers::body_json(serde_json::json!({
            "settings": {"allowSync": true, "allowChannels": false, "allowCameraUpload": false,
                         "allowSubtitleAdmin": false, "allowTuners": 2,
                         "filterMovies": "contentRating=G", "filterTelevision": "",
                         "filterMusic": "", "filterPhotos": null, "filterAll": null},
            "librarySectionIds": [1001]
        })))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            fixture("tv/api/v2/shared_servers/create.json"),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let settings = plex_client::tv::ShareSettings {
        allow_sync: true,
        allow_tuners: plex_client::tv::AllowTuners::LiveTvAndDvr,
        filter_movies: "contentRating=G".to_owned(),
        ..Default::default()
    };
    plex_tv(&server)
        .update_share(
            &PlexToken::new("t"),
            plex_client::SharedServerId::new(77),
            &settings,
            &[plex_client::PlexTvSectionId::new(1001)],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn per_friend_settings_go_in_the_query_as_zero_or_one_encoded_once() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/v2/sharings/6"))
        .and(query_param("allowSync", "1"))
        .and(query_param("allowChannels", "0"))
        .and(query_param("filterMovies", "contentRating=G%2CPG"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    plex_tv(&server)
        .update_sharing_settings(
            &PlexToken::new("t"),
            PlexAccountId::new(6),
            &plex_client::tv::ShareSettings {
                allow_sync: true,
                filter_movies: "contentRating=G%2CPG".to_owned(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let raw = server.received_requests().await.unwrap()[0].url.to_string();
    assert!(
        raw.contains("filterMovies=contentRating%3DG%252CPG"),
        "the literal %2C travels encoded once more: {raw}"
    );
}

#[tokio::test]
async fn an_invite_is_accepted_with_the_invitee_token_and_a_201_or_204_is_success() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/shared_servers/907759181/accept"))
        .and(header("X-Plex-Token", "invitee"))
        .and(header("X-Plex-Client-Identifier", "pum-test-client"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    plex_tv(&server)
        .accept_invite(
            &PlexToken::new("invitee"),
            plex_client::SharedServerId::new(907_759_181),
        )
        .await
        .unwrap();
}
