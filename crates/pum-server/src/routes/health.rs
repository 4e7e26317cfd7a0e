//! Liveness and readiness, outside `/api` so orchestrators need no API knowledge.

use actix_web::{HttpResponse, get, web};
use pum_api_types::system::HealthResponse;

use crate::state::AppState;

fn body(status: &str) -> HealthResponse {
    HealthResponse {
        status: status.to_owned(),
    }
}

/// Liveness: the process is up and serving HTTP.
#[utoipa::path(tag = "health", responses((status = 200, body = HealthResponse)))]
#[get("/healthz")]
pub(crate) async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(body("ok"))
}

/// Readiness: the database answers a query.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, body = HealthResponse, description = "ready"),
        (status = 503, body = HealthResponse, description = "the database does not answer"),
    )
)]
#[get("/readyz")]
pub(crate) async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let (mut response, status) = match pum_core::system::ready(&state.db).await {
        Ok(()) => (HttpResponse::Ok(), "ok"),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            (HttpResponse::ServiceUnavailable(), "unavailable")
        }
    };
    response
        .insert_header(("cache-control", "no-store"))
        .json(body(status))
}
