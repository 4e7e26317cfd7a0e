//! Records and domain types as API bodies.

use pum_api_types::auth::{AdminView, ApiKeyView, Me, PlexLinkView, RoleRef, RoleView};
use pum_core::admins::{AdminDetail, RoleDetail};
use pum_core::auth::{Permissions, Principal, Via, parse_permissions};
use pum_db::records::ApiKey;

pub(crate) fn admin(detail: &AdminDetail) -> AdminView {
    let admin = &detail.admin;
    AdminView {
        id: admin.id.to_string(),
        username: admin.username.clone(),
        is_owner: admin.is_owner,
        has_password: admin.password_hash.is_some(),
        plex: admin.plex_account_id.map(|account_id| PlexLinkView {
            account_id,
            username: admin.plex_username.clone().unwrap_or_default(),
            thumb: admin.plex_thumb.clone(),
        }),
        roles: detail
            .roles
            .iter()
            .map(|r| RoleRef {
                id: r.id.to_string(),
                name: r.name.clone(),
            })
            .collect(),
        permissions: list(&detail.permissions),
        must_change_password: admin.must_change_password,
        created_at: admin.created_at,
        last_sign_in_at: admin.last_sign_in_at,
    }
}

pub(crate) fn me(principal: &Principal, detail: &AdminDetail) -> Me {
    Me {
        admin: admin(detail),
        api_key: match &principal.via {
            Via::ApiKey { key_id, .. } => Some(key_id.clone()),
            Via::Session { .. } => None,
        },
        permissions: list(&principal.permissions),
    }
}

pub(crate) fn role(detail: &RoleDetail) -> RoleView {
    RoleView {
        id: detail.role.id.to_string(),
        name: detail.role.name.clone(),
        description: detail.role.description.clone(),
        permissions: list(&parse_permissions(&detail.role.permissions)),
        member_count: detail.members,
    }
}

pub(crate) fn api_key(key: &ApiKey, created_by: String) -> ApiKeyView {
    ApiKeyView {
        id: key.id.clone(),
        name: key.name.clone(),
        prefix: format!("{}{}_", pum_core::auth::tokens::API_KEY_PREFIX, key.id),
        permissions: list(&parse_permissions(&key.permissions)),
        created_by,
        created_at: key.created_at,
        expires_at: key.expires_at,
        last_used_at: key.last_used_at,
    }
}

fn list(permissions: &Permissions) -> Vec<pum_api_types::Permission> {
    permissions.iter().copied().collect()
}

/// The id in a path; anything that is not a uuid names nothing, so it is a 404 for `what`.
pub(crate) fn path_id(text: &str, what: &str) -> Result<uuid::Uuid, crate::error::ApiError> {
    uuid::Uuid::parse_str(text)
        .map_err(|_| crate::error::ApiError::NotFound(format!("no {what} {text}")))
}

/// Where people reach pum: the public address from the settings, or else the one this request
/// came to (what links and redirects back to pum are built on).
pub(crate) fn site_origin(req: &actix_web::HttpRequest, configured: Option<String>) -> String {
    if let Some(url) = configured {
        return url.trim_end_matches('/').to_owned();
    }
    let host = req
        .headers()
        .get(actix_web::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let https = crate::auth::client::of(req).https;
    format!("{}://{host}", if https { "https" } else { "http" })
}

/// [`site_origin`] with the public address read from the stored settings.
pub(crate) async fn origin(
    req: &actix_web::HttpRequest,
    state: &crate::state::AppState,
) -> Result<String, crate::error::ApiError> {
    let snapshot = state.settings.snapshot().await?;
    Ok(site_origin(req, snapshot.public_base_url()))
}

/// Parses ids sent by a client, naming the field on failure.
pub(crate) fn uuids(
    field: &str,
    ids: &[String],
) -> Result<Vec<uuid::Uuid>, crate::error::ApiError> {
    ids.iter()
        .map(|id| {
            uuid::Uuid::parse_str(id).map_err(|_| crate::error::ApiError::Invalid {
                message: format!("{field} has an invalid id {id:?}"),
                fields: std::collections::BTreeMap::from([(
                    field.to_owned(),
                    format!("has an invalid id {id:?}"),
                )]),
            })
        })
        .collect()
}
