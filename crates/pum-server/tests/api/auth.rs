//! Setup, sign-in, sessions, CSRF, rate limits and Plex sign-in.

use pum_db::repo::{admins, auth_sessions, events};
use serde_json::{Value, json};

use crate::helpers::{OWNER, Options, TestApp, cookie_client, spawn_app, spawn_app_with};

async fn fresh_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

#[tokio::test]
async fn setup_creates_one_owner_signs_them_in_and_is_gone_afterwards() {
    let app = fresh_app().await;
    let status = app.get_json("/api/v1/setup").await;
    assert_eq!(status["owner_exists"], false);
    assert_eq!(
        status["plex_connected"], true,
        "imported from the configuration"
    );

    let (code, body) = TestApp::call(
        app.http
            .post(app.url("/api/v1/setup/owner"))
            .json(&json!({ "username": "ab", "password": "password123" })),
    )
    .await;
    assert_eq!(code, 400);
    assert_eq!(body["fields"]["username"], "must be 3 to 80 characters");
    assert!(
        body["fields"]["password"]
            .as_str()
            .unwrap()
            .contains("common")
    );

    let (code, me) = TestApp::call(
        app.http
            .post(app.url("/api/v1/setup/owner"))
            .json(&json!({ "username": "Jane", "password": "violet kettle drum 42" })),
    )
    .await;
    assert_eq!(code, 200, "{me}");
    assert_eq!(me["admin"]["is_owner"], true);
    assert_eq!(me["permissions"].as_array().unwrap().len(), 11);
    let me = app.get_json("/api/v1/auth/me").await;
    assert_eq!(me["admin"]["username"], "Jane");

    let (code, body) = TestApp::call(
        app.anon
            .post(app.url("/api/v1/setup/owner"))
            .json(&json!({ "username": "mallory", "password": "violet kettle drum 43" })),
    )
    .await;
    assert_eq!(code, 403, "{body}");
    assert_eq!(app.get_json("/api/v1/setup").await["owner_exists"], true);
    let created = events::count_kind(&app.db, "setup.owner_created")
        .await
        .unwrap();
    assert_eq!(created, 1);
    app.stop().await;
}

#[tokio::test]
async fn concurrent_setups_create_exactly_one_owner() {
    let app = fresh_app().await;
    let attempts = (0..8).map(|i| {
        cookie_client()
            .post(app.url("/api/v1/setup/owner"))
            .json(&json!({ "username": format!("owner{i}"), "password": "violet kettle drum 42" }))
            .send()
    });
    let statuses: Vec<u16> = futures::future::join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.unwrap().status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 403),
        "{statuses:?}"
    );
    assert_eq!(admins::count(&app.db).await.unwrap(), 1);
    app.stop().await;
}

#[tokio::test]
async fn sign_in_checks_the_password_and_never_says_which_part_was_wrong() {
    let app = spawn_app().await;
    let attempt = |username: &str, password: &str| {
        app.anon
            .post(app.url("/api/v1/auth/sign-in"))
            .json(&json!({ "username": username, "password": password }))
    };
    let (code, wrong_password) = TestApp::call(attempt(OWNER.0, "not the password")).await;
    assert_eq!(code, 401);
    let (code, unknown_user) = TestApp::call(attempt("nobody", "not the password")).await;
    assert_eq!(code, 401);
    assert_eq!(wrong_password["message"], unknown_user["message"]);
    assert_eq!(wrong_password["code"], "unauthenticated");

    let (code, me) = TestApp::call(attempt(&OWNER.0.to_uppercase(), OWNER.1)).await;
    assert_eq!(code, 200, "usernames are case-insensitive: {me}");
    assert_eq!(
        app.anon
            .get(app.url("/api/v1/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    let recent = events::recent(&app.db, Some("auth.sign_in"), 10)
        .await
        .unwrap();
    assert_eq!(recent.iter().filter(|e| !e.success).count(), 2);
    assert!(
        recent
            .iter()
            .any(|e| e.success && e.actor_name.as_deref() == Some(OWNER.0))
    );
    app.stop().await;
}

#[tokio::test]
async fn the_session_cookie_is_http_only_strict_and_signing_out_ends_the_session_at_once() {
    let app = spawn_app().await;
    let response = app
        .anon
        .post(app.url("/api/v1/auth/sign-in"))
        .json(&json!({ "username": OWNER.0, "password": OWNER.1 }))
        .send()
        .await
        .unwrap();
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("pum_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(cookie.contains("Path=/"), "{cookie}");
    let value = cookie.split(';').next().unwrap().to_owned();

    let replay = |value: String| {
        let app_url = app.url("/api/v1/auth/me");
        async move {
            crate::helpers::cookie_client()
                .get(app_url)
                .header("cookie", value)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(replay(value.clone()).await, 200);
    let sessions_before = auth_sessions::count(&app.db).await.unwrap();
    let (code, _) = TestApp::call(app.anon.post(app.url("/api/v1/auth/sign-out"))).await;
    assert_eq!(code, 204);
    assert_eq!(
        auth_sessions::count(&app.db).await.unwrap(),
        sessions_before - 1
    );
    assert_eq!(
        replay(value).await,
        401,
        "a copied cookie dies with its session"
    );
    let tampered = "pum_session=eyJhbGciOiJIUzI1NiJ9.e30.xxxx".to_owned();
    assert_eq!(replay(tampered).await, 401);
    app.stop().await;
}

#[tokio::test]
async fn a_cross_site_mutation_is_refused_and_a_same_site_one_allowed() {
    let app = spawn_app().await;
    let host = app.address.trim_start_matches("http://").to_owned();
    let post = |origin: Option<&str>, fetch_site: Option<&str>| {
        let mut request = app
            .http
            .post(app.url("/api/v1/jobs/runs"))
            .json(&json!({ "job": "prune_sessions" }));
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(site) = fetch_site {
            request = request.header("sec-fetch-site", site);
        }
        request
    };
    let (code, body) = TestApp::call(post(Some("https://evil.example"), Some("cross-site"))).await;
    assert_eq!(code, 403, "{body}");
    assert_eq!(body["code"], "forbidden");
    let (code, _) = TestApp::call(post(None, Some("cross-site"))).await;
    assert_eq!(code, 403);
    let (code, _) = TestApp::call(post(Some(&format!("http://{host}")), Some("same-origin"))).await;
    assert_eq!(code, 202);
    // Sign-in is a mutation too (login CSRF).
    let (code, _) = TestApp::call(
        app.anon
            .post(app.url("/api/v1/auth/sign-in"))
            .header("origin", "https://evil.example")
            .json(&json!({ "username": OWNER.0, "password": OWNER.1 })),
    )
    .await;
    assert_eq!(code, 403);
    app.stop().await;
}

#[tokio::test]
async fn the_sixth_sign_in_from_one_address_in_a_minute_is_told_to_wait() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let (code, _) = TestApp::call(
            app.anon
                .post(app.url("/api/v1/auth/sign-in"))
                .json(&json!({ "username": OWNER.0, "password": "wrong password" })),
        )
        .await;
        assert_eq!(code, 401);
    }
    let response = app
        .anon
        .post(app.url("/api/v1/auth/sign-in"))
        .json(&json!({ "username": OWNER.0, "password": OWNER.1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "too_many_requests");
    assert_eq!(body["retry_after_seconds"], retry_after);
    assert!(body["message"].as_str().unwrap().contains("try again in"));
    app.stop().await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_bucket_and_spoofing_does_not_help() {
    let app = spawn_app_with(Options {
        owner: true,
        trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
        ..Options::default()
    })
    .await;
    let sign_in = |xff: &str| {
        app.anon
            .post(app.url("/api/v1/auth/sign-in"))
            .header("x-forwarded-for", xff)
            .json(&json!({ "username": "nobody", "password": "wrong password" }))
    };
    for _ in 0..5 {
        assert_eq!(TestApp::call(sign_in("203.0.113.1")).await.0, 401);
    }
    assert_eq!(TestApp::call(sign_in("203.0.113.1")).await.0, 429);
    // Another client behind the same proxy is not affected…
    assert_eq!(TestApp::call(sign_in("203.0.113.2")).await.0, 401);
    // …and a client cannot escape its bucket by prepending a forged address.
    assert_eq!(
        TestApp::call(sign_in("198.51.100.9, 203.0.113.1")).await.0,
        429
    );
    app.stop().await;

    let untrusted = spawn_app().await;
    for i in 0..5 {
        let (code, _) = TestApp::call(
            untrusted
                .anon
                .post(untrusted.url("/api/v1/auth/sign-in"))
                .header("x-forwarded-for", format!("203.0.113.{i}"))
                .json(&json!({ "username": "nobody", "password": "wrong password" })),
        )
        .await;
        assert_eq!(code, 401);
    }
    let (code, _) = TestApp::call(
        untrusted
            .anon
            .post(untrusted.url("/api/v1/auth/sign-in"))
            .header("x-forwarded-for", "203.0.113.99")
            .json(&json!({ "username": OWNER.0, "password": OWNER.1 })),
    )
    .await;
    assert_eq!(
        code, 429,
        "without a trusted proxy, X-Forwarded-For is ignored"
    );
    untrusted.stop().await;
}

/// Approves the PIN in `auth_url` as `account` through the simulator, as if that person signed
/// in at plex.tv.
async fn approve(app: &TestApp, auth_url: &str, account: u64) {
    let code = auth_url
        .split(['#', '?', '&'])
        .find_map(|part| part.strip_prefix("code="))
        .unwrap();
    let response = crate::helpers::cookie_client()
        .post(format!(
            "{}/__sim/pins/by-code/{code}/approve?account={account}",
            app.sim.plex_tv_url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
}

fn owner_account_id(app: &TestApp) -> u64 {
    app.sim.control.owner_id()
}

#[tokio::test]
async fn setup_with_plex_creates_a_linked_owner_and_keeps_the_token_for_the_server() {
    let app = fresh_app().await;
    let (code, started) = TestApp::call(
        app.http
            .post(app.url("/api/v1/auth/plex/pins"))
            .json(&json!({ "purpose": "setup", "return_path": "/setup" })),
    )
    .await;
    assert_eq!(code, 200, "{started}");
    let auth_url = started["auth_url"].as_str().unwrap();
    assert!(
        auth_url.contains("forwardUrl=http%3A%2F%2F127.0.0.1"),
        "{auth_url}"
    );

    let check =
        |client: &reqwest::Client| client.post(app.url("/api/v1/auth/plex/pins/current/check"));
    let (code, status) = TestApp::call(check(&app.http)).await;
    assert_eq!(code, 200);
    assert_eq!(status["state"], "pending");
    // The flow belongs to this browser only.
    assert_eq!(TestApp::call(check(&app.anon)).await.0, 404);

    approve(&app, auth_url, owner_account_id(&app)).await;
    // plex.tv is asked at most every 2 s; wait for the next real poll.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let (code, status) = TestApp::call(check(&app.http)).await;
    assert_eq!(code, 200, "{status}");
    assert_eq!(status["state"], "done");
    assert_eq!(status["purpose"], "setup");
    assert_eq!(
        TestApp::call(check(&app.http)).await.0,
        404,
        "a flow finishes once"
    );

    let me = app.get_json("/api/v1/auth/me").await;
    assert_eq!(me["admin"]["is_owner"], true);
    assert_eq!(me["admin"]["has_password"], false);
    assert!(me["admin"]["plex"]["account_id"].as_i64().is_some());
    let servers = app.get_json("/api/v1/settings/plex/servers").await;
    assert_eq!(servers["servers"].as_array().unwrap().len(), 1, "{servers}");
    app.stop().await;
}

#[tokio::test]
async fn plex_sign_in_works_for_the_server_owner_and_not_for_strangers() {
    let app = spawn_app().await;
    let start = |client: &reqwest::Client| {
        client
            .post(app.url("/api/v1/auth/plex/pins"))
            .json(&json!({ "purpose": "sign_in", "return_path": "/login" }))
    };
    let owner = app.sim.control.owner_id();
    let stranger = app
        .sim
        .control
        .accounts()
        .into_iter()
        .find(|a| a.id != owner && !a.managed)
        .unwrap()
        .id;
    let browser = cookie_client();
    let (code, started) = TestApp::call(start(&browser)).await;
    assert_eq!(code, 200, "{started}");
    approve(&app, started["auth_url"].as_str().unwrap(), stranger).await;
    let (code, body) =
        TestApp::call(browser.post(app.url("/api/v1/auth/plex/pins/current/check"))).await;
    assert_eq!(code, 403, "{body}");
    assert!(body["message"].as_str().unwrap().contains("not linked"));
    assert_eq!(
        browser
            .get(app.url("/api/v1/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    let browser = cookie_client();
    let (_, started) = TestApp::call(start(&browser)).await;
    approve(
        &app,
        started["auth_url"].as_str().unwrap(),
        owner_account_id(&app),
    )
    .await;
    let (code, body) =
        TestApp::call(browser.post(app.url("/api/v1/auth/plex/pins/current/check"))).await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["state"], "done");
    let me: Value = browser
        .get(app.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        me["admin"]["username"], OWNER.0,
        "the owner admin, now linked"
    );
    app.stop().await;
}

#[tokio::test]
async fn return_paths_off_this_site_are_refused() {
    let app = spawn_app().await;
    for bad in ["//evil.com", "https://evil.com", "/\\evil.com"] {
        let (code, body) = TestApp::call(
            app.anon
                .post(app.url("/api/v1/auth/plex/pins"))
                .json(&json!({ "purpose": "sign_in", "return_path": bad })),
        )
        .await;
        assert_eq!(code, 400, "{bad}: {body}");
        assert!(body["fields"]["return_path"].is_string());
    }
    app.stop().await;
}
