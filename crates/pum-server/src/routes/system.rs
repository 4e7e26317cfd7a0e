//! `/api/v1/system`: what the dashboard shows about this installation.

use actix_web::{get, web};
use pum_api_types::system::{DatabaseEngine, DatabaseStatus, PlexStatus, SystemStatus};
use pum_core::plex::ServerState;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{Auth, SignedIn};
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(status);
}

/// The version, database and Plex server status of this instance.
#[utoipa::path(
    tag = "system",
    responses((status = 200, body = SystemStatus)),
    security(("session" = []), ("api_key" = []))
)]
#[get("/system/status")]
pub(crate) async fn status(
    _auth: Auth<SignedIn>,
    state: web::Data<AppState>,
) -> web::Json<SystemStatus> {
    let (database, plex) = futures::join!(
        pum_core::system::database_state(&state.db),
        state.plex.server_state()
    );
    web::Json(SystemStatus {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        started_at: state.started_at,
        demo: state.demo,
        database: DatabaseStatus {
            engine: match database.engine {
                pum_db::Engine::Sqlite => DatabaseEngine::Sqlite,
                pum_db::Engine::Postgres => DatabaseEngine::Postgres,
            },
            reachable: database.reachable,
            migrations_applied: database.migrations_applied,
        },
        plex: match plex {
            ServerState::NotConfigured => PlexStatus::NotConfigured,
            ServerState::Online {
                name,
                machine_identifier,
                version,
                url,
            } => PlexStatus::Online {
                name,
                machine_identifier,
                version,
                url,
            },
            ServerState::Offline { url, reason } => PlexStatus::Offline { url, reason },
        },
        worker_enabled: state.worker_enabled,
    })
}
