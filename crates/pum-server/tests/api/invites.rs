//! Invites: admin management, the public page (Plex PIN sign-in, Discord linking through a
//! stand-in), redemption against the simulated plex.tv, and the guarantees of
//! security-reliability.md I-1…I-7: exact `max_uses` under 50 concurrent redeemers, one share
//! per account, expiry and disabling checked at redemption, no orphan shares after a Plex or
//! database failure, identity from plex.tv only, limits on guessing codes.

use std::time::Duration;

use plex_sim::{Faults, NewAccount};
use pum_core::{Clock as _, SystemClock};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{Options, TestApp, cookie_client, spawn_app_with};

async fn app() -> TestApp {
    app_with(Options::default()).await
}

async fn app_with(options: Options) -> TestApp {
    let app = spawn_app_with(Options {
        worker: true,
        owner: true,
        trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
        ..options
    })
    .await;
    // The libraries are known once users were synced.
    let (status, body) = TestApp::call(
        app.http
            .post(app.url("/api/v1/users/sync"))
            .header("origin", &app.address),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    for _ in 0..200 {
        if !app.get_json("/api/v1/libraries").await["libraries"]
            .as_array()
            .unwrap()
            .is_empty()
        {
            return app;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("libraries never arrived");
}

async fn library(app: &TestApp, title: &str) -> u64 {
    let list = app.get_json("/api/v1/libraries").await;
    list["libraries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["title"] == title)
        .and_then(|l| l["id"].as_u64())
        .unwrap()
}

async fn create(app: &TestApp, body: &Value) -> (u16, Value) {
    TestApp::call(
        app.http
            .post(app.url("/api/v1/invites"))
            .header("origin", &app.address)
            .json(body),
    )
    .await
}

async fn invite(app: &TestApp, body: &Value) -> Value {
    let (status, created) = create(app, body).await;
    assert_eq!(status, 201, "{created}");
    created
}

async fn patch(app: &TestApp, id: &str, body: &Value) -> (u16, Value) {
    TestApp::call(
        app.http
            .patch(app.url(&format!("/api/v1/invites/{id}")))
            .header("origin", &app.address)
            .json(body),
    )
    .await
}

fn new_account(app: &TestApp, username: &str, unverified: bool) -> u64 {
    app.sim
        .control
        .add_account(&NewAccount {
            username: username.to_owned(),
            unverified,
            ..NewAccount::default()
        })
        .unwrap()
        .id
}

/// A stranger's browser: its own cookies and its own address (through the trusted proxy).
struct Invitee {
    client: reqwest::Client,
    ip: String,
    account: u64,
}

impl Invitee {
    fn new(account: u64, n: u32) -> Self {
        Self {
            client: cookie_client(),
            ip: format!("10.9.{}.{}", n / 250, n % 250 + 1),
            account,
        }
    }

    async fn send(&self, app: &TestApp, request: reqwest::RequestBuilder) -> (u16, Value) {
        TestApp::call(
            request
                .header("origin", &app.address)
                .header("x-forwarded-for", &self.ip),
        )
        .await
    }

    async fn get(&self, app: &TestApp, path: &str) -> (u16, Value) {
        self.send(app, self.client.get(app.url(path))).await
    }

    async fn post(&self, app: &TestApp, path: &str) -> (u16, Value) {
        self.send(app, self.client.post(app.url(path))).await
    }

    /// Signs in with Plex as `self.account` (approved through the simulator).
    async fn sign_in(&self, app: &TestApp, code: &str) {
        let (status, started) = self.post(app, &format!("/api/v1/invite/{code}/plex")).await;
        assert_eq!(status, 200, "{started}");
        let auth_url = started["auth_url"].as_str().unwrap();
        assert!(
            auth_url.contains(&format!("%2Fi%2F{code}")),
            "back to the invite page: {auth_url}"
        );
        let pin = auth_url
            .split(['#', '?', '&'])
            .find_map(|part| part.strip_prefix("code="))
            .unwrap();
        let approved = cookie_client()
            .post(format!(
                "{}/__sim/pins/by-code/{pin}/approve?account={}",
                app.sim.plex_tv_url, self.account
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(approved.status(), 204);
        let (status, done) = self
            .post(app, &format!("/api/v1/invite/{code}/plex/check"))
            .await;
        assert_eq!(
            (status, done["state"].as_str()),
            (200, Some("signed_in")),
            "{done}"
        );
    }

    async fn accept(&self, app: &TestApp, code: &str) -> (u16, Value) {
        self.post(app, &format!("/api/v1/invite/{code}/accept"))
            .await
    }
}

/// The share Plex holds for `account`, if any.
async fn share_on_plex(app: &TestApp, account: u64) -> Value {
    let body: Value = reqwest::get(format!("{}/__sim/accounts/{account}", app.sim.plex_tv_url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["share"].clone()
}

/// Fails when `secret` appears in the SQLite database file or its write-ahead log.
fn assert_not_in_database(app: &TestApp, secret: &str) {
    let Some(file) = app
        .scratch()
        .url
        .strip_prefix("sqlite://")
        .map(str::to_owned)
    else {
        return;
    };
    let file = file.split('?').next().unwrap().to_owned();
    assert!(
        std::fs::metadata(&file).is_ok(),
        "no database file at {file}"
    );
    for path in [file.clone(), format!("{file}-wal")] {
        let bytes = std::fs::read(&path).unwrap_or_default();
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} is stored in {path}"
        );
    }
}

/// How many times pum asked Plex to create a share.
fn share_creations(app: &TestApp) -> usize {
    app.sim
        .control
        .journal()
        .iter()
        .filter(|e| e.method == "POST" && e.path.ends_with("/shared_servers"))
        .count()
}

async fn detail(app: &TestApp, id: &str) -> Value {
    app.get_json(&format!("/api/v1/invites/{id}")).await
}

fn code(invite: &Value) -> String {
    invite["code"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn admins_create_list_edit_disable_and_delete_invites() {
    let app = app().await;
    let movies = library(&app, "Movies").await;
    let random = invite(&app, &json!({ "library_ids": [movies], "max_uses": 2 })).await;
    assert_eq!(
        random["code"].as_str().unwrap().len(),
        22,
        "128 bits, base64url"
    );
    assert_eq!(random["custom"], false);
    assert_eq!(random["state"], "active");
    assert!(
        random["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/i/{}", code(&random))),
        "{random}"
    );
    let custom = invite(
        &app,
        &json!({ "custom_path": "Family-2026", "all_libraries": true, "membership_days": 30 }),
    )
    .await;
    assert_eq!(
        (custom["code"].as_str(), custom["custom"].as_bool()),
        (Some("Family-2026"), Some(true))
    );

    // Public preview works by either code, the custom path ignoring case.
    let stranger = Invitee::new(0, 1);
    let (status, preview) = stranger.get(&app, "/api/v1/invite/FAMILY-2026").await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview["membership_days"], 30);
    assert!(preview["libraries"].as_array().unwrap().len() > 1);
    let (status, preview) = stranger
        .get(&app, &format!("/api/v1/invite/{}", code(&random)))
        .await;
    assert_eq!(
        (status, preview["libraries"].clone()),
        (200, json!(["Movies"]))
    );
    assert_eq!(preview["uses_left"], 2);

    let id = random["id"].as_str().unwrap();
    let (status, changed) = patch(
        &app,
        id,
        &json!({ "disabled": true, "note": "for the book club" }),
    )
    .await;
    assert_eq!(
        (status, changed["state"].as_str()),
        (200, Some("disabled")),
        "{changed}"
    );
    let (_, preview) = stranger
        .get(&app, &format!("/api/v1/invite/{}", code(&random)))
        .await;
    assert_eq!(preview["state"], "disabled");
    let (status, changed) = patch(
        &app,
        id,
        &json!({ "disabled": false, "clear_max_uses": true }),
    )
    .await;
    assert_eq!(
        (
            status,
            changed["state"].as_str(),
            changed["max_uses"].clone()
        ),
        (200, Some("active"), Value::Null)
    );

    let list = app.get_json("/api/v1/invites").await;
    assert_eq!(list["invites"].as_array().unwrap().len(), 2);

    // A viewer may look, not change.
    let viewer = app.admin_with("viewer", &["invites.view"]).await;
    let (status, _) = TestApp::call(viewer.get(app.url("/api/v1/invites"))).await;
    assert_eq!(status, 200);
    let (status, _) = TestApp::call(
        viewer
            .post(app.url("/api/v1/invites"))
            .header("origin", &app.address)
            .json(&json!({ "all_libraries": true })),
    )
    .await;
    assert_eq!(status, 403);

    let (status, _) = TestApp::call(
        app.http
            .delete(app.url(&format!("/api/v1/invites/{id}")))
            .header("origin", &app.address),
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = stranger
        .get(&app, &format!("/api/v1/invite/{}", code(&random)))
        .await;
    assert_eq!(status, 404);

    // The raw token is nowhere in the database file (only its HMAC and a sealed copy).
    assert_not_in_database(&app, &code(&random));
    app.stop().await;
}

#[tokio::test]
async fn bad_invites_are_refused_field_by_field() {
    let app = app().await;
    invite(
        &app,
        &json!({ "custom_path": "Family-2026", "all_libraries": true }),
    )
    .await;
    // Paths are unique ignoring case; every bad field is named.
    let (status, taken) = create(
        &app,
        &json!({ "custom_path": "family-2026", "all_libraries": true }),
    )
    .await;
    assert_eq!(status, 400, "{taken}");
    assert!(
        taken["fields"]["custom_path"]
            .as_str()
            .unwrap()
            .contains("already used")
    );
    let (status, bad) = create(
        &app,
        &json!({
            "custom_path": "a b",
            "library_ids": [],
        }),
    )
    .await;
    assert_eq!(status, 400);
    assert!(bad["fields"]["custom_path"].is_string(), "{bad}");
    let (status, bad) = create(
        &app,
        &json!({
            "expires_at": "2001-01-01T00:00:00Z",
            "max_uses": 0,
            "membership_days": 0,
            "library_ids": [1],
            "discord_linking": "required",
            "require_guild_membership": true,
        }),
    )
    .await;
    assert_eq!(status, 400);
    for field in [
        "expires_at",
        "max_uses",
        "membership_days",
        "library_ids",
        "discord_linking",
        "require_guild_membership",
    ] {
        assert!(bad["fields"][field].is_string(), "{field}: {bad}");
    }

    assert!(
        app.get_json("/api/v1/invites").await["invites"]
            .as_array()
            .unwrap()
            .len()
            == 1
    );
    app.stop().await;
}

#[tokio::test]
async fn a_stranger_signs_in_with_plex_and_walks_away_with_an_accepted_share() {
    let app = app().await;
    let movies = library(&app, "Movies").await;
    let created = invite(
        &app,
        &json!({ "library_ids": [movies], "allow_downloads": true, "membership_days": 30, "max_uses": 5 }),
    )
    .await;
    let code = code(&created);
    let account = new_account(&app, "newcomer", false);
    let invitee = Invitee::new(account, 1);

    let (status, refused) = invitee.accept(&app, &code).await;
    assert_eq!(status, 409, "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("Sign in with Plex")
    );

    invitee.sign_in(&app, &code).await;
    let (_, preview) = invitee.get(&app, &format!("/api/v1/invite/{code}")).await;
    assert_eq!(preview["plex"]["username"], "newcomer", "{preview}");
    assert_eq!(preview["plex_problem"], Value::Null);

    let (status, accepted) = invitee.accept(&app, &code).await;
    assert_eq!(status, 200, "{accepted}");
    assert_eq!(
        accepted["accepted"], true,
        "pum accepted the share for them"
    );
    assert_eq!(accepted["libraries"], json!(["Movies"]));
    let share = share_on_plex(&app, account).await;
    assert_eq!(share["pending"], false, "{share}");
    assert_eq!(share["section_ids"], json!([movies]));
    assert_eq!(share["allow_sync"], true);

    let users = app.get_json("/api/v1/users?q=newcomer").await;
    let user = &users["users"][0];
    assert_eq!(user["username"], "newcomer");
    assert_eq!(user["library_ids"], json!([movies]));
    assert_eq!(user["pending"], false);
    let expires =
        chrono::DateTime::parse_from_rfc3339(user["expires_at"].as_str().unwrap()).unwrap();
    let days = (expires.with_timezone(&chrono::Utc) - SystemClock.now()).num_hours();
    assert!((29 * 24..=30 * 24).contains(&days), "{days} hours");

    // Redeeming again (a new browser, the same account) changes nothing and counts nothing.
    let again = Invitee::new(account, 2);
    again.sign_in(&app, &code).await;
    let (_, preview) = again.get(&app, &format!("/api/v1/invite/{code}")).await;
    assert_eq!(preview["redeemed"], true, "{preview}");
    let (status, second) = again.accept(&app, &code).await;
    assert_eq!(status, 200, "{second}");
    let shown = detail(&app, created["id"].as_str().unwrap()).await;
    assert_eq!(shown["uses"], 1);
    let redemptions = shown["redemptions"].as_array().unwrap();
    assert_eq!(redemptions.len(), 1);
    assert_eq!(redemptions[0]["status"], "shared");
    assert_eq!(redemptions[0]["username"], "newcomer");
    assert_eq!(redemptions[0]["user_id"], user["id"]);
    let creations = share_creations(&app);
    assert_eq!(creations, 1, "one share was ever created");

    // The invitee's token was never stored.
    assert_not_in_database(&app, &app.sim.control.account(account).unwrap().token);
    app.stop().await;
}

#[tokio::test]
async fn pre_flight_answers_are_plain_words_and_cost_no_use() {
    let app = app().await;
    let created = invite(&app, &json!({ "all_libraries": true, "max_uses": 1 })).await;
    let code = code(&created);

    // A friend who already has access (synced from Plex).
    let alice = app
        .sim
        .control
        .accounts()
        .into_iter()
        .find(|a| a.username == "alice")
        .unwrap()
        .id;
    let existing = Invitee::new(alice, 1);
    existing.sign_in(&app, &code).await;
    let (_, preview) = existing.get(&app, &format!("/api/v1/invite/{code}")).await;
    assert!(
        preview["plex_problem"]
            .as_str()
            .unwrap()
            .contains("already have access"),
        "{preview}"
    );
    let (status, refused) = existing.accept(&app, &code).await;
    assert_eq!(status, 409);
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("already have access")
    );

    let unverified = Invitee::new(new_account(&app, "unverified", true), 2);
    unverified.sign_in(&app, &code).await;
    let (status, refused) = unverified.accept(&app, &code).await;
    assert_eq!(status, 409);
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("not verified"),
        "{refused}"
    );

    let owner = Invitee::new(app.sim.control.owner_id(), 3);
    owner.sign_in(&app, &code).await;
    let (status, refused) = owner.accept(&app, &code).await;
    assert_eq!(status, 409);
    assert!(
        refused["message"].as_str().unwrap().contains("owner"),
        "{refused}"
    );
    assert_eq!(
        detail(&app, created["id"].as_str().unwrap()).await["uses"],
        0
    );
    app.stop().await;
}

#[tokio::test]
async fn unknown_codes_all_look_alike_and_guessing_is_cut_off() {
    let app = app().await;
    let created = invite(&app, &json!({ "all_libraries": true })).await;
    let guesser = Invitee::new(0, 7);
    let (status, unknown) = guesser
        .get(&app, "/api/v1/invite/AAAAAAAAAAAAAAAAAAAAAA")
        .await;
    assert_eq!(status, 404);
    let (status, malformed) = guesser.get(&app, "/api/v1/invite/x%20y").await;
    assert_eq!(status, 404);
    assert_eq!(unknown["message"], malformed["message"]);
    for n in 0..8 {
        let (status, _) = guesser
            .get(&app, &format!("/api/v1/invite/guess{n:04}"))
            .await;
        assert_eq!(status, 404);
    }
    let (status, limited) = guesser
        .get(&app, &format!("/api/v1/invite/{}", code(&created)))
        .await;
    assert_eq!(
        status, 429,
        "after ten misses even a real code is refused: {limited}"
    );
    assert!(limited["retry_after_seconds"].as_u64().unwrap() > 0);
    let other = Invitee::new(0, 8);
    let (status, _) = other
        .get(&app, &format!("/api/v1/invite/{}", code(&created)))
        .await;
    assert_eq!(status, 200, "other addresses are not affected");
    app.stop().await;
}

/// Signs in `n` new accounts on `code`, each in its own browser at its own address.
async fn signed_in_strangers(app: &TestApp, code: &str, prefix: &str, n: u32) -> Vec<Invitee> {
    let mut out = Vec::new();
    for i in 0..n {
        let account = new_account(app, &format!("{prefix}{i}"), false);
        let invitee = Invitee::new(account, i + 20);
        invitee.sign_in(app, code).await;
        out.push(invitee);
    }
    out
}

async fn race(app: &TestApp, code: &str, invitees: &[Invitee]) -> (usize, Vec<u16>) {
    let results = futures::future::join_all(invitees.iter().map(|i| i.accept(app, code))).await;
    let statuses: Vec<u16> = results.iter().map(|(s, _)| *s).collect();
    (statuses.iter().filter(|s| **s == 200).count(), statuses)
}

fn shares_for(app: &TestApp, invitees: &[Invitee]) -> usize {
    invitees
        .iter()
        .filter(|i| app.sim.control.share_of(i.account).is_some())
        .count()
}

#[tokio::test]
async fn a_single_use_invite_raced_by_fifty_accounts_is_used_exactly_once() {
    let app = app().await;
    app.sim.control.set_faults(Faults {
        share_delay_ms: 200,
        ..Faults::default()
    });
    let single = invite(&app, &json!({ "all_libraries": true, "max_uses": 1 })).await;
    let invitees = signed_in_strangers(&app, &code(&single), "racer", 50).await;
    let (wins, statuses) = race(&app, &code(&single), &invitees).await;
    assert_eq!(wins, 1, "{statuses:?}");
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 409),
        "{statuses:?}"
    );
    assert_eq!(shares_for(&app, &invitees), 1, "exactly one share on Plex");
    let shown = detail(&app, single["id"].as_str().unwrap()).await;
    assert_eq!(shown["uses"], 1);
    assert_eq!(shown["state"], "used_up");
    let shared = shown["redemptions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "shared")
        .count();
    assert_eq!(shared, 1);

    let three = invite(&app, &json!({ "all_libraries": true, "max_uses": 3 })).await;
    let invitees = signed_in_strangers(&app, &code(&three), "trio", 12).await;
    let (wins, statuses) = race(&app, &code(&three), &invitees).await;
    assert_eq!(wins, 3, "{statuses:?}");
    assert_eq!(shares_for(&app, &invitees), 3);
    assert_eq!(detail(&app, three["id"].as_str().unwrap()).await["uses"], 3);
    app.stop().await;
}

#[tokio::test]
async fn one_account_redeeming_in_several_browsers_at_once_counts_once() {
    let app = app().await;
    app.sim.control.set_faults(Faults {
        share_delay_ms: 200,
        ..Faults::default()
    });
    let created = invite(&app, &json!({ "all_libraries": true, "max_uses": 5 })).await;
    let code = code(&created);
    let account = new_account(&app, "eager", false);
    let mut browsers = Vec::new();
    for n in 0..5 {
        let browser = Invitee::new(account, n + 1);
        browser.sign_in(&app, &code).await;
        browsers.push(browser);
    }
    let (wins, statuses) = race(&app, &code, &browsers).await;
    assert!(wins >= 1, "{statuses:?}");
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 409),
        "{statuses:?}"
    );
    let shown = detail(&app, created["id"].as_str().unwrap()).await;
    assert_eq!(shown["uses"], 1);
    assert_eq!(shown["redemptions"].as_array().unwrap().len(), 1);
    let creations = share_creations(&app);
    assert_eq!(creations, 1);
    app.stop().await;
}

#[tokio::test]
async fn expiry_and_disabling_are_checked_when_the_invite_is_redeemed() {
    let app = app().await;
    let disabled = invite(&app, &json!({ "all_libraries": true })).await;
    let one = Invitee::new(new_account(&app, "late1", false), 1);
    one.sign_in(&app, &code(&disabled)).await;
    let (status, _) = patch(
        &app,
        disabled["id"].as_str().unwrap(),
        &json!({ "disabled": true }),
    )
    .await;
    assert_eq!(status, 200);
    let (status, refused) = one.accept(&app, &code(&disabled)).await;
    assert_eq!(status, 409);
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("switched off"),
        "{refused}"
    );

    let soon = SystemClock.now() + chrono::Duration::seconds(2);
    let expiring = invite(&app, &json!({ "all_libraries": true, "expires_at": soon })).await;
    let two = Invitee::new(new_account(&app, "late2", false), 2);
    two.sign_in(&app, &code(&expiring)).await;
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let (status, refused) = two.accept(&app, &code(&expiring)).await;
    assert_eq!(status, 409);
    assert!(
        refused["message"].as_str().unwrap().contains("expired"),
        "{refused}"
    );
    assert!(app.sim.control.share_of(one.account).is_none());
    assert!(app.sim.control.share_of(two.account).is_none());
    app.stop().await;
}

#[tokio::test]
async fn plex_and_database_failures_leave_no_orphan_shares() {
    let app = app().await;
    let created = invite(&app, &json!({ "all_libraries": true, "max_uses": 10 })).await;
    let code = code(&created);

    // Plex creates the share but answers 500: its list settles it.
    app.sim.control.set_faults(Faults {
        share_then_fail: 1,
        ..Faults::default()
    });
    let flaky = Invitee::new(new_account(&app, "flaky", false), 1);
    flaky.sign_in(&app, &code).await;
    let (status, body) = flaky.accept(&app, &code).await;
    assert_eq!(status, 200, "{body}");
    assert!(app.sim.control.share_of(flaky.account).is_some());

    // Plex refuses: the reason is shown and the use given back.
    let refused = Invitee::new(new_account(&app, "refused", false), 2);
    app.sim.control.set_faults(Faults {
        refuse_changes_for: vec![refused.account],
        ..Faults::default()
    });
    refused.sign_in(&app, &code).await;
    let (status, body) = refused.accept(&app, &code).await;
    assert_eq!(status, 502, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("refuse"),
        "{body}"
    );
    app.sim.control.set_faults(Faults::default());
    assert_eq!(
        detail(&app, created["id"].as_str().unwrap()).await["uses"],
        1
    );

    // The database fails after Plex shared: the reconciler records the user, once.
    app.db
        .execute_for_tests(match app.db.engine() {
            pum_db::Engine::Sqlite => {
                "CREATE TRIGGER fail_user_insert BEFORE INSERT ON users \
                 BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
            }
            pum_db::Engine::Postgres => {
                "CREATE FUNCTION fail_user_insert() RETURNS trigger AS $$ \
                 BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql; \
                 CREATE TRIGGER fail_user_insert BEFORE INSERT ON users \
                 FOR EACH ROW EXECUTE FUNCTION fail_user_insert();"
            }
        })
        .await
        .unwrap();
    let unlucky = Invitee::new(new_account(&app, "unlucky", false), 3);
    unlucky.sign_in(&app, &code).await;
    let (status, body) = unlucky.accept(&app, &code).await;
    assert_eq!(status, 500, "{body}");
    assert!(
        app.sim.control.share_of(unlucky.account).is_some(),
        "Plex shared"
    );
    app.db
        .execute_for_tests("DROP TRIGGER fail_user_insert ON users")
        .await
        .or(app
            .db
            .execute_for_tests("DROP TRIGGER fail_user_insert")
            .await)
        .unwrap();
    let (status, run) = TestApp::call(
        app.http
            .post(app.url("/api/v1/jobs/runs"))
            .header("origin", &app.address)
            .json(&json!({ "job": "reconcile_invites" })),
    )
    .await;
    assert_eq!(status, 202, "{run}");
    let run = app.wait_for_run(run["id"].as_str().unwrap()).await;
    assert_eq!(run["status"], "succeeded", "{run}");
    assert!(
        run["detail"]
            .as_str()
            .unwrap()
            .contains("1 redemption(s) finished"),
        "{run}"
    );
    let users = app.get_json("/api/v1/users?q=unlucky").await;
    assert_eq!(users["total"], 1, "{users}");
    let shown = detail(&app, created["id"].as_str().unwrap()).await;
    assert_eq!(shown["uses"], 2);
    // Redeeming again is a no-op: still one share, one user.
    let (status, body) = unlucky.accept(&app, &code).await;
    assert!(status == 200 || status == 409, "{status} {body}");
    let creations = share_creations(&app);
    assert_eq!(creations, 3, "flaky, refused and unlucky: one attempt each");
    app.stop().await;
}

/// A Discord stand-in: the token endpoint, `/users/@me` and the guild member check.
async fn discord(member: bool) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "discord-access", "token_type": "Bearer", "expires_in": 600,
            "scope": "identify"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v10/users/@me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "80351110224678912", "username": "nelly", "global_name": "Nelly"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/api/v10/guilds/41771983423143937/members/80351110224678912",
        ))
        .respond_with(
            ResponseTemplate::new(if member { 200 } else { 404 }).set_body_json(json!({})),
        )
        .mount(&server)
        .await;
    server
}

async fn set_up_discord(app: &TestApp, linking: &str) {
    let (status, body) = TestApp::call(
        app.http
            .patch(app.url("/api/v1/settings/discord"))
            .header("origin", &app.address)
            .json(&json!({
                "client_id": "123456789012345678",
                "client_secret": "a-long-client-secret",
                "bot_token": "bot-secret",
                "guild_id": "41771983423143937",
                "linking": linking,
            })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

/// What Discord's redirect makes the page send.
async fn callback(app: &TestApp, client: &Invitee, state: &str) -> (u16, Value) {
    let request = client
        .client
        .post(app.url("/api/v1/discord/callback"))
        .json(&json!({ "code": "the-code", "state": state }));
    client.send(app, request).await
}

fn state_of(auth_url: &str) -> String {
    let url = reqwest::Url::parse(auth_url).unwrap();
    url.query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .unwrap()
}

#[tokio::test]
async fn discord_linking_is_bound_to_the_browser_and_its_state_is_single_use() {
    let discord = discord(true).await;
    let app = app_with(Options {
        discord_url: Some(discord.uri()),
        ..Options::default()
    })
    .await;
    set_up_discord(&app, "required").await;
    let created = invite(&app, &json!({ "all_libraries": true })).await;
    assert_eq!(created["effective_discord_linking"], "required");
    let code = code(&created);
    let invitee = Invitee::new(new_account(&app, "gamer", false), 1);
    invitee.sign_in(&app, &code).await;
    let (status, refused) = invitee.accept(&app, &code).await;
    assert_eq!(status, 409);
    assert!(
        refused["message"].as_str().unwrap().contains("Discord"),
        "{refused}"
    );

    let (status, started) = invitee
        .post(&app, &format!("/api/v1/invite/{code}/discord"))
        .await;
    assert_eq!(status, 200, "{started}");
    let auth_url = started["auth_url"].as_str().unwrap();
    assert!(
        auth_url.starts_with(&format!("{}/oauth2/authorize", discord.uri())),
        "{auth_url}"
    );
    assert!(auth_url.contains("redirect_uri="), "{auth_url}");
    let state = state_of(auth_url);

    // Another browser, a missing or a made-up state: refused.
    let thief = Invitee::new(0, 9);
    assert_eq!(callback(&app, &thief, &state).await.0, 400);
    assert_eq!(callback(&app, &invitee, "").await.0, 400);
    assert_eq!(callback(&app, &invitee, "made-up").await.0, 400);
    let (status, linked) = callback(&app, &invitee, &state).await;
    assert_eq!(
        (status, linked["username"].as_str()),
        (200, Some("Nelly")),
        "{linked}"
    );
    assert_eq!(
        callback(&app, &invitee, &state).await.0,
        400,
        "a state works once"
    );

    let (status, accepted) = invitee.accept(&app, &code).await;
    assert_eq!(status, 200, "{accepted}");
    let users = app.get_json("/api/v1/users?q=gamer").await;
    assert_eq!(users["users"][0]["has_discord"], true);
    app.stop().await;
}

#[tokio::test]
async fn a_discord_server_membership_requirement_is_enforced() {
    let discord = discord(false).await;
    let app = app_with(Options {
        discord_url: Some(discord.uri()),
        ..Options::default()
    })
    .await;
    set_up_discord(&app, "optional").await;
    let created = invite(
        &app,
        &json!({ "all_libraries": true, "discord_linking": "required", "require_guild_membership": true }),
    )
    .await;
    let code = code(&created);
    let invitee = Invitee::new(new_account(&app, "outsider", false), 1);
    invitee.sign_in(&app, &code).await;
    let (_, preview) = invitee.get(&app, &format!("/api/v1/invite/{code}")).await;
    assert_eq!(preview["guild_required"], true);
    let (_, started) = invitee
        .post(&app, &format!("/api/v1/invite/{code}/discord"))
        .await;
    let state = state_of(started["auth_url"].as_str().unwrap());
    let (status, refused) = callback(&app, &invitee, &state).await;
    assert_eq!(status, 403, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("member"));
    let (status, _) = invitee.accept(&app, &code).await;
    assert_eq!(status, 409, "Discord is still not linked");
    app.stop().await;
}
