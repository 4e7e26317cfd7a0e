//! The one shared application state handed to every handler.

use chrono::{DateTime, Utc};
use pum_core::jobs::JobsService;
use pum_core::plex::PlexService;
use pum_db::Db;

/// Built once in `startup`, registered once as `Data<AppState>`.
#[derive(Debug, Clone)]
pub(crate) struct AppState {
    pub(crate) db: Db,
    pub(crate) jobs: JobsService,
    pub(crate) plex: PlexService,
    pub(crate) started_at: DateTime<Utc>,
    pub(crate) demo: bool,
    pub(crate) worker_enabled: bool,
}
