//! `/api/v1/api-keys`: keys for scripts, scoped to permissions, shown once, stored hashed.

use actix_web::{HttpResponse, delete, get, post, web};
use pum_api_types::ErrorBody;
use pum_api_types::auth::{ApiKeyList, CreateApiKeyRequest, CreatedApiKey};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{ApiKeysManage, Auth};
use crate::error::ApiError;
use crate::routes::views;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list).service(create).service(revoke);
}

/// Every API key (never its secret), newest first.
#[utoipa::path(
    tag = "api_keys",
    responses((status = 200, body = ApiKeyList)),
    security(("session" = ["api_keys.manage"]), ("api_key" = ["api_keys.manage"]))
)]
#[get("/api-keys")]
pub(crate) async fn list(
    _auth: Auth<ApiKeysManage>,
    state: web::Data<AppState>,
) -> Result<web::Json<ApiKeyList>, ApiError> {
    let keys = state
        .admins
        .api_keys()
        .await?
        .into_iter()
        .map(|(key, by)| views::api_key(&key, by))
        .collect();
    Ok(web::Json(ApiKeyList { keys }))
}

/// Creates a key for you, with permissions you have; the key is in this answer only.
#[utoipa::path(
    tag = "api_keys",
    request_body = CreateApiKeyRequest,
    responses(
        (status = 201, body = CreatedApiKey),
        (status = 400, body = ErrorBody, description = "bad name or expiry, per field"),
        (status = 403, body = ErrorBody, description = "a permission you lack"),
    ),
    security(("session" = ["api_keys.manage"]), ("api_key" = ["api_keys.manage"]))
)]
#[post("/api-keys")]
pub(crate) async fn create(
    auth: Auth<ApiKeysManage>,
    state: web::Data<AppState>,
    body: web::Json<CreateApiKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    let permissions = body.permissions.iter().copied().collect();
    let (key, stored) = state
        .admins
        .create_api_key(
            &auth.principal,
            auth.ip,
            &body.name,
            &permissions,
            body.expires_at,
        )
        .await?;
    Ok(HttpResponse::Created().json(CreatedApiKey {
        key: key.to_string(),
        api_key: views::api_key(&stored, auth.principal.admin.username.clone()),
    }))
}

/// Revokes a key at once.
#[utoipa::path(
    tag = "api_keys",
    params(("id" = String, Path, description = "key id")),
    responses(
        (status = 204, description = "revoked"),
        (status = 404, body = ErrorBody),
    ),
    security(("session" = ["api_keys.manage"]), ("api_key" = ["api_keys.manage"]))
)]
#[delete("/api-keys/{id}")]
pub(crate) async fn revoke(
    auth: Auth<ApiKeysManage>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state
        .admins
        .revoke_api_key(&auth.principal, auth.ip, &path)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
