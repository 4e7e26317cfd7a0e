//! What each subcommand does.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context as _;
use plex_sim::PlexSim;
use pum_db::Db;
use secrecy::SecretString;

use crate::cli::{Cli, Command, MigrateAction};
use crate::config::Settings;
use crate::startup::Application;
use crate::telemetry;

/// Runs the parsed command line. `env` looks up environment variables.
pub async fn dispatch(cli: Cli, env: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
    let config = cli.config.as_deref();
    match cli.command {
        Command::Serve(args) => {
            let settings = Settings::load(Settings::default(), config, env, &args.overrides())?;
            serve(&settings).await
        }
        Command::Demo(args) => {
            let settings = Settings::load(demo_defaults(), config, env, &args.overrides())?;
            demo(settings).await
        }
        Command::Migrate { action } => {
            let (MigrateAction::Up(args) | MigrateAction::Status(args)) = &action;
            let settings = Settings::load(Settings::default(), config, env, &args.overrides())?;
            telemetry::init(&settings.log);
            migrate(&settings, matches!(action, MigrateAction::Up(_))).await
        }
        Command::Openapi => {
            print(&crate::openapi::document_json());
            Ok(())
        }
    }
}

#[expect(clippy::print_stdout, reason = "command output goes to stdout")]
fn print(text: &str) {
    print!("{text}");
}

async fn serve(settings: &Settings) -> anyhow::Result<()> {
    telemetry::init(&settings.log);
    tracing::info!(settings = ?settings, "starting pum {}", env!("CARGO_PKG_VERSION"));
    Application::build(settings, false)
        .await?
        .run_until_stopped()
        .await
}

fn demo_defaults() -> Settings {
    let mut settings = Settings::default();
    settings.server.bind = SocketAddr::from(([127, 0, 0, 1], 5699));
    settings.data_dir = PathBuf::from("data/demo");
    settings
}

async fn demo(mut settings: Settings) -> anyhow::Result<()> {
    telemetry::init(&settings.log);
    let sim = PlexSim::builder()
        .start()
        .context("starting the simulated Plex")?;
    settings.plex.server_url = Some(sim.pms_url.clone());
    settings.plex.token = Some(SecretString::from(sim.owner_token.clone()));
    settings.plex.plex_tv_url.clone_from(&sim.plex_tv_url);
    settings
        .plex
        .clients_plex_tv_url
        .clone_from(&sim.clients_plex_tv_url);
    let app = Application::build(&settings, true).await?;
    let url = format!(
        "http://{}/",
        SocketAddr::new(settings.server.bind.ip(), app.port())
    );
    print(&format!(
        "pum demo is running at {url}\n  simulated Plex Media Server: {}\n  simulated plex.tv: {}\n  \
         data: {}\n  stop with Ctrl-C\n",
        sim.pms_url,
        sim.plex_tv_url,
        settings.data_dir.display()
    ));
    let result = app.run_until_stopped().await;
    sim.stop().await;
    result
}

async fn migrate(settings: &Settings, apply: bool) -> anyhow::Result<()> {
    let url = settings.database_url();
    if settings.database.url.is_none() {
        std::fs::create_dir_all(&settings.data_dir).with_context(|| {
            format!(
                "cannot create data directory '{}'",
                settings.data_dir.display()
            )
        })?;
    }
    let db = Db::connect(&url)
        .await
        .with_context(|| format!("cannot open database {}", crate::redacted_url(&url)))?;
    if apply {
        let applied = db.migrate().await.context("migrating the database")?;
        if applied.is_empty() {
            print("the database is up to date\n");
        }
        for name in applied {
            print(&format!("applied {name}\n"));
        }
    } else {
        let state = db
            .migration_state()
            .await
            .context("reading the schema version")?;
        for name in &state.applied {
            print(&format!("applied  {name}\n"));
        }
        for name in &state.pending {
            print(&format!("pending  {name}\n"));
        }
    }
    db.close().await?;
    Ok(())
}
