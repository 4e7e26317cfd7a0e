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
    modifiers(&SecuritySchemes),
    tags(
        (name = "setup", description = "The first-run wizard"),
        (name = "auth", description = "Signing in and out, the caller, Plex sign-in"),
        (name = "admins", description = "Admins and roles"),
        (name = "api_keys", description = "API keys for scripts"),
        (name = "settings", description = "Settings; secrets are write-only"),
        (name = "health", description = "Liveness and readiness"),
        (name = "system", description = "This installation"),
        (name = "jobs", description = "Background jobs and their runs"),
        (name = "users", description = "Users of the Plex server: browse, edit access, sync, mass actions"),
        (name = "invites", description = "Invite links: create, edit, disable, delete, usage history"),
        (name = "invite", description = "The public invite page: no sign-in; Plex and Discord sign-in of the invitee, redemption"),
    )
)]
struct ApiDoc;

/// The two ways to authenticate: the session cookie set by sign-in, or an API key. Operation
/// security lists the permissions needed as scopes; no security means public.
struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "pum_session",
                "Set by sign-in (`__Host-pum_session` over https). Mutations also need a same-origin `Origin`.",
            ))),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("pumk_<id>_<secret>")
                    .description(Some("An API key from Settings → API keys."))
                    .build(),
            ),
        );
    }
}

/// The full OpenAPI document of every registered route.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::startup::register_routes)
        .split_for_parts();
    env!("CARGO_PKG_VERSION").clone_into(&mut api.info.version);
    api
}

/// The document as pretty JSON with a trailing newline, as committed in `openapi/openapi.json`.
pub fn document_json() -> String {
    let mut json = document().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}

/// Which methods each documented path template accepts; tells a wrong method (405) from an
/// unknown path (404), since actix routes a method mismatch to the default service.
#[derive(Debug, Clone, Default)]
pub(crate) struct RouteTable(Vec<(Vec<String>, Vec<String>)>);

impl RouteTable {
    /// The table of every path in `doc`.
    pub(crate) fn from_document(doc: &utoipa::openapi::OpenApi) -> Self {
        const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path.split('/').map(str::to_owned).collect();
                let methods = serde_json::to_value(item)
                    .ok()
                    .and_then(|v| v.as_object().cloned())
                    .map(|ops| {
                        METHODS
                            .iter()
                            .filter(|m| ops.contains_key(**m))
                            .map(|m| m.to_ascii_uppercase())
                            .collect()
                    })
                    .unwrap_or_default();
                (segments, methods)
            })
            .collect();
        Self(routes)
    }

    /// The methods documented for `path`, empty if no template matches.
    pub(crate) fn allowed_methods(&self, path: &str) -> Vec<String> {
        let wanted: Vec<&str> = path.split('/').collect();
        let mut allowed: Vec<String> = self
            .0
            .iter()
            .filter(|(template, _)| {
                template.len() == wanted.len()
                    && template
                        .iter()
                        .zip(&wanted)
                        .all(|(t, w)| t == w || (t.starts_with('{') && !w.is_empty()))
            })
            .flat_map(|(_, methods)| methods.iter().cloned())
            .collect();
        allowed.sort();
        allowed.dedup();
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::{RouteTable, document};

    #[test]
    fn the_route_table_knows_the_methods_of_each_path() {
        let table = RouteTable::from_document(&document());
        assert_eq!(table.allowed_methods("/api/v1/jobs/runs"), ["GET", "POST"]);
        assert_eq!(table.allowed_methods("/api/v1/system/status"), ["GET"]);
        assert!(table.allowed_methods("/api/v1/nope").is_empty());
    }
}
