//! Users: sync from the simulated plex.tv (never destructive on doubt, the removal brake),
//! browsing, changing access on Plex first, removal and mass actions.

use std::time::Duration;

use plex_sim::{Faults, World};
use serde_json::{Value, json};

use crate::helpers::{Options, TestApp, spawn_app, spawn_app_with};

/// Users of the demo server: 24 friends with a share (3 pending) and 2 Home users; the owner,
/// a friend who only shares their own server and an e-mail invite are not users.
const DEMO_USERS: u64 = 26;

async fn app_with(world: World) -> TestApp {
    spawn_app_with(Options {
        worker: true,
        owner: true,
        world: Some(world),
        ..Options::default()
    })
    .await
}

/// Starts a sync and waits until it has finished; returns the finished sync.
async fn sync(app: &TestApp) -> Value {
    let (status, started) = TestApp::call(
        app.http
            .post(app.url("/api/v1/users/sync"))
            .header("origin", &app.address),
    )
    .await;
    assert_eq!(status, 202, "{started}");
    finished_sync(app, started["id"].as_str().unwrap()).await
}

async fn finished_sync(app: &TestApp, id: &str) -> Value {
    for _ in 0..400 {
        let overview = app.get_json("/api/v1/users/sync").await;
        let latest = &overview["latest"];
        if latest["id"] == id && !matches!(latest["status"].as_str(), Some("queued" | "running")) {
            return latest.clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("sync {id} did not finish");
}

async fn users(app: &TestApp, query: &str) -> Value {
    app.get_json(&format!("/api/v1/users?per_page=200&{query}"))
        .await
}

async fn user_named(app: &TestApp, name: &str) -> Value {
    let page = users(app, &format!("q={name}")).await;
    page["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == name)
        .unwrap_or_else(|| panic!("no user {name} in {page}"))
        .clone()
}

async fn patch(app: &TestApp, id: &str, body: &Value) -> (u16, Value) {
    TestApp::call(
        app.http
            .patch(app.url(&format!("/api/v1/users/{id}")))
            .header("origin", &app.address)
            .json(body),
    )
    .await
}

/// What the simulated plex.tv holds for `account`: `(friend, share)`.
async fn on_plex(app: &TestApp, account: u64) -> (bool, Value) {
    let body: Value = reqwest::get(format!("{}/__sim/accounts/{account}", app.sim.plex_tv_url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (body["friend"] == true, body["share"].clone())
}

fn ids(value: &Value) -> Vec<u64> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect()
}

async fn library_ids(app: &TestApp) -> Vec<u64> {
    let list = app.get_json("/api/v1/libraries").await;
    list["libraries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn sync_imports_friends_home_users_and_pending_shares_but_not_the_owner_or_strangers() {
    let app = spawn_app().await;
    let first = sync(&app).await;
    assert_eq!(first["status"], "succeeded", "{first}");
    assert_eq!(first["added"], DEMO_USERS);

    let all = users(&app, "").await;
    assert_eq!(all["total"], DEMO_USERS);
    let names: Vec<&str> = all["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["title"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"demo-owner"), "the owner is not a user");
    assert!(
        !names.contains(&"sharesback"),
        "only shares their own server"
    );
    assert_eq!(users(&app, "home=true").await["total"], 2);
    assert_eq!(users(&app, "pending=true").await["total"], 3);
    let home = users(&app, "home=true").await;
    let kid = home["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["title"] == "kid")
        .unwrap()
        .clone();
    assert_eq!(kid["managed"], true);
    assert_eq!(kid["all_libraries"], true);
    let alice = user_named(&app, "alice").await;
    assert_eq!(alice["shares_back"], true);
    assert_eq!(user_named(&app, "bob").await["shares_back"], false);

    // Library ids are plex.tv ids, exactly the ones shared on "Plex".
    let (_, share) = on_plex(&app, alice["plex_account_id"].as_u64().unwrap()).await;
    let mut expected = ids(&share["section_ids"]);
    expected.sort_unstable();
    assert_eq!(ids(&alice["library_ids"]), expected);
    assert_eq!(library_ids(&app).await.len(), 20);

    let again = sync(&app).await;
    assert_eq!(again["status"], "succeeded");
    assert_eq!(
        (
            again["added"].as_u64(),
            again["updated"].as_u64(),
            again["removed"].as_u64()
        ),
        (Some(0), Some(0), Some(0)),
        "{again}"
    );
    assert_eq!(again["unchanged"], DEMO_USERS);
}

#[tokio::test]
async fn users_who_left_plex_are_marked_not_erased_and_keep_what_pum_knows() {
    let app = spawn_app().await;
    sync(&app).await;
    let bob = user_named(&app, "bob").await;
    let id = bob["id"].as_str().unwrap();
    let (status, _) = patch(&app, id, &json!({ "notes": "pays by the year" })).await;
    assert_eq!(status, 200);

    assert!(
        app.sim
            .control
            .remove_account(bob["plex_account_id"].as_u64().unwrap())
    );
    let result = sync(&app).await;
    assert_eq!(result["status"], "succeeded", "{result}");
    assert_eq!(result["removed"], 1);

    let detail = app.get_json(&format!("/api/v1/users/{id}")).await;
    assert!(detail["removed_from_plex_at"].is_string(), "{detail}");
    assert_eq!(detail["notes"], "pays by the year");
    assert_eq!(users(&app, "removed=true").await["total"], 1);
    assert_eq!(users(&app, "removed=false").await["total"], DEMO_USERS - 1);
    assert!(
        detail["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "users.gone_from_plex"),
        "{detail}"
    );
}

/// P-1: a failed, empty, foreign, slow, unauthorised or rate-limited answer changes nothing.
#[tokio::test]
async fn a_doubtful_answer_from_plex_changes_nothing_and_says_why() {
    let app = spawn_app_with(Options {
        worker: true,
        owner: true,
        plex_timeout_secs: Some(1),
        ..Options::default()
    })
    .await;
    assert_eq!(sync(&app).await["status"], "succeeded");
    let cases = [
        (
            "empty list",
            Faults {
                empty_user_list: true,
                ..Faults::default()
            },
        ),
        (
            "other server",
            Faults {
                foreign_shares: true,
                ..Faults::default()
            },
        ),
        (
            "5xx",
            Faults {
                server_errors: 1000,
                ..Faults::default()
            },
        ),
        (
            "401",
            Faults {
                revoked_tokens: true,
                ..Faults::default()
            },
        ),
        (
            "422",
            Faults {
                revoked_tokens: true,
                legacy_422: true,
                ..Faults::default()
            },
        ),
        (
            "429",
            Faults {
                rate_limit_after: Some(0),
                ..Faults::default()
            },
        ),
        (
            "timeout",
            Faults {
                slow_ms: 1500,
                ..Faults::default()
            },
        ),
    ];
    for (name, faults) in cases {
        app.sim.control.set_faults(faults);
        let result = sync(&app).await;
        app.sim.control.set_faults(Faults::default());
        assert_eq!(result["status"], "inconclusive", "{name}: {result}");
        assert!(
            result["message"]
                .as_str()
                .unwrap()
                .starts_with("nothing changed"),
            "{name}: {result}"
        );
        assert_eq!(
            users(&app, "removed=false").await["total"],
            DEMO_USERS,
            "{name}"
        );
    }
    assert_eq!(sync(&app).await["unchanged"], DEMO_USERS);
}

/// P-2: 50 of 200 users missing stops the sync until an admin confirms exactly those.
#[tokio::test]
async fn the_brake_holds_a_sync_that_would_mark_many_users_gone_until_confirmed() {
    let app = app_with(World::large(200)).await;
    assert_eq!(sync(&app).await["added"], 200);

    // Five missing is within max(5, 10 %): no question asked.
    for id in 3_000_001..3_000_006 {
        assert!(app.sim.control.remove_account(id));
    }
    let small = sync(&app).await;
    assert_eq!(
        (small["status"].as_str(), small["removed"].as_u64()),
        (Some("succeeded"), Some(5))
    );

    for id in 3_000_006..3_000_056 {
        assert!(app.sim.control.remove_account(id));
    }
    let held = sync(&app).await;
    assert_eq!(held["status"], "awaiting_confirmation", "{held}");
    assert_eq!(held["removals"].as_array().unwrap().len(), 50);
    assert_eq!(
        users(&app, "removed=true").await["total"],
        5,
        "nothing marked yet"
    );

    let (status, queued) = TestApp::call(
        app.http
            .post(app.url(&format!(
                "/api/v1/users/sync/{}/confirm",
                held["id"].as_str().unwrap()
            )))
            .header("origin", &app.address),
    )
    .await;
    assert_eq!(status, 202, "{queued}");
    let confirmed = finished_sync(&app, queued["id"].as_str().unwrap()).await;
    assert_eq!(confirmed["status"], "succeeded", "{confirmed}");
    assert_eq!(confirmed["removed"], 50);
    assert_eq!(users(&app, "removed=true").await["total"], 55);

    // A confirmation is used once.
    let (status, _) = TestApp::call(
        app.http
            .post(app.url(&format!(
                "/api/v1/users/sync/{}/confirm",
                held["id"].as_str().unwrap()
            )))
            .header("origin", &app.address),
    )
    .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn library_and_download_changes_happen_on_plex_first() {
    let app = spawn_app().await;
    sync(&app).await;
    let carol = user_named(&app, "carol").await;
    let id = carol["id"].as_str().unwrap();
    let account = carol["plex_account_id"].as_u64().unwrap();
    let libraries = library_ids(&app).await;

    let (status, body) = patch(
        &app,
        id,
        &json!({ "libraries": { "mode": "only", "library_ids": [libraries[3], libraries[0]] },
                 "allow_downloads": true }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let mut wanted = vec![libraries[0], libraries[3]];
    wanted.sort_unstable();
    assert_eq!(ids(&body["library_ids"]), wanted);
    assert_eq!(body["allow_downloads"], true);
    let (_, share) = on_plex(&app, account).await;
    let mut on = ids(&share["section_ids"]);
    on.sort_unstable();
    assert_eq!(on, wanted, "the share on Plex changed");
    assert_eq!(share["allow_sync"], true);

    let (status, body) = patch(&app, id, &json!({ "libraries": { "mode": "all" } })).await;
    assert_eq!(status, 200, "{body}");
    let (_, share) = on_plex(&app, account).await;
    assert_eq!(ids(&share["section_ids"]).len(), libraries.len());

    let event = &body["events"][0];
    assert_eq!(event["kind"], "users.update");
    assert_eq!(event["actor"], "owner");
    let detail: Value = serde_json::from_str(event["detail"].as_str().unwrap()).unwrap();
    assert_eq!(ids(&detail["before"]["libraries"]), wanted, "{detail}");
}

#[tokio::test]
async fn a_plex_refusal_changes_nothing_here_and_is_said_in_plain_words() {
    let app = spawn_app().await;
    sync(&app).await;
    let dave = user_named(&app, "dave").await;
    let id = dave["id"].as_str().unwrap();
    let account = dave["plex_account_id"].as_u64().unwrap();
    let (_, before) = on_plex(&app, account).await;
    app.sim.control.set_faults(Faults {
        refuse_changes_for: vec![account],
        ..Faults::default()
    });
    let libraries = library_ids(&app).await;
    let (status, body) = patch(
        &app,
        id,
        &json!({ "libraries": { "mode": "only", "library_ids": [libraries[5]] }, "notes": "x" }),
    )
    .await;
    assert_eq!(status, 502, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("Plex refused"),
        "{body}"
    );
    let after = app.get_json(&format!("/api/v1/users/{id}")).await;
    assert_eq!(after["library_ids"], dave["library_ids"]);
    assert_eq!(after["notes"], "", "the notes waited for Plex too");
    assert_eq!(on_plex(&app, account).await.1, before);
    assert_eq!(after["events"][0]["success"], false);

    let (status, _) = TestApp::call(
        app.http
            .delete(app.url(&format!("/api/v1/users/{id}")))
            .header("origin", &app.address),
    )
    .await;
    assert_eq!(status, 502);
    assert_eq!(app.get(&format!("/api/v1/users/{id}")).await.status(), 200);
}

#[tokio::test]
async fn notes_whitelist_and_expiry_are_kept_here_and_searchable() {
    let app = spawn_app().await;
    sync(&app).await;
    let erin = user_named(&app, "erin").await;
    let id = erin["id"].as_str().unwrap();
    let (status, body) = patch(
        &app,
        id,
        &json!({ "notes": "Cousin of Frank", "whitelisted": true, "expiry": { "action": "extend", "days": 30 } }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["whitelisted"], true);
    let first_end = body["expires_at"].as_str().unwrap().to_owned();
    let (_, body) = patch(
        &app,
        id,
        &json!({ "expiry": { "action": "extend", "days": 30 } }),
    )
    .await;
    let second_end = body["expires_at"].as_str().unwrap().to_owned();
    assert!(second_end > first_end, "{first_end} then {second_end}");

    assert_eq!(users(&app, "q=cousin").await["total"], 1);
    assert_eq!(users(&app, "whitelisted=true").await["total"], 1);
    assert_eq!(users(&app, "expiring_days=90").await["total"], 1);
    assert_eq!(users(&app, "expiring_days=30").await["total"], 0);

    let (_, body) = patch(&app, id, &json!({ "expiry": { "action": "clear" } })).await;
    assert!(body["expires_at"].is_null());
    // Nothing went to Plex for pum-only fields.
    assert!(
        !app.sim
            .control
            .journal()
            .iter()
            .any(|e| e.method != "GET" && e.path.contains("shared_servers")),
        "no share change for notes"
    );
}

#[tokio::test]
async fn bad_input_is_refused_per_field_and_loses_nothing() {
    let app = spawn_app().await;
    sync(&app).await;
    let frank = user_named(&app, "frank").await;
    let id = frank["id"].as_str().unwrap();
    for (body, field) in [
        (
            json!({ "libraries": { "mode": "only", "library_ids": [] } }),
            "libraries",
        ),
        (
            json!({ "libraries": { "mode": "only", "library_ids": [1] } }),
            "libraries",
        ),
        (json!({ "notes": "x".repeat(4001) }), "notes"),
        (
            json!({ "expiry": { "action": "set", "at": "2001-01-01T00:00:00Z" } }),
            "expiry",
        ),
        (
            json!({ "expiry": { "action": "extend", "days": 0 } }),
            "expiry",
        ),
    ] {
        let (status, answer) = patch(&app, id, &body).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert!(answer["fields"][field].is_string(), "{body}: {answer}");
    }
    let (status, answer) = patch(&app, id, &json!({ "nickname": "x" })).await;
    assert_eq!(status, 400, "{answer}");
    for query in [
        "per_page=500",
        "page=0",
        "order=sideways",
        "expiring_days=0",
        "sort=age",
        "colour=red",
    ] {
        let response = app.get(&format!("/api/v1/users?{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
    }
    assert_eq!(
        app.get_json(&format!("/api/v1/users/{id}")).await["library_ids"],
        frank["library_ids"]
    );
    assert_eq!(app.get("/api/v1/users/not-a-user").await.status(), 404);
}

#[tokio::test]
async fn the_list_searches_filters_sorts_and_pages_on_the_server() {
    let app = spawn_app().await;
    sync(&app).await;
    assert_eq!(users(&app, "q=ALIC").await["total"], 1, "case-insensitive");
    assert_eq!(
        users(&app, "q=demo.invalid").await["total"],
        25,
        "e-mail addresses (the managed user has none)"
    );
    assert_eq!(
        users(&app, "q=%25").await["total"],
        0,
        "a % is a character, not a wildcard"
    );
    assert_eq!(users(&app, "shares_back=true").await["total"], 1);
    assert_eq!(users(&app, "discord=true").await["total"], 0);
    assert!(
        users(&app, "inactive_days=3650").await["total"]
            .as_u64()
            .unwrap()
            <= DEMO_USERS
    );

    let page_two = app.get_json("/api/v1/users?per_page=5&page=2").await;
    assert_eq!(page_two["users"].as_array().unwrap().len(), 5);
    assert_eq!(page_two["total"], DEMO_USERS);
    let everyone = users(&app, "").await;
    assert_eq!(page_two["users"][0]["id"], everyone["users"][5]["id"]);

    let names = |page: &Value| -> Vec<String> {
        page["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| {
                u["username"]
                    .as_str()
                    .unwrap_or(u["title"].as_str().unwrap())
                    .to_owned()
            })
            .collect()
    };
    let ascending = names(&everyone);
    let mut sorted = ascending.clone();
    sorted.sort();
    assert_eq!(ascending, sorted);
    let mut descending = names(&users(&app, "order=desc").await);
    descending.reverse();
    assert_eq!(descending, ascending);
}

#[tokio::test]
async fn removing_revokes_on_plex_by_the_right_call_then_deletes_here() {
    let app = spawn_app().await;
    sync(&app).await;
    let grace = user_named(&app, "grace").await;
    let home = users(&app, "home=true").await;
    let partner = home["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["title"] == "partner")
        .unwrap()
        .clone();
    for user in [&grace, &partner] {
        let (status, body) = TestApp::call(
            app.http
                .delete(app.url(&format!("/api/v1/users/{}", user["id"].as_str().unwrap())))
                .header("origin", &app.address),
        )
        .await;
        assert_eq!(status, 204, "{body}");
        let (friend, share) = on_plex(&app, user["plex_account_id"].as_u64().unwrap()).await;
        assert!(!friend && share.is_null(), "{user} still on Plex");
    }
    let journal = app.sim.control.journal();
    assert!(
        journal
            .iter()
            .any(|e| e.method == "DELETE" && e.path.starts_with("/api/v2/sharings/"))
    );
    assert!(
        journal
            .iter()
            .any(|e| e.method == "DELETE" && e.path.starts_with("/api/home/users/"))
    );
    assert_eq!(users(&app, "").await["total"], DEMO_USERS - 2);
}

async fn start_batch(app: &TestApp, body: &Value) -> (u16, Value) {
    TestApp::call(
        app.http
            .post(app.url("/api/v1/users/batches"))
            .header("origin", &app.address)
            .json(body),
    )
    .await
}

async fn finished_batch(app: &TestApp, id: &str) -> Value {
    for _ in 0..400 {
        let batch = app.get_json(&format!("/api/v1/users/batches/{id}")).await;
        if batch["status"] != "running" {
            return batch;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("mass action {id} did not finish");
}

#[tokio::test]
async fn a_mass_action_reports_each_user_and_a_retry_repeats_only_the_failures() {
    let app = spawn_app().await;
    sync(&app).await;
    let mut chosen = Vec::new();
    for name in ["heidi", "ivan", "judy", "mallory"] {
        chosen.push(user_named(&app, name).await);
    }
    let libraries = library_ids(&app).await;
    let extra = libraries[19];
    let refused = chosen[1]["plex_account_id"].as_u64().unwrap();
    app.sim.control.set_faults(Faults {
        refuse_changes_for: vec![refused],
        ..Faults::default()
    });
    let (status, batch) = start_batch(
        &app,
        &json!({
            "user_ids": chosen.iter().map(|u| u["id"].clone()).collect::<Vec<_>>(),
            "action": "add_libraries",
            "library_ids": [extra],
        }),
    )
    .await;
    assert_eq!(status, 202, "{batch}");
    let id = batch["id"].as_str().unwrap().to_owned();
    let done = finished_batch(&app, &id).await;
    assert_eq!(done["status"], "partly_failed", "{done}");
    assert_eq!(
        (
            done["total"].as_u64(),
            done["done"].as_u64(),
            done["failed"].as_u64()
        ),
        (Some(4), Some(4), Some(1))
    );
    let failed = &done["items"][1];
    assert_eq!(failed["status"], "failed");
    assert!(
        failed["message"].as_str().unwrap().contains("refused"),
        "{failed}"
    );
    for (i, user) in chosen.iter().enumerate() {
        let (_, share) = on_plex(&app, user["plex_account_id"].as_u64().unwrap()).await;
        let has = share["all_libraries"] == true || ids(&share["section_ids"]).contains(&extra);
        assert_eq!(has, i != 1, "{user}");
    }
    let share_puts = |app: &TestApp| {
        app.sim
            .control
            .journal()
            .iter()
            .filter(|e| e.method == "PUT" && e.path.contains("/shared_servers/"))
            .count()
    };
    let before_retry = share_puts(&app);

    app.sim.control.set_faults(Faults::default());
    let (status, retried) = TestApp::call(
        app.http
            .post(app.url(&format!("/api/v1/users/batches/{id}/retry")))
            .header("origin", &app.address),
    )
    .await;
    assert_eq!(status, 202, "{retried}");
    let done = finished_batch(&app, &id).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(
        share_puts(&app),
        before_retry + 1,
        "only the failed user was repeated"
    );
    let (_, share) = on_plex(&app, refused).await;
    assert!(ids(&share["section_ids"]).contains(&extra));

    let (status, _) = TestApp::call(
        app.http
            .post(app.url(&format!("/api/v1/users/batches/{id}/retry")))
            .header("origin", &app.address),
    )
    .await;
    assert_eq!(status, 409, "nothing left to retry");
}

#[tokio::test]
async fn mass_removal_needs_the_delete_permission_and_mass_expiry_needs_no_plex() {
    let app = spawn_app().await;
    sync(&app).await;
    let editor = app
        .admin_with("editor", &["users.view", "users.edit"])
        .await;
    let olivia = user_named(&app, "olivia").await;
    let (status, body) = TestApp::call(
        editor
            .post(app.url("/api/v1/users/batches"))
            .header("origin", &app.address)
            .json(&json!({ "user_ids": [olivia["id"]], "action": "remove" })),
    )
    .await;
    assert_eq!(status, 403, "{body}");

    let (status, body) = start_batch(&app, &json!({ "user_ids": [], "action": "remove" })).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = start_batch(
        &app,
        &json!({ "user_ids": ["00000000-0000-0000-0000-000000000000"], "action": "set_downloads", "allow": true }),
    )
    .await;
    assert_eq!(status, 400, "{body}");

    app.sim.control.set_faults(Faults {
        revoked_tokens: true,
        ..Faults::default()
    });
    let (status, batch) = start_batch(
        &app,
        &json!({ "user_ids": [olivia["id"]], "action": "extend_expiry", "days": 7 }),
    )
    .await;
    assert_eq!(status, 202, "{batch}");
    let done = finished_batch(&app, batch["id"].as_str().unwrap()).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    let detail = app
        .get_json(&format!("/api/v1/users/{}", olivia["id"].as_str().unwrap()))
        .await;
    assert!(detail["expires_at"].is_string());
}

/// P-6: reading users changes nothing, here or on Plex.
#[tokio::test]
async fn reading_users_changes_nothing_here_or_on_plex() {
    let app = spawn_app().await;
    sync(&app).await;
    let peggy = user_named(&app, "peggy").await;
    let id = peggy["id"].as_str().unwrap();
    let mutations = |app: &TestApp| {
        app.sim
            .control
            .journal()
            .iter()
            .filter(|e| e.method != "GET")
            .count()
    };
    let before = mutations(&app);
    let detail_before = app.get_json(&format!("/api/v1/users/{id}")).await;
    for path in [
        "/api/v1/users".to_owned(),
        format!("/api/v1/users/{id}"),
        "/api/v1/users/sync".to_owned(),
        "/api/v1/users/batches".to_owned(),
        "/api/v1/libraries".to_owned(),
    ] {
        assert_eq!(app.get(&path).await.status(), 200, "{path}");
    }
    assert_eq!(mutations(&app), before);
    assert_eq!(
        app.get_json(&format!("/api/v1/users/{id}")).await,
        detail_before
    );
}

#[tokio::test]
async fn the_sync_schedule_is_configurable_and_the_job_syncs_on_its_own() {
    let app = spawn_app().await;
    let put = |hours: u32| {
        app.http
            .put(app.url("/api/v1/users/sync/schedule"))
            .header("origin", &app.address)
            .json(&json!({ "interval_hours": hours }))
    };
    let (status, body) = TestApp::call(put(200)).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["fields"]["interval_hours"].is_string());
    let (status, body) = TestApp::call(put(12)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["interval_hours"], 12);
    assert!(body["next_at"].is_string());
    let (_, body) = TestApp::call(put(0)).await;
    assert!(body["next_at"].is_null(), "{body}");
    assert_eq!(
        app.get_json("/api/v1/users/sync").await["interval_hours"],
        0
    );

    // The job itself (as the schedule runs it) syncs without anyone asking.
    let response = app
        .post_json("/api/v1/jobs/runs", &json!({ "job": "sync_users" }))
        .await;
    assert_eq!(response.status(), 202);
    let run: Value = response.json().await.unwrap();
    let finished = app.wait_for_run(run["id"].as_str().unwrap()).await;
    assert_eq!(finished["status"], "succeeded", "{finished}");
    let latest = &app.get_json("/api/v1/users/sync").await["latest"];
    assert_eq!(latest["status"], "succeeded", "{latest}");
    assert!(latest["requested_by"].is_null());
    assert_eq!(latest["added"], DEMO_USERS);
}

/// P-5: a Plex that does not answer makes an edit fail in bounded time, changing nothing.
#[tokio::test]
async fn a_silent_plex_fails_an_edit_in_bounded_time_and_changes_nothing() {
    let app = spawn_app_with(Options {
        worker: true,
        owner: true,
        plex_timeout_secs: Some(1),
        ..Options::default()
    })
    .await;
    sync(&app).await;
    let niaj = user_named(&app, "niaj").await;
    let id = niaj["id"].as_str().unwrap();
    let libraries = library_ids(&app).await;
    app.sim.control.set_faults(Faults {
        slow_ms: 5_000,
        ..Faults::default()
    });
    let started = std::time::Instant::now();
    let (status, body) = patch(
        &app,
        id,
        &json!({ "libraries": { "mode": "only", "library_ids": [libraries[7]] } }),
    )
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(11),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(status, 502, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("did not answer in time"),
        "{body}"
    );
    app.sim.control.set_faults(Faults::default());
    assert_eq!(
        app.get_json(&format!("/api/v1/users/{id}")).await["library_ids"],
        niaj["library_ids"]
    );
}
