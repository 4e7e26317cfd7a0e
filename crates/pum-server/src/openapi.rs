//! The OpenAPI document. Paths are collected from the `utoipa_actix_web` registrations in
//! [`crate::startup::register_routes`]; this adds the title and shared schemas.

use actix_web::App;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Plex User Manager API",
        description = "The JSON API of pum. Every error is a JSON `ErrorBody` with a stable \
                       `code`. The web interface uses exactly this API.",
        license(name = "AGPL-3.0-or-later"),
    ),
    components(schemas(pum_api_types::ErrorBody, pum_api_types::ErrorCode)),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "system", description = "This installation"),
        (name = "jobs", description = "Background jobs and their runs"),
    )
)]
struct ApiDoc;

/// The full OpenAPI document of every registered route.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::startup::register_routes)
        .split_for_parts();
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    api
}

/// The document as pretty JSON with a trailing newline, as committed in `openapi/openapi.json`.
pub fn document_json() -> String {
    let mut json = document().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
