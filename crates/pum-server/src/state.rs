//! The one shared application state handed to every handler.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use pum_core::admins::AdminService;
use pum_core::auth::AuthService;
use pum_core::events::EventLog;
use pum_core::invites::InvitesService;
use pum_core::jobs::JobsService;
use pum_core::plex::PlexService;
use pum_core::plex_auth::PlexAuthService;
use pum_core::settings::SettingsService;
use pum_core::users::UsersService;
use pum_db::Db;

use crate::auth::limits::RateLimits;

/// Built once in `startup`, registered once as `Data<AppState>`.
#[derive(Debug, Clone)]
pub(crate) struct AppState {
    pub(crate) db: Db,
    pub(crate) jobs: JobsService,
    pub(crate) plex: PlexService,
    pub(crate) plex_auth: PlexAuthService,
    pub(crate) settings: SettingsService,
    pub(crate) auth: AuthService,
    pub(crate) admins: AdminService,
    pub(crate) events: EventLog,
    pub(crate) users: UsersService,
    pub(crate) invites: InvitesService,
    pub(crate) limits: Arc<RateLimits>,
    pub(crate) trusted_proxies: Vec<ipnet::IpNet>,
    pub(crate) started_at: DateTime<Utc>,
    pub(crate) demo: bool,
    pub(crate) worker_enabled: bool,
}
