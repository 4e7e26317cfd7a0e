//! Typed settings. Layers, later wins: defaults in code → `pum.toml` → `PUM_*` environment
//! variables → command-line flags. Every bad value is reported as one line naming it.

use std::fmt::{self, Write as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// A configuration value pum cannot use. The message names the value and where it came from.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable, coloured when writing to a terminal.
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Everything pum can be configured with.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Where pum keeps its SQLite database, backups and other state.
    pub data_dir: PathBuf,
    /// The HTTP server.
    pub server: ServerSettings,
    /// The database.
    pub database: DatabaseSettings,
    /// Plex.
    pub plex: PlexSettings,
    /// Discord.
    pub discord: DiscordEndpoints,
    /// Background jobs.
    pub jobs: JobsSettings,
    /// Logging.
    pub log: LogSettings,
    /// Keys.
    pub security: SecuritySettings,
}

/// `[security]`.
#[derive(Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecuritySettings {
    /// The master key (base64 of 32 bytes) sealing stored secrets; without it, pum keeps one in
    /// `DATA_DIR/secret.key`.
    pub secret_key: Option<SecretString>,
}

/// `[server]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    /// Address and port to listen on.
    pub bind: SocketAddr,
    /// Directory holding the built web interface (`index.html` and `assets/`).
    pub web_dir: Option<PathBuf>,
    /// Reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// `[database]`.
#[derive(Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://PATH` or `postgres://USER:PASSWORD@HOST/DB`; unset means `DATA_DIR/pum.db`.
    pub url: Option<SecretString>,
}

/// `[plex]`.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlexSettings {
    /// Base URL of the Plex Media Server, for example `http://192.168.1.10:32400`.
    pub server_url: Option<String>,
    /// The server owner's Plex token.
    pub token: Option<SecretString>,
    /// Base URL of plex.tv.
    pub plex_tv_url: String,
    /// Base URL of clients.plex.tv.
    pub clients_plex_tv_url: String,
    /// The hosted Plex sign-in page.
    pub auth_app_url: String,
    /// Seconds one request to Plex may take before it counts as failed.
    pub timeout_secs: u64,
}

/// `[discord]`: where Discord is (its application keys are in the settings page).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiscordEndpoints {
    /// Base URL of Discord (`/oauth2/authorize`, `/api/oauth2/token`, `/api/v10/…`).
    pub base_url: String,
}

impl Default for DiscordEndpoints {
    fn default() -> Self {
        Self {
            base_url: "https://discord.com".to_owned(),
        }
    }
}

/// `[jobs]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JobsSettings {
    /// Whether this instance runs the job worker and the scheduler.
    pub worker: bool,
    /// How often an idle worker looks for new jobs, in milliseconds.
    pub poll_interval_ms: u64,
}

/// `[log]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    /// `pretty` or `json`.
    pub format: LogFormat,
    /// A `tracing` filter such as `info` or `pum_server=debug,info`.
    pub filter: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("data"),
            server: ServerSettings::default(),
            database: DatabaseSettings::default(),
            plex: PlexSettings::default(),
            discord: DiscordEndpoints::default(),
            jobs: JobsSettings::default(),
            log: LogSettings::default(),
            security: SecuritySettings::default(),
        }
    }
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([0, 0, 0, 0], 5699)),
            web_dir: None,
            trusted_proxies: Vec::new(),
        }
    }
}

impl Default for PlexSettings {
    fn default() -> Self {
        Self {
            server_url: None,
            token: None,
            plex_tv_url: "https://plex.tv".to_owned(),
            clients_plex_tv_url: "https://clients.plex.tv".to_owned(),
            auth_app_url: "https://app.plex.tv/auth".to_owned(),
            timeout_secs: 15,
        }
    }
}

impl Default for JobsSettings {
    fn default() -> Self {
        Self {
            worker: true,
            poll_interval_ms: 1000,
        }
    }
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            format: LogFormat::Pretty,
            filter: "info".to_owned(),
        }
    }
}

/// One `PUM_*` environment variable: its name, the setting it sets, its default and meaning.
/// This table is the single source of both the parser and `docs/config.md`.
pub struct EnvVar {
    /// The variable's name.
    pub name: &'static str,
    /// The `pum.toml` key it overrides.
    pub key: &'static str,
    /// The default, as shown to people.
    pub default: &'static str,
    /// What it does.
    pub help: &'static str,
    apply: fn(&mut Settings, &str) -> Result<(), String>,
}

/// Every environment variable pum reads, besides `PUM_CONFIG`.
pub const ENV_VARS: &[EnvVar] = &[
    EnvVar {
        name: "PUM_BIND",
        key: "server.bind",
        default: "0.0.0.0:5699 (127.0.0.1:5699 for `pum demo`)",
        help: "Address and port the web server listens on.",
        apply: |s, v| {
            s.server.bind = parse_bind(v)?;
            Ok(())
        },
    },
    EnvVar {
        name: "PUM_DATA_DIR",
        key: "data_dir",
        default: "./data (./data/demo for `pum demo`)",
        help: "Directory for the SQLite database, its backups and other state. Created if missing.",
        apply: |s, v| {
            s.data_dir = non_empty_path(v)?;
            Ok(())
        },
    },
    EnvVar {
        name: "PUM_DATABASE_URL",
        key: "database.url",
        default: "sqlite://DATA_DIR/pum.db",
        help: "Database to use: `sqlite://PATH` or `postgres://USER:PASSWORD@HOST:PORT/DATABASE`.",
        apply: |s, v| {
            s.database.url = Some(SecretString::from(parse_database_url(v)?));
            Ok(())
        },
    },
    EnvVar {
        name: "PUM_WEB_DIR",
        key: "server.web_dir",
        default: "`web/` next to the pum binary, else ./frontend/dist",
        help: "Directory holding the built web interface.",
        apply: |s, v| {
            s.server.web_dir = Some(non_empty_path(v)?);
            Ok(())
        },
    },
    EnvVar {
        name: "PUM_PLEX_URL",
        key: "plex.server_url",
        default: "(none)",
        help: "Base URL of your Plex Media Server, for example `http://192.168.1.10:32400`.",
        apply: |s, v| {
            s.plex.server_url = Some(parse_http_url(v)?);
            Ok(())
        },
    },
    EnvVar {
        name: "PUM_PLEX_TOKEN",
        key: "plex.token",
        default: "(none)",
        help: "The server owner's Plex token. Never logged.",
        apply: |s, v| {
            s.plex.token = Some(SecretString::from(v.to_owned()));
            Ok(())
        },
    },
    EnvVar {
        name: "PUM_PLEX_TV_URL",
        key: "plex.plex_tv_url",
        default: "https://plex.tv",
        help: "Base URL of plex.tv; change only to point pum at a simulator.",
        apply: |s, v| {
            s.plex.plex_tv_url = parse_http_url(v)?;
            Ok(())
        },
    },
    EnvVar {
        name: "PUM_PLEX_CLIENTS_URL",
        key: "plex.clients_plex_tv_url",
        default: "https://clients.plex.tv",
        help: "Base URL of clients.plex.tv; change only to point pum at a simulator.",
        apply: |s, v| {
            s.plex.clients_plex_tv_url = parse_http_url(v)?;
            Ok(())
        },
    },
    EnvVar {
        name: "PUM_PLEX_AUTH_URL",
        key: "plex.auth_app_url",
        default: "https://app.plex.tv/auth",
        help: "The hosted Plex sign-in page; change only to point pum at a simulator.",
        apply: |s, v| {
            s.plex.auth_app_url = parse_http_url(v)?;
            Ok(())
        },
    },
    EnvVar {
        name: "PUM_DISCORD_URL",
        key: "discord.base_url",
        default: "https://discord.com",
        help: "Base URL of Discord for invitees' Discord linking; change only to point pum at a stand-in.",
        apply: |s, v| {
            s.discord.base_url = parse_http_url(v)?;
            Ok(())
        },
    },
    EnvVar {
        name: "PUM_PLEX_TIMEOUT_SECS",
        key: "plex.timeout_secs",
        default: "15",
        help: "Seconds one request to plex.tv or the Plex server may take (1 to 120); slow answers count as failures, which change nothing.",
        apply: |s, v| {
            s.plex.timeout_secs = match v.parse::<u64>() {
                Ok(secs) if (1..=120).contains(&secs) => secs,
                _ => return Err("expected a number of seconds from 1 to 120".to_owned()),
            };
            Ok(())
        },
    },
    EnvVar {
        name: "PUM_TRUSTED_PROXIES",
        key: "server.trusted_proxies",
        default: "(none)",
        help: "Comma-separated addresses or CIDRs of reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` pum believes, for example `127.0.0.1/32,10.0.0.0/8`.",
        apply: |s, v| {
            s.server.trusted_proxies = parse_proxies(v)?;
            Ok(())
        },
    },
    EnvVar {
        name: "PUM_SECRET_KEY",
        key: "security.secret_key",
        default: "(a key file, DATA_DIR/secret.key, created on first start)",
        help: "Master key sealing stored secrets: 32 random bytes, base64 (`openssl rand -base64 32`). Set the same value on every instance sharing a database. Never logged.",
        apply: |s, v| {
            s.security.secret_key = Some(SecretString::from(v.to_owned()));
            Ok(())
        },
    },
    EnvVar {
        name: "PUM_WORKER",
        key: "jobs.worker",
        default: "true",
        help: "Run the job worker and scheduler in this instance (`false` for API-only instances).",
        apply: |s, v| {
            s.jobs.worker = parse_bool(v)?;
            Ok(())
        },
    },
    EnvVar {
        name: "PUM_JOB_POLL_INTERVAL_MS",
        key: "jobs.poll_interval_ms",
        default: "1000",
        help: "How often an idle worker checks the queue, in milliseconds (50 to 60000).",
        apply: |s, v| {
            s.jobs.poll_interval_ms = parse_poll_interval(v)?;
            Ok(())
        },
    },
    EnvVar {
        name: "PUM_LOG",
        key: "log.filter",
        default: "info",
        help: "Log filter, for example `debug` or `pum_server=debug,info`.",
        apply: |s, v| {
            v.clone_into(&mut s.log.filter);
            Ok(())
        },
    },
    EnvVar {
        name: "PUM_LOG_FORMAT",
        key: "log.format",
        default: "pretty",
        help: "`pretty` for people, `json` for log collectors.",
        apply: |s, v| {
            s.log.format = match v {
                "pretty" => LogFormat::Pretty,
                "json" => LogFormat::Json,
                _ => return Err("expected `pretty` or `json`".to_owned()),
            };
            Ok(())
        },
    },
];

/// The file read when `--config`/`PUM_CONFIG` is not given and it exists.
pub const DEFAULT_CONFIG_FILE: &str = "pum.toml";

/// Values given on the command line; they win over everything else.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--bind`.
    pub bind: Option<String>,
    /// `--data-dir`.
    pub data_dir: Option<String>,
    /// `--database-url`.
    pub database_url: Option<String>,
}

impl Settings {
    /// Loads settings from the config file, then `env` (a `PUM_*` lookup), then `overrides`.
    /// `defaults` is the starting point (it differs for `pum demo`).
    pub fn load(
        defaults: Self,
        config_file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
        overrides: &Overrides,
    ) -> Result<Self, ConfigError> {
        let explicit = config_file
            .map(Path::to_path_buf)
            .or_else(|| env("PUM_CONFIG").map(PathBuf::from));
        let mut settings = match explicit {
            Some(path) => Self::from_file(&path, &defaults)?,
            None if Path::new(DEFAULT_CONFIG_FILE).is_file() => {
                Self::from_file(Path::new(DEFAULT_CONFIG_FILE), &defaults)?
            }
            None => defaults,
        };
        for var in ENV_VARS {
            if let Some(value) = env(var.name) {
                (var.apply)(&mut settings, value.trim()).map_err(|why| {
                    ConfigError(format!(
                        "invalid {} '{}': {why}",
                        var.name,
                        shown(var, &value)
                    ))
                })?;
            }
        }
        let flag = |name: &str, value: &str, why: String| {
            ConfigError(format!("invalid {name} '{value}': {why}"))
        };
        if let Some(v) = &overrides.bind {
            settings.server.bind = parse_bind(v).map_err(|why| flag("--bind", v, why))?;
        }
        if let Some(v) = &overrides.data_dir {
            settings.data_dir = non_empty_path(v).map_err(|why| flag("--data-dir", v, why))?;
        }
        if let Some(v) = &overrides.database_url {
            let url = parse_database_url(v)
                .map_err(|why| flag("--database-url", &crate::redacted_url(v), why))?;
            settings.database.url = Some(SecretString::from(url));
        }
        Ok(settings)
    }

    fn from_file(path: &Path, defaults: &Self) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|err| {
            ConfigError(format!("cannot read config file {}: {err}", path.display()))
        })?;
        let file: toml::Table = text.parse().map_err(|err: toml::de::Error| {
            ConfigError(format!(
                "invalid config file {}: {}",
                path.display(),
                one_line(&err)
            ))
        })?;
        // Start from the given defaults, so a file only needs the keys it changes.
        let mut merged = defaults.to_table();
        merge(&mut merged, file);
        let settings: Self =
            toml::Value::Table(merged)
                .try_into()
                .map_err(|err: toml::de::Error| {
                    ConfigError(format!(
                        "invalid config file {}: {}",
                        path.display(),
                        one_line(&err)
                    ))
                })?;
        if let Some(url) = &settings.database.url {
            parse_database_url(url.expose_secret()).map_err(|why| {
                ConfigError(format!("invalid database.url in {}: {why}", path.display()))
            })?;
        }
        for (key, url) in [
            ("plex.plex_tv_url", Some(&settings.plex.plex_tv_url)),
            ("plex.auth_app_url", Some(&settings.plex.auth_app_url)),
            (
                "plex.clients_plex_tv_url",
                Some(&settings.plex.clients_plex_tv_url),
            ),
            ("plex.server_url", settings.plex.server_url.as_ref()),
        ] {
            if let Some(url) = url {
                parse_http_url(url).map_err(|why| {
                    ConfigError(format!(
                        "invalid {key} '{url}' in {}: {why}",
                        path.display()
                    ))
                })?;
            }
        }
        Ok(settings)
    }

    /// The settings as a TOML table: the defaults a config file is merged over.
    fn to_table(&self) -> toml::Table {
        let mut server = toml::Table::new();
        server.insert("bind".into(), self.server.bind.to_string().into());
        if let Some(dir) = &self.server.web_dir {
            server.insert("web_dir".into(), dir.display().to_string().into());
        }
        let mut jobs = toml::Table::new();
        jobs.insert("worker".into(), self.jobs.worker.into());
        jobs.insert(
            "poll_interval_ms".into(),
            i64::try_from(self.jobs.poll_interval_ms)
                .unwrap_or(1000)
                .into(),
        );
        let mut table = toml::Table::new();
        table.insert(
            "data_dir".into(),
            self.data_dir.display().to_string().into(),
        );
        table.insert("server".into(), server.into());
        table.insert("jobs".into(), jobs.into());
        table
    }

    /// The database URL in effect: the configured one, or the SQLite file in the data dir.
    pub fn database_url(&self) -> String {
        match &self.database.url {
            Some(url) => url.expose_secret().to_owned(),
            None => pum_db::sqlite_url(&self.data_dir.join("pum.db")),
        }
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("data_dir", &self.data_dir)
            .field("server", &self.server)
            .field("database_url", &crate::redacted_url(&self.database_url()))
            .field("plex_server_url", &self.plex.server_url)
            .field("plex_token", &self.plex.token.as_ref().map(|_| "***"))
            .field("plex_tv_url", &self.plex.plex_tv_url)
            .field("clients_plex_tv_url", &self.plex.clients_plex_tv_url)
            .field("jobs", &self.jobs)
            .field("log", &self.log)
            .field(
                "secret_key",
                &self.security.secret_key.as_ref().map(|_| "***"),
            )
            .finish_non_exhaustive()
    }
}

fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

fn one_line(err: &toml::de::Error) -> String {
    err.message().replace('\n', " ")
}

fn shown(var: &EnvVar, value: &str) -> String {
    match var.name {
        "PUM_PLEX_TOKEN" => "***".to_owned(),
        "PUM_DATABASE_URL" => crate::redacted_url(value),
        _ => value.to_owned(),
    }
}

fn parse_bind(v: &str) -> Result<SocketAddr, String> {
    v.parse()
        .map_err(|_| "expected IP:PORT, for example 0.0.0.0:5699".to_owned())
}

fn non_empty_path(v: &str) -> Result<PathBuf, String> {
    if v.is_empty() {
        Err("must not be empty".to_owned())
    } else {
        Ok(PathBuf::from(v))
    }
}

fn parse_bool(v: &str) -> Result<bool, String> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err("expected true or false".to_owned()),
    }
}

fn parse_poll_interval(v: &str) -> Result<u64, String> {
    match v.parse::<u64>() {
        Ok(ms) if (50..=60_000).contains(&ms) => Ok(ms),
        _ => Err("expected a number of milliseconds from 50 to 60000".to_owned()),
    }
}

fn parse_http_url(v: &str) -> Result<String, String> {
    pum_core::settings::check_http_url(v)
}

fn parse_proxies(v: &str) -> Result<Vec<ipnet::IpNet>, String> {
    v.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<ipnet::IpNet>()
                .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| format!("'{p}' is not an IP address or CIDR"))
        })
        .collect()
}

fn parse_database_url(v: &str) -> Result<String, String> {
    if let Some(path) = v
        .strip_prefix("sqlite://")
        .or_else(|| v.strip_prefix("sqlite:"))
    {
        if path.is_empty() {
            return Err("the sqlite URL has no file path".to_owned());
        }
        return Ok(v.to_owned());
    }
    if let Some(rest) = v
        .strip_prefix("postgres://")
        .or_else(|| v.strip_prefix("postgresql://"))
    {
        if rest.is_empty() || rest.starts_with('/') {
            return Err("the postgres URL has no host".to_owned());
        }
        return Ok(v.to_owned());
    }
    Err("expected sqlite://PATH or postgres://USER@HOST/DATABASE".to_owned())
}

/// Markdown reference of every variable, committed as `docs/config.md`.
pub fn reference_markdown() -> String {
    let mut out = String::from(
        "# Configuration reference\n\n\
         Generated from `crates/pum-server/src/config.rs`; do not edit by hand \
         (`just config-docs` regenerates it).\n\n\
         Settings are read in layers, later wins: built-in defaults, then the TOML file \
         (`--config FILE`, `PUM_CONFIG`, or `pum.toml` in the working directory if it exists), \
         then environment variables, then command-line flags (`--bind`, `--data-dir`, \
         `--database-url`). An invalid value stops pum with a one-line message naming it.\n\n\
         | Variable | `pum.toml` key | Default | Meaning |\n|---|---|---|---|\n\
         | `PUM_CONFIG` | | `pum.toml` if present | Path of the TOML configuration file. |\n",
    );
    for var in ENV_VARS {
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {} | {} |",
            var.name, var.key, var.default, var.help
        );
    }
    out.push_str(
        "\nExample `pum.toml`:\n\n```toml\ndata_dir = \"/var/lib/pum\"\n\n[server]\n\
         bind = \"0.0.0.0:5699\"\n\n[database]\n\
         url = \"postgres://pum:secret@db:5432/pum\"\n\n[plex]\n\
         server_url = \"http://192.168.1.10:32400\"\ntoken = \"your-plex-token\"\n\n\
         [jobs]\nworker = true\n\n[log]\nformat = \"json\"\nfilter = \"info\"\n```\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(env: &[(&str, &str)], overrides: &Overrides) -> Result<Settings, ConfigError> {
        let env: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Settings::load(
            Settings::default(),
            None,
            |k| env.get(k).cloned(),
            overrides,
        )
    }

    #[test]
    fn defaults_listen_on_5699_and_use_sqlite_in_the_data_dir() {
        let s = load(&[], &Overrides::default()).unwrap();
        assert_eq!(s.server.bind.to_string(), "0.0.0.0:5699");
        assert_eq!(s.database_url(), "sqlite://data/pum.db");
        assert!(s.jobs.worker);
    }

    #[test]
    fn environment_overrides_defaults_and_flags_override_environment() {
        let s = load(
            &[("PUM_BIND", "127.0.0.1:7000"), ("PUM_DATA_DIR", "/srv/pum")],
            &Overrides {
                bind: Some("127.0.0.1:8000".to_owned()),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_eq!(s.server.bind.to_string(), "127.0.0.1:8000");
        assert_eq!(s.data_dir, PathBuf::from("/srv/pum"));
    }

    #[test]
    fn a_bad_bind_address_is_named_in_one_line() {
        let err = load(&[("PUM_BIND", "nonsense")], &Overrides::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid PUM_BIND 'nonsense': expected IP:PORT, for example 0.0.0.0:5699"
        );
    }

    #[test]
    fn a_bad_database_url_flag_is_named_without_its_password() {
        let err = load(
            &[],
            &Overrides {
                database_url: Some("mysql://u:hunter2@h/db".to_owned()),
                ..Overrides::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("invalid --database-url 'mysql://u:***@h/db'"),
            "{err}"
        );
        assert!(!err.contains("hunter2"));
    }

    #[test]
    fn the_plex_token_is_never_echoed() {
        let s = load(&[("PUM_PLEX_TOKEN", "canary-tok")], &Overrides::default()).unwrap();
        assert!(!format!("{s:?}").contains("canary-tok"));
    }

    #[test]
    fn a_config_file_sets_nested_keys_and_rejects_unknown_ones() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.toml");
        std::fs::write(
            &good,
            "[server]\nbind = \"127.0.0.1:6000\"\n[jobs]\nworker = false\n",
        )
        .unwrap();
        let s = Settings::load(
            Settings::default(),
            Some(&good),
            |_| None,
            &Overrides::default(),
        )
        .unwrap();
        assert_eq!(s.server.bind.to_string(), "127.0.0.1:6000");
        assert!(!s.jobs.worker);

        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "[server]\nport = 1\n").unwrap();
        let err = Settings::load(
            Settings::default(),
            Some(&bad),
            |_| None,
            &Overrides::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("unknown field `port`"), "{err}");
        assert!(!err.contains('\n'));
    }
}
