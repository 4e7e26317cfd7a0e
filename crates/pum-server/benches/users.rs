//! Users at scale: a sync of 10,000 users from the simulated plex.tv (first import and a
//! no-change resync), then pages of 50 out of those 10,000 users (plain, searched, filtered,
//! sorted by last seen) over HTTP on loopback. Run with
//! `cargo bench -p pum-server --bench users` (SQLite; set `PUM_BENCH_DATABASE_URL` to a
//! PostgreSQL server URL to use a scratch database there instead).
#![expect(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark binary reports on stdout and stops on failure"
)]

use std::time::{Duration, Instant};

use plex_sim::{PlexSim, World};
use pum_db::scratch::ScratchDb;
use pum_server::config::Settings;
use pum_server::startup::Application;
use secrecy::SecretString;
use serde_json::{Value, json};

const USERS: u64 = 10_000;
const REQUESTS: usize = 400;

/// The `per_mille`th of `sorted` (500: the median, 990: p99).
fn percentile(sorted: &[Duration], per_mille: usize) -> Duration {
    sorted[(sorted.len() - 1) * per_mille / 1000]
}

async fn sync(http: &reqwest::Client, base: &str) -> Value {
    let started: Value = http
        .post(format!("{base}/api/v1/users/sync"))
        .header("origin", base)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = started["id"].as_str().unwrap().to_owned();
    loop {
        let overview: Value = http
            .get(format!("{base}/api/v1/users/sync"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let latest = &overview["latest"];
        if latest["id"] == id.as_str()
            && !matches!(latest["status"].as_str(), Some("queued" | "running"))
        {
            return latest.clone();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn server_time(sync: &Value) -> Duration {
    let at = |k: &str| chrono::DateTime::parse_from_rfc3339(sync[k].as_str().unwrap()).unwrap();
    (at("finished_at") - at("started_at")).to_std().unwrap()
}

#[tokio::main]
async fn main() {
    let scratch = ScratchDb::new(std::env::var("PUM_BENCH_DATABASE_URL").ok().as_deref())
        .await
        .expect("scratch database");
    let sim = PlexSim::builder()
        .world(World::large(USERS))
        .start()
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let mut settings = Settings::default();
    settings.server.bind = "127.0.0.1:0".parse().unwrap();
    settings.server.web_dir = Some(data.path().join("no-web"));
    settings.data_dir = data.path().to_path_buf();
    settings.database.url = Some(SecretString::from(scratch.url.clone()));
    settings.plex.server_url = Some(sim.pms_url.clone());
    settings.plex.token = Some(SecretString::from(sim.owner_token.clone()));
    settings.plex.plex_tv_url.clone_from(&sim.plex_tv_url);
    settings
        .plex
        .clients_plex_tv_url
        .clone_from(&sim.clients_plex_tv_url);
    let app = Application::build(&settings, false).await.unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    let stop = app.stop_handle();
    let server = tokio::spawn(app.run_until_stopped());
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let created = http
        .post(format!("{base}/api/v1/setup/owner"))
        .header("origin", &base)
        .json(&json!({ "username": "bench", "password": "quiet orange lamp 77" }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 200);

    let first = sync(&http, &base).await;
    assert_eq!(first["added"], USERS, "{first}");
    let again = sync(&http, &base).await;
    assert_eq!(again["unchanged"], USERS, "{again}");
    println!(
        "sync of {USERS} users, first import (server time): {:?}",
        server_time(&first)
    );
    println!(
        "sync of {USERS} users, nothing changed (server time): {:?}",
        server_time(&again)
    );

    for (name, query) in [
        ("baseline: GET /api/v1/auth/me (authentication alone)", ""),
        ("page of 50, by name", "per_page=50&page={n}"),
        ("page of 50, searched", "per_page=50&q=user30000{n}"),
        (
            "page of 50, filtered + sorted by last seen",
            "per_page=50&page={n}&pending=false&sort=last_seen&order=desc",
        ),
    ] {
        let mut times = Vec::with_capacity(REQUESTS);
        for i in 0..REQUESTS {
            let path = query.replace("{n}", &(i % 200 + 1).to_string());
            let start = Instant::now();
            let url = if path.is_empty() {
                format!("{base}/api/v1/auth/me")
            } else {
                format!("{base}/api/v1/users?{path}")
            };
            let response = http.get(url).send().await.unwrap();
            assert_eq!(response.status(), 200);
            let body = response.bytes().await.unwrap();
            times.push(start.elapsed());
            assert!(!body.is_empty());
        }
        times.sort();
        println!(
            "{name} out of {USERS} (client-observed, {REQUESTS} requests): p50 {:?}, p99 {:?}, max {:?}",
            percentile(&times, 500),
            percentile(&times, 990),
            times[times.len() - 1]
        );
    }
    stop.stop().await;
    let _ = server.await;
    sim.stop().await;
}
