use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use pum_db::scratch::ScratchDb;

use crate::helpers::postgres_admin_url;

fn pum() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pum"));
    // A clean directory, so no stray pum.toml is picked up, and no inherited settings.
    command.current_dir(std::env::temp_dir());
    for (key, _) in std::env::vars() {
        if key.starts_with("PUM_") && key != "PUM_TEST_DATABASE_URL" {
            command.env_remove(key);
        }
    }
    command
}

fn run(args: &[&str]) -> Output {
    pum().args(args).output().expect("run pum")
}

fn one_line_error(output: &Output) -> String {
    assert!(!output.status.success(), "expected failure");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Log lines may come first; the error itself is the last line, and the only one.
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("pum: error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    let last = stderr.trim_end().lines().last().unwrap_or_default();
    assert!(last.starts_with("pum: error: "), "{stderr}");
    last.to_owned()
}

#[test]
fn version_and_help_work_for_every_subcommand() {
    let version = run(&["--version"]);
    assert!(version.status.success());
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("pum {}", env!("CARGO_PKG_VERSION"))
    );
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["demo", "--help"],
        vec!["migrate", "--help"],
        vec!["migrate", "up", "--help"],
        vec!["migrate", "status", "--help"],
        vec!["openapi", "--help"],
        vec!["admin", "list", "--help"],
        vec!["admin", "reset-password", "--help"],
    ] {
        let output = run(&args);
        assert!(output.status.success(), "{args:?}");
        assert!(!output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn a_bad_database_url_is_one_line_naming_the_flag() {
    let output = run(&["serve", "--database-url", "mysql://root:hunter2@db/pum"]);
    let stderr = one_line_error(&output);
    assert!(stderr.contains("--database-url"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn an_unreachable_database_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(&[
        "serve",
        "--data-dir",
        dir.path().to_str().unwrap(),
        "--database-url",
        "postgres://pum:hunter2@127.0.0.1:1/pum",
    ]);
    let stderr = one_line_error(&output);
    assert!(
        stderr.contains("cannot open database postgres://pum:***@127.0.0.1:1/pum"),
        "{stderr}"
    );
}

#[test]
fn an_unwritable_data_dir_is_one_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let data_dir = file.join("data");
    let output = run(&["serve", "--data-dir", data_dir.to_str().unwrap()]);
    let stderr = one_line_error(&output);
    assert!(
        stderr.contains(&format!("'{}'", data_dir.display())),
        "{stderr}"
    );
}

#[test]
fn a_bad_environment_value_is_one_line_naming_the_variable() {
    let output = pum()
        .args(["serve"])
        .env("PUM_BIND", "localhost")
        .output()
        .unwrap();
    let stderr = one_line_error(&output);
    assert!(stderr.contains("invalid PUM_BIND 'localhost'"), "{stderr}");
}

#[test]
fn a_bad_config_file_is_one_line_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("pum.toml");
    std::fs::write(&config, "[server]\nbind = 5\n").unwrap();
    let output = run(&["serve", "--config", config.to_str().unwrap()]);
    let stderr = one_line_error(&output);
    assert!(stderr.contains("pum.toml"), "{stderr}");
}

#[test]
fn openapi_prints_the_committed_document() {
    let output = run(&["openapi"]);
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        pum_server::openapi::document_json()
    );
}

#[test]
fn migrate_status_and_up_report_each_migration() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let before = String::from_utf8(run(&["migrate", "status", "--data-dir", data]).stdout).unwrap();
    assert!(
        before.contains("pending  m20261124_000001_create_auth_sessions"),
        "{before}"
    );
    let up = run(&["migrate", "up", "--data-dir", data]);
    assert!(up.status.success());
    assert!(
        String::from_utf8_lossy(&up.stdout).contains("applied m20261124_000002_create_job_runs")
    );
    let after = String::from_utf8(run(&["migrate", "status", "--data-dir", data]).stdout).unwrap();
    assert!(!after.contains("pending"), "{after}");
    assert!(
        after.contains("applied  m20261124_000002_create_job_runs"),
        "{after}"
    );
}

#[tokio::test]
async fn admin_list_and_reset_password_work_from_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let refused = run(&["admin", "list", "--data-dir", data]);
    assert!(one_line_error(&refused).contains("not set up"));
    assert!(run(&["migrate", "up", "--data-dir", data]).status.success());
    let empty = run(&["admin", "list", "--data-dir", data]);
    assert!(empty.status.success());
    assert!(String::from_utf8_lossy(&empty.stdout).contains("no admins yet"));

    let db = pum_db::Db::connect_sqlite_file(&dir.path().join("pum.db"))
        .await
        .unwrap();
    pum_db::scratch::seed_admin(&db, "Jane").await.unwrap();
    let listed = run(&["admin", "list", "--data-dir", data]);
    assert!(String::from_utf8_lossy(&listed.stdout).contains("Jane"));

    let reset = run(&["admin", "reset-password", "jane", "--data-dir", data]);
    assert!(
        reset.status.success(),
        "{}",
        String::from_utf8_lossy(&reset.stderr)
    );
    let stdout = String::from_utf8_lossy(&reset.stdout).into_owned();
    let password = stdout
        .lines()
        .find_map(|l| l.strip_prefix("one-time password for jane: "))
        .unwrap()
        .to_owned();
    let stored = pum_db::repo::admins::find_by_username(&db, "jane")
        .await
        .unwrap()
        .unwrap();
    assert!(stored.must_change_password);
    assert!(pum_core::auth::password::verify(
        stored.password_hash.as_deref(),
        &password
    ));
    let unknown = run(&["admin", "reset-password", "nobody", "--data-dir", data]);
    assert!(one_line_error(&unknown).contains("no admin named"));
    db.close().await.unwrap();
}

/// A `pum` process and the lines it writes to stderr.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Running {
    fn spawn(args: &[&str]) -> Self {
        Self::spawn_with(args, &[])
    }

    fn spawn_with(args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut command = pum();
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command
            .args(args)
            .env("PUM_LOG_FORMAT", "json")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Self { child, lines }
    }

    /// Waits for the log line announcing the listening address and returns it.
    fn address(&self) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(30))
                .expect("pum did not announce its address");
            if let Some(rest) = line.split("listening on http://").nth(1) {
                return format!("http://{}", rest.split('"').next().unwrap());
            }
        }
    }

    /// Stops pum and returns its exit status with every line it wrote to stderr since
    /// [`Running::address`].
    fn terminate_and_wait_keeping_lines(mut self) -> (std::process::ExitStatus, Vec<String>) {
        let status = self.stop();
        // The reader thread ends at end of file, which drops the sender.
        (status, self.lines.iter().collect())
    }

    fn terminate_and_wait(mut self) -> std::process::ExitStatus {
        self.stop()
    }

    fn stop(&mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "pum did not stop on SIGTERM"
            );
            std::thread::park_timeout(Duration::from_millis(50));
        }
    }
}

#[tokio::test]
async fn serve_migrates_answers_readyz_and_stops_cleanly_on_sigterm() {
    let scratch = ScratchDb::new(postgres_admin_url().as_deref())
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let running = Running::spawn(&[
        "serve",
        "--bind",
        "127.0.0.1:0",
        "--data-dir",
        data.path().to_str().unwrap(),
        "--database-url",
        &scratch.url,
    ]);
    let address = running.address();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let ready = reqwest::get(format!("{address}/readyz")).await.unwrap();
    assert_eq!(ready.status(), 200);
    let status = running.terminate_and_wait();
    assert!(status.success(), "exit status {status}");
}

#[tokio::test]
async fn json_logs_are_one_object_per_line() {
    let data = tempfile::tempdir().unwrap();
    let running = Running::spawn(&[
        "serve",
        "--bind",
        "127.0.0.1:0",
        "--data-dir",
        data.path().to_str().unwrap(),
    ]);
    let first = running.lines.recv_timeout(Duration::from_secs(30)).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&first).expect("a JSON log line");
    assert!(parsed["level"].is_string());
    running.address();
    assert!(running.terminate_and_wait().success());
}

// Multi-threaded: the simulator keeps answering while this thread waits on pum's output.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_never_reach_the_logs_even_at_trace_level() {
    const PASSWORD: &str = "canary owner passphrase 91";
    const CLIENT_SECRET: &str = "canary-discord-secret-5d1a";
    const BOT_TOKEN: &str = "canary-discord-bot-77e0c4";
    let sim = plex_sim::PlexSim::builder().start().unwrap();
    let data = tempfile::tempdir().unwrap();
    let running = Running::spawn_with(
        &[
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--data-dir",
            data.path().to_str().unwrap(),
        ],
        &[
            ("PUM_LOG", "trace"),
            ("PUM_PLEX_URL", &sim.pms_url),
            ("PUM_PLEX_TOKEN", &sim.owner_token),
            ("PUM_PLEX_TV_URL", &sim.plex_tv_url),
            ("PUM_PLEX_CLIENTS_URL", &sim.clients_plex_tv_url),
        ],
    );
    let address = running.address();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = crate::helpers::cookie_client();
    let url = |path: &str| format!("{address}{path}");
    let owner = serde_json::json!({ "username": "jane", "password": PASSWORD });
    let created = client
        .post(url("/api/v1/setup/owner"))
        .json(&owner)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 200);
    let discord = serde_json::json!({
        "client_id": "123456789012345678", "client_secret": CLIENT_SECRET, "bot_token": BOT_TOKEN,
    });
    let patched = client
        .patch(url("/api/v1/settings/discord"))
        .json(&discord)
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), 200);
    let servers = client
        .get(url("/api/v1/settings/plex/servers"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        servers.status(),
        200,
        "the token was used against the simulator"
    );
    let wrong = serde_json::json!({ "username": "jane", "password": format!("{PASSWORD}x") });
    let failed = client
        .post(url("/api/v1/auth/sign-in"))
        .json(&wrong)
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), 401);
    let lines: Vec<String> = {
        let status = running.terminate_and_wait_keeping_lines();
        assert!(status.0.success());
        status.1
    };
    sim.stop().await;
    assert!(
        lines.len() > 20,
        "trace logging was on: {} lines",
        lines.len()
    );
    let log = lines.join("\n");
    for canary in [PASSWORD, CLIENT_SECRET, BOT_TOKEN, sim.owner_token.as_str()] {
        use base64::Engine as _;
        let forms = [
            canary.to_owned(),
            canary.replace(' ', "%20"),
            canary.replace(' ', "+"),
            base64::engine::general_purpose::STANDARD.encode(canary),
        ];
        for form in forms {
            assert!(!log.contains(&form), "the log holds a secret ({form})");
        }
    }
}
