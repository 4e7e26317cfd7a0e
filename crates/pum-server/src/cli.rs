//! The `pum` command line.
#![expect(
    clippy::doc_markdown,
    reason = "doc comments here are --help text for people"
)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::Overrides;

/// Plex User Manager: invites, users, lifecycle and monitoring for a Plex Media Server.
#[derive(Debug, Parser)]
#[command(name = "pum", version, propagate_version = true)]
pub struct Cli {
    /// Configuration file (TOML). Default: `pum.toml` in the working directory, if present.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web interface, the API and the job worker.
    Serve(ServeArgs),
    /// Run pum against a built-in simulated Plex with demo data (listens on 127.0.0.1).
    Demo(DemoArgs),
    /// List admins or reset an admin's password, from the shell.
    Admin {
        /// list or reset-password.
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Apply or inspect database migrations.
    Migrate {
        /// up or status.
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Print the OpenAPI document of the HTTP API.
    Openapi,
}

/// `pum migrate …`.
#[derive(Debug, Subcommand)]
pub enum MigrateAction {
    /// Apply every pending migration (`pum serve` does this at start-up too).
    Up(DatabaseArgs),
    /// List applied and pending migrations.
    Status(DatabaseArgs),
}

/// `pum admin …`.
#[derive(Debug, Subcommand)]
pub enum AdminAction {
    /// List every admin with their roles and last sign-in.
    List(DatabaseArgs),
    /// Give an admin a one-time password (printed once) and end their sessions.
    ResetPassword {
        /// The admin's username.
        username: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// Flags of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub serve: ServeArgs,
    /// Password of the demo owner `admin` (default: a random one, printed at start).
    #[arg(long, value_name = "PASSWORD", conflicts_with = "setup")]
    pub admin_password: Option<String>,
    /// Start without the demo owner, to try the setup wizard; the simulated Plex sign-in page
    /// then asks which account to continue as instead of approving on its own.
    #[arg(long)]
    pub setup: bool,
}

/// Flags of `serve` and `demo`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on [env: PUM_BIND] [default: 0.0.0.0:5699, demo 127.0.0.1:5699].
    #[arg(long, value_name = "IP:PORT")]
    pub bind: Option<String>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Flags that choose the database.
#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// Directory for the SQLite database and backups [env: PUM_DATA_DIR] [default: ./data].
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<String>,
    /// sqlite://PATH or postgres://USER:PASSWORD@HOST/DB [env: PUM_DATABASE_URL].
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
}

impl ServeArgs {
    /// The flags as settings overrides.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            bind: self.bind.clone(),
            ..self.database.overrides()
        }
    }
}

impl DatabaseArgs {
    /// The flags as settings overrides.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            bind: None,
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
        }
    }
}
