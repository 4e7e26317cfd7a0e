//! Health, readiness and the system overview shown on the dashboard.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The answer of `/healthz` and `/readyz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthResponse {
    /// `ok` when healthy, otherwise `unavailable`.
    pub status: String,
}

/// Which database engine pum is running on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DatabaseEngine {
    /// The embedded default: one file in the data directory.
    Sqlite,
    /// The scale-out backend shared by several pum instances.
    Postgres,
}

/// The state of the database as seen by this instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatabaseStatus {
    /// The engine in use.
    pub engine: DatabaseEngine,
    /// Whether a query just succeeded.
    pub reachable: bool,
    /// How many schema migrations are applied.
    pub migrations_applied: u32,
}

/// How the Plex Media Server looked when this instance last asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum PlexStatus {
    /// No Plex Media Server URL is configured yet.
    NotConfigured,
    /// The server answered.
    Online {
        /// The server's friendly name, when the configured token could read it.
        name: Option<String>,
        /// The server's machine identifier.
        machine_identifier: String,
        /// The Plex Media Server version string.
        version: String,
        /// The URL pum talks to.
        url: String,
    },
    /// The server did not answer or answered with an error.
    Offline {
        /// The URL pum talks to.
        url: String,
        /// Why the server could not be read.
        reason: String,
    },
}

/// `GET /api/v1/system/status`: what the dashboard shows about this installation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SystemStatus {
    /// The pum version.
    pub version: String,
    /// When this instance started.
    pub started_at: DateTime<Utc>,
    /// Whether this instance runs as the demo, against a simulated Plex.
    pub demo: bool,
    /// The database.
    pub database: DatabaseStatus,
    /// The Plex Media Server.
    pub plex: PlexStatus,
    /// Whether this instance runs the background job worker.
    pub worker_enabled: bool,
}
