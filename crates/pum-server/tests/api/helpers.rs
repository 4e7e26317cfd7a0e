use std::path::{Path, PathBuf};
use std::time::Duration;

use plex_sim::{PlexSim, RunningSim};
use pum_db::Db;
use pum_db::scratch::ScratchDb;
use pum_server::config::Settings;
use pum_server::startup::{Application, StopHandle};
use secrecy::SecretString;
use serde_json::Value;

/// The PostgreSQL server to test against, if any.
pub(crate) fn postgres_admin_url() -> Option<String> {
    std::env::var("PUM_TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
}

/// A running pum on a random port, with its own database and simulator.
pub(crate) struct TestApp {
    pub(crate) address: String,
    /// Signed in as the owner (when the app was spawned with one), cookies kept.
    pub(crate) http: reqwest::Client,
    /// No credentials at all.
    pub(crate) anon: reqwest::Client,
    pub(crate) db: Db,
    pub(crate) sim: RunningSim,
    stop: StopHandle,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    // Declared last: dropped after the app has let go of the database.
    _data: tempfile::TempDir,
    scratch_db: std::sync::Arc<ScratchDb>,
}

/// Options for [`spawn_app_with`].
#[derive(Default, Clone)]
pub(crate) struct Options {
    pub(crate) worker: bool,
    pub(crate) web_dir: Option<PathBuf>,
    /// Reuse the database of an earlier app (restart tests).
    pub(crate) scratch: Option<std::sync::Arc<ScratchDb>>,
    /// Create the owner ([`OWNER`]) and sign `http` in as them.
    pub(crate) owner: bool,
    /// `PUM_TRUSTED_PROXIES`.
    pub(crate) trusted_proxies: Vec<ipnet::IpNet>,
    /// The simulated Plex (the demo world when absent).
    pub(crate) world: Option<plex_sim::World>,
    /// `PUM_PLEX_TIMEOUT_SECS`.
    pub(crate) plex_timeout_secs: Option<u64>,
    /// `PUM_DISCORD_URL` (a stand-in).
    pub(crate) discord_url: Option<String>,
}

/// The owner's username and password in test apps spawned with an owner.
pub(crate) const OWNER: (&str, &str) = ("owner", "violet kettle drum 42");

/// The master key of test instances (tests only; pum never compiles a key in).
pub(crate) const TEST_SECRET_KEY: &str = "dGVzdC1vbmx5LWtleS0wMTIzNDU2Nzg5YWJjZGVmMDE=";

/// Settings for a test instance on `scratch` and `sim`, keeping its state in `data_dir`, with
/// no secret key configured.
pub(crate) fn test_settings(sim: &RunningSim, scratch: &ScratchDb, data_dir: &Path) -> Settings {
    let mut settings = Settings::default();
    settings.server.bind = "127.0.0.1:0".parse().unwrap();
    settings.server.web_dir = Some(data_dir.join("no-web-dir"));
    settings.data_dir = data_dir.to_path_buf();
    settings.database.url = Some(SecretString::from(scratch.url.clone()));
    settings.plex.server_url = Some(sim.pms_url.clone());
    settings.plex.token = Some(SecretString::from(sim.owner_token.clone()));
    settings.plex.plex_tv_url.clone_from(&sim.plex_tv_url);
    settings
        .plex
        .clients_plex_tv_url
        .clone_from(&sim.clients_plex_tv_url);
    settings
}

pub(crate) async fn spawn_app() -> TestApp {
    spawn_app_with(Options {
        worker: true,
        owner: true,
        ..Options::default()
    })
    .await
}

/// A client that keeps cookies and never follows redirects.
pub(crate) fn cookie_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

pub(crate) async fn spawn_app_with(options: Options) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        pum_server::telemetry::init(&pum_server::config::LogSettings {
            format: pum_server::config::LogFormat::Pretty,
            filter: "debug".to_owned(),
        });
    }
    let scratch = match options.scratch {
        Some(s) => s,
        None => std::sync::Arc::new(
            ScratchDb::new(postgres_admin_url().as_deref())
                .await
                .expect("scratch database"),
        ),
    };
    let mut builder = PlexSim::builder();
    if let Some(world) = options.world {
        builder = builder.world(world);
    }
    let sim = builder.start().expect("simulator");
    let data = tempfile::tempdir().expect("data dir");
    let mut settings = test_settings(&sim, &scratch, data.path());
    // Instances sharing a database share its key, as operators are told to do.
    settings.security.secret_key = Some(SecretString::from(TEST_SECRET_KEY));
    if let Some(web_dir) = options.web_dir {
        settings.server.web_dir = Some(web_dir);
    }
    settings.jobs.worker = options.worker;
    settings.server.trusted_proxies = options.trusted_proxies;
    settings.jobs.poll_interval_ms = 50;
    if let Some(secs) = options.plex_timeout_secs {
        settings.plex.timeout_secs = secs;
    }
    if let Some(url) = options.discord_url {
        settings.discord.base_url = url;
    }

    let app = Application::build(&settings, false)
        .await
        .expect("build app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.db().clone();
    let stop = app.stop_handle();
    let task = tokio::spawn(app.run_until_stopped());
    let app = TestApp {
        address,
        http: cookie_client(),
        anon: cookie_client(),
        db,
        sim,
        stop,
        task: Some(task),
        _data: data,
        scratch_db: scratch,
    };
    if options.owner {
        let response = app
            .post_json(
                "/api/v1/setup/owner",
                &serde_json::json!({ "username": OWNER.0, "password": OWNER.1 }),
            )
            .await;
        assert_eq!(response.status(), 200, "creating the owner");
    }
    app
}

impl TestApp {
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub(crate) async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.expect("request")
    }

    pub(crate) async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("json")
    }

    pub(crate) async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// Sends `request` and returns the status and JSON body (`Null` when there is none).
    pub(crate) async fn call(request: reqwest::RequestBuilder) -> (u16, Value) {
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, body)
    }

    /// Creates an admin with `permissions` (through a role of the same name) and returns a
    /// client signed in as them, after they replaced their temporary password.
    pub(crate) async fn admin_with(&self, username: &str, permissions: &[&str]) -> reqwest::Client {
        let (status, role) = Self::call(
            self.http
                .post(self.url("/api/v1/roles"))
                .json(&serde_json::json!({ "name": format!("role of {username}"), "permissions": permissions })),
        )
        .await;
        assert_eq!(status, 201, "{role}");
        let (status, admin) = Self::call(self.http.post(self.url("/api/v1/admins")).json(
            &serde_json::json!({
                "username": username,
                "password": "temporary pass 1",
                "role_ids": [role["id"]],
            }),
        ))
        .await;
        assert_eq!(status, 201, "{admin}");
        let client = self.signed_in(username, "temporary pass 1").await;
        let (status, body) = Self::call(client.post(self.url("/api/v1/auth/password")).json(
            &serde_json::json!({
                "current_password": "temporary pass 1",
                "new_password": "a fresh secret 2",
            }),
        ))
        .await;
        assert_eq!(status, 204, "{body}");
        client
    }

    /// A new client signed in as `username`.
    pub(crate) async fn signed_in(&self, username: &str, password: &str) -> reqwest::Client {
        let client = cookie_client();
        let response = client
            .post(self.url("/api/v1/auth/sign-in"))
            .json(&serde_json::json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 200, "signing in as {username}");
        client
    }

    /// Signs `http` in as the owner created by an earlier app on the same database.
    pub(crate) async fn with_owner_signed_in(mut self) -> Self {
        self.http = self.signed_in(OWNER.0, OWNER.1).await;
        self
    }

    /// The scratch database, to start another app on it.
    pub(crate) fn scratch(&self) -> std::sync::Arc<ScratchDb> {
        self.scratch_db.clone()
    }

    /// Stops the app gracefully and waits until it has exited.
    pub(crate) async fn stop(mut self) {
        self.stop.stop().await;
        if let Some(task) = self.task.take() {
            task.await.expect("app task").expect("app exited cleanly");
        }
        self.sim.stop().await;
    }

    /// Polls `GET /api/v1/jobs/runs` until the run `id` has finished (or 15 s pass).
    pub(crate) async fn wait_for_run(&self, id: &str) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            let runs = self.get_json("/api/v1/jobs/runs").await;
            let run = runs["runs"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == id)
                .cloned();
            if let Some(run) = run.filter(|r| r["status"] == "succeeded" || r["status"] == "failed")
            {
                return run;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "run {id} did not finish in time"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Writes a minimal built SPA into `dir`.
pub(crate) fn fake_web_dir(dir: &Path) -> PathBuf {
    let web = dir.join("web");
    std::fs::create_dir_all(web.join("assets")).unwrap();
    std::fs::write(
        web.join("index.html"),
        "<!doctype html><title>pum</title><script type=\"module\" src=\"/assets/app-1a2b3c.js\"></script>",
    )
    .unwrap();
    std::fs::write(web.join("assets/app-1a2b3c.js"), "console.log('pum');").unwrap();
    std::fs::write(web.join("robots.txt"), "User-agent: *\nDisallow: /\n").unwrap();
    web
}
