//! What each subcommand does.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context as _;
use plex_sim::PlexSim;
use pum_db::Db;
use secrecy::SecretString;

use crate::cli::{AdminAction, Cli, Command, MigrateAction};
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
            let settings = Settings::load(demo_defaults(), config, env, &args.serve.overrides())?;
            demo(settings, args.admin_password, args.setup).await
        }
        Command::Admin { action } => {
            let (AdminAction::List(args) | AdminAction::ResetPassword { database: args, .. }) =
                &action;
            let settings = Settings::load(Settings::default(), config, env, &args.overrides())?;
            telemetry::init(&settings.log);
            admin(&settings, action).await
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

/// The demo owner's username.
const DEMO_ADMIN: &str = "admin";

async fn demo(
    mut settings: Settings,
    admin_password: Option<String>,
    setup: bool,
) -> anyhow::Result<()> {
    telemetry::init(&settings.log);
    let mut sim = PlexSim::builder();
    if !setup {
        sim = sim.auto_approve_pins(std::time::Duration::from_secs(3));
    }
    let sim = sim.start().context("starting the simulated Plex")?;
    settings.plex.auth_app_url = format!("{}/auth", sim.plex_tv_url);
    settings.plex.server_url = Some(sim.pms_url.clone());
    settings.plex.token = Some(SecretString::from(sim.owner_token.clone()));
    settings.plex.plex_tv_url.clone_from(&sim.plex_tv_url);
    settings
        .plex
        .clients_plex_tv_url
        .clone_from(&sim.clients_plex_tv_url);
    let app = Application::build(&settings, true).await?;
    let password = admin_password.unwrap_or_else(|| pum_core::auth::tokens::random_secret(9));
    let seeded = !setup && app.seed_demo_owner(DEMO_ADMIN, &password).await?;
    let url = format!(
        "http://{}/",
        SocketAddr::new(settings.server.bind.ip(), app.port())
    );
    let sign_in = if setup {
        "open it to run the setup wizard".to_owned()
    } else if seeded {
        format!(
            "sign in as \"{DEMO_ADMIN}\" with password \"{password}\", or with Plex (approved automatically)"
        )
    } else {
        "sign in with the admin you made earlier (`pum admin reset-password admin` if forgotten), or with Plex".to_owned()
    };
    print(&format!(
        "pum demo is running at {url}\n  {sign_in}\n  simulated Plex Media Server: {}\n  simulated plex.tv: {}\n  \
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

async fn admin(settings: &Settings, action: AdminAction) -> anyhow::Result<()> {
    let admins = crate::startup::admin_tools(settings).await?;
    match action {
        AdminAction::List(_) => {
            let list = admins.list().await?;
            if list.is_empty() {
                print("no admins yet: open pum in a browser to create the owner\n");
            }
            for detail in list {
                let admin = &detail.admin;
                let roles = if admin.is_owner {
                    "owner".to_owned()
                } else {
                    detail
                        .roles
                        .iter()
                        .map(|r| r.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                print(&format!(
                    "{:<24} {:<28} plex: {:<20} last sign-in: {}\n",
                    admin.username,
                    if roles.is_empty() {
                        "(no roles)"
                    } else {
                        &roles
                    },
                    admin.plex_username.as_deref().unwrap_or("-"),
                    admin.last_sign_in_at.map_or_else(
                        || "never".to_owned(),
                        |t| t.format("%Y-%m-%d %H:%M UTC").to_string()
                    ),
                ));
            }
        }
        AdminAction::ResetPassword { username, .. } => {
            let password = admins.reset_password_from_shell(&username).await?;
            print(&format!(
                "one-time password for {username}: {}\nthey must choose a new one when they sign in; their sessions have ended\n",
                password.as_str()
            ));
        }
    }
    Ok(())
}
