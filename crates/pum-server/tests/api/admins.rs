//! Admins, roles, API keys, and the authorization matrix over every documented route.

use serde_json::{Value, json};

use crate::helpers::{OWNER, TestApp, spawn_app};

/// Routes anyone may call; every other operation must declare its security.
const PUBLIC: &[&str] = &[
    "GET /healthz",
    "GET /readyz",
    "GET /api/v1/setup",
    "POST /api/v1/setup/owner",
    "POST /api/v1/auth/sign-in",
    "POST /api/v1/auth/plex/pins",
    "POST /api/v1/auth/plex/pins/current/check",
    "GET /api/v1/invite/{code}",
    "POST /api/v1/invite/{code}/plex",
    "POST /api/v1/invite/{code}/plex/check",
    "POST /api/v1/invite/{code}/discord",
    "POST /api/v1/invite/{code}/accept",
    "DELETE /api/v1/invite/{code}/session",
    "POST /api/v1/discord/callback",
];

/// Every documented operation with the permissions its security requirement lists (`None` for
/// a public route).
fn operations() -> Vec<(String, String, Option<Vec<String>>)> {
    let doc = serde_json::to_value(pum_server::openapi::document()).unwrap();
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let security = op["security"].as_array().map(|requirements| {
                requirements
                    .iter()
                    .flat_map(|r| r.as_object().unwrap().values())
                    .flat_map(|scopes| scopes.as_array().unwrap().iter())
                    .map(|s| s.as_str().unwrap().to_owned())
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect()
            });
            ops.push((method.to_uppercase(), path.clone(), security));
        }
    }
    ops
}

fn concrete(path: &str) -> String {
    path.replace("{id}", "00000000-0000-4000-8000-000000000000")
}

async fn key_with(app: &TestApp, name: &str, permissions: &[&str]) -> String {
    let (code, created) = TestApp::call(
        app.http
            .post(app.url("/api/v1/api-keys"))
            .json(&json!({ "name": name, "permissions": permissions })),
    )
    .await;
    assert_eq!(code, 201, "{created}");
    created["key"].as_str().unwrap().to_owned()
}

async fn call_with(app: &TestApp, method: &str, path: &str, key: Option<&str>) -> u16 {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = app.anon.request(method, app.url(&concrete(path)));
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn every_route_refuses_anonymous_callers_and_callers_without_its_permission() {
    let app = spawn_app().await;
    let powerless = key_with(&app, "no permissions", &[]).await;
    let ops = operations();
    assert!(ops.len() > 20, "{}", ops.len());
    for (method, path, security) in ops {
        let name = format!("{method} {path}");
        let Some(scopes) = security else {
            assert!(
                PUBLIC.contains(&name.as_str()),
                "{name} declares no security but is not public"
            );
            continue;
        };
        assert!(
            !PUBLIC.contains(&name.as_str()),
            "{name} is listed public but declares security"
        );
        assert_eq!(
            call_with(&app, &method, &path, None).await,
            401,
            "{name} without credentials"
        );
        let with_powerless = call_with(&app, &method, &path, Some(&powerless)).await;
        if scopes.is_empty() {
            assert!(
                ![401, 403].contains(&with_powerless),
                "{name} needs no permission: {with_powerless}"
            );
        } else {
            assert_eq!(with_powerless, 403, "{name} without {scopes:?}");
            let wanted: Vec<&str> = scopes.iter().map(String::as_str).collect();
            let enough = key_with(&app, &format!("for {name}"), &wanted).await;
            let status = call_with(&app, &method, &path, Some(&enough)).await;
            assert!(
                ![401, 403].contains(&status),
                "{name} with {scopes:?} answered {status}"
            );
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn an_api_key_is_shown_once_works_as_a_bearer_never_as_a_cookie_and_dies_when_revoked() {
    let app = spawn_app().await;
    let (code, created) = TestApp::call(app.http.post(app.url("/api/v1/api-keys")).json(&json!({
        "name": "backup script",
        "permissions": ["settings.manage"],
    })))
    .await;
    assert_eq!(code, 201, "{created}");
    let key = created["key"].as_str().unwrap().to_owned();
    assert!(key.starts_with(&format!(
        "pumk_{}_",
        created["api_key"]["id"].as_str().unwrap()
    )));
    let list = app.get_json("/api/v1/api-keys").await;
    assert!(
        !list.to_string().contains(&key[key.len() - 20..]),
        "the secret is never listed"
    );

    let as_bearer = app
        .anon
        .get(app.url("/api/v1/settings"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(as_bearer.status(), 200);
    let me: Value = app
        .anon
        .get(app.url("/api/v1/auth/me"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["permissions"], json!(["settings.manage"]));
    assert_eq!(me["api_key"], created["api_key"]["id"]);
    let listed = app.get_json("/api/v1/api-keys").await;
    assert!(listed["keys"][0]["last_used_at"].is_string());

    let as_cookie = crate::helpers::cookie_client()
        .get(app.url("/api/v1/settings"))
        .header("cookie", format!("pum_session={key}"))
        .send()
        .await
        .unwrap();
    assert_eq!(as_cookie.status(), 401);
    let key_as_admins = app
        .anon
        .get(app.url("/api/v1/admins"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(
        key_as_admins.status(),
        403,
        "scoped to settings.manage only"
    );

    let id = created["api_key"]["id"].as_str().unwrap();
    let (code, _) =
        TestApp::call(app.http.delete(app.url(&format!("/api/v1/api-keys/{id}")))).await;
    assert_eq!(code, 204);
    let revoked = app
        .anon
        .get(app.url("/api/v1/settings"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 401);
    let (code, body) = TestApp::call(app.http.post(app.url("/api/v1/api-keys")).json(&json!({
        "name": "old", "permissions": [], "expires_at": "2001-01-01T00:00:00Z",
    })))
    .await;
    assert_eq!(code, 400);
    assert_eq!(body["fields"]["expires_at"], "must be in the future");
    app.stop().await;
}

#[tokio::test]
async fn no_one_grants_more_than_they_have_or_touches_the_owner() {
    let app = spawn_app().await;
    let manager = app
        .admin_with(
            "manager",
            &["admins.manage", "api_keys.manage", "users.view"],
        )
        .await;
    let post = |path: &str, body: Value| manager.post(app.url(path)).json(&body);

    let (code, body) = TestApp::call(post(
        "/api/v1/roles",
        json!({ "name": "power", "permissions": ["settings.manage"] }),
    ))
    .await;
    assert_eq!(code, 403, "{body}");
    let (code, body) = TestApp::call(post(
        "/api/v1/api-keys",
        json!({ "name": "k", "permissions": ["settings.manage"] }),
    ))
    .await;
    assert_eq!(code, 403, "{body}");
    let (code, role) = TestApp::call(post(
        "/api/v1/roles",
        json!({ "name": "viewer", "permissions": ["users.view"] }),
    ))
    .await;
    assert_eq!(code, 201, "{role}");
    let (code, body) = TestApp::call(post(
        "/api/v1/roles",
        json!({ "name": "VIEWER", "permissions": [] }),
    ))
    .await;
    assert_eq!(code, 400);
    assert_eq!(body["fields"]["name"], "is taken");

    let admins = app.get_json("/api/v1/admins").await;
    let owner_id = admins["admins"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(admins["admins"][0]["is_owner"], true);
    let manager_id = admins["admins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == "manager")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (code, _) =
        TestApp::call(manager.delete(app.url(&format!("/api/v1/admins/{owner_id}")))).await;
    assert_eq!(code, 403, "the owner cannot be removed");
    let (code, _) =
        TestApp::call(manager.post(app.url(&format!("/api/v1/admins/{owner_id}/password")))).await;
    assert_eq!(
        code, 403,
        "the owner's password cannot be reset by another admin"
    );
    let (code, _) =
        TestApp::call(manager.delete(app.url(&format!("/api/v1/admins/{manager_id}")))).await;
    assert_eq!(code, 409, "no one removes themselves");

    // The owner removes the manager: their session ends at once.
    let (code, _) = TestApp::call(
        app.http
            .delete(app.url(&format!("/api/v1/admins/{manager_id}"))),
    )
    .await;
    assert_eq!(code, 204);
    assert_eq!(
        manager
            .get(app.url("/api/v1/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let kinds: Vec<String> = pum_db::repo::events::recent(&app.db, None, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    for kind in [
        "admin.created",
        "role.created",
        "admin.deleted",
        "auth.password_changed",
    ] {
        assert!(
            kinds.iter().any(|k| k == kind),
            "{kind} missing from {kinds:?}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn changing_a_password_ends_other_sessions_and_a_reset_forces_a_new_one() {
    let app = spawn_app().await;
    let other_browser = app.signed_in(OWNER.0, OWNER.1).await;
    let (code, body) = TestApp::call(app.http.post(app.url("/api/v1/auth/password")).json(
        &json!({
            "current_password": "wrong", "new_password": "another fine phrase",
        }),
    ))
    .await;
    assert_eq!(code, 400);
    assert_eq!(body["fields"]["current_password"], "is wrong");
    let (code, _) = TestApp::call(
        app.http
            .post(app.url("/api/v1/auth/password"))
            .json(&json!({
                "current_password": OWNER.1, "new_password": "another fine phrase",
            })),
    )
    .await;
    assert_eq!(code, 204);
    assert_eq!(
        app.http
            .get(app.url("/api/v1/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "this session stays"
    );
    assert_eq!(
        other_browser
            .get(app.url("/api/v1/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    let helper = app.admin_with("helper", &["settings.manage"]).await;
    assert_eq!(
        helper
            .get(app.url("/api/v1/settings"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let id = app.get_json("/api/v1/admins").await["admins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == "helper")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reset = app
        .http
        .post(app.url(&format!("/api/v1/admins/{id}/password")))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 200);
    let one_time: Value = reset.json().await.unwrap();
    assert_eq!(
        helper
            .get(app.url("/api/v1/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let helper = app
        .signed_in("helper", one_time["password"].as_str().unwrap())
        .await;
    let me: Value = helper
        .get(app.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["admin"]["must_change_password"], true);
    let blocked = helper
        .get(app.url("/api/v1/settings"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        blocked.status(),
        403,
        "a temporary password opens nothing but the password change"
    );
    app.stop().await;
}
