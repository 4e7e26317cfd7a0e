//! `/api/v1/setup`: the first-run wizard. Public while no owner exists; creating the owner is
//! refused (403) once one does, and two concurrent attempts create exactly one.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use pum_api_types::ErrorBody;
use pum_api_types::auth::{CreateOwnerRequest, Me, SetupStatus};
use pum_core::CoreError;
use pum_core::events::Actor;
use pum_core::settings::Key;
use pum_db::repo::admins;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::client;
use crate::error::ApiError;
use crate::routes::auth::open_session;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(status).service(create_owner);
}

/// What setup still needs; the sign-in page uses it to choose between wizard and sign-in.
#[utoipa::path(tag = "setup", responses((status = 200, body = SetupStatus)))]
#[get("/setup")]
pub(crate) async fn status(state: web::Data<AppState>) -> Result<web::Json<SetupStatus>, ApiError> {
    let owner_exists = admins::count(&state.db).await.map_err(CoreError::from)? > 0;
    let settings = state.settings.snapshot().await?;
    Ok(web::Json(SetupStatus {
        owner_exists,
        plex_connected: settings.get(Key::PlexServerUrl).is_some(),
        base_url_set: settings.public_base_url().is_some(),
        demo: state.demo,
        app_name: settings.app_name(),
    }))
}

/// Creates the owner with a local password and signs them in. Only while no admin exists.
#[utoipa::path(
    tag = "setup",
    request_body = CreateOwnerRequest,
    responses(
        (status = 200, body = Me, description = "created and signed in"),
        (status = 400, body = ErrorBody, description = "bad username or password, per field"),
        (status = 403, body = ErrorBody, description = "setup is complete"),
    )
)]
#[post("/setup/owner")]
pub(crate) async fn create_owner(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<CreateOwnerRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = Actor::anonymous(client::of(&req).ip_text());
    let owner = state
        .admins
        .create_owner(&body.username, &body.password, &actor)
        .await?;
    let (cookie, caller) = open_session(&req, &state, owner, "password").await?;
    Ok(HttpResponse::Ok().cookie(cookie).json(caller))
}
