//! `/api/v1/admins` and `/api/v1/roles`: who administers pum and with what permissions.

use actix_web::{HttpResponse, delete, get, post, put, web};
use pum_api_types::auth::{
    AdminList, AdminView, CreateAdminRequest, OneTimePassword, PermissionInfo, RoleList,
    RoleRequest, RoleView, SetRolesRequest,
};
use pum_api_types::{ErrorBody, Permission};
use pum_core::admins::{RoleDetail, RoleSpec};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{AdminsManage, Auth};
use crate::error::ApiError;
use crate::routes::views;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_admins)
        .service(create_admin)
        .service(set_roles)
        .service(delete_admin)
        .service(reset_password)
        .service(list_roles)
        .service(create_role)
        .service(update_role)
        .service(delete_role);
}

/// Every admin, owner first, with roles and permissions.
#[utoipa::path(
    tag = "admins",
    responses((status = 200, body = AdminList)),
    security(("session" = ["admins.manage"]), ("api_key" = ["admins.manage"]))
)]
#[get("/admins")]
pub(crate) async fn list_admins(
    _auth: Auth<AdminsManage>,
    state: web::Data<AppState>,
) -> Result<web::Json<AdminList>, ApiError> {
    let admins = state
        .admins
        .list()
        .await?
        .iter()
        .map(views::admin)
        .collect();
    Ok(web::Json(AdminList { admins }))
}

/// Adds an admin with a temporary password (changed at first sign-in) and roles you can grant.
#[utoipa::path(
    tag = "admins",
    request_body = CreateAdminRequest,
    responses(
        (status = 201, body = AdminView),
        (status = 400, body = ErrorBody, description = "bad username or password, per field"),
        (status = 403, body = ErrorBody, description = "a role grants what you lack"),
    ),
    security(("session" = ["admins.manage"]), ("api_key" = ["admins.manage"]))
)]
#[post("/admins")]
pub(crate) async fn create_admin(
    auth: Auth<AdminsManage>,
    state: web::Data<AppState>,
    body: web::Json<CreateAdminRequest>,
) -> Result<HttpResponse, ApiError> {
    let roles = views::uuids("role_ids", &body.role_ids)?;
    let detail = state
        .admins
        .create_admin(
            &auth.principal,
            auth.ip,
            &body.username,
            &body.password,
            &roles,
        )
        .await?;
    Ok(HttpResponse::Created().json(views::admin(&detail)))
}

/// Replaces an admin's roles.
#[utoipa::path(
    tag = "admins",
    params(("id" = String, Path, description = "admin id")),
    request_body = SetRolesRequest,
    responses(
        (status = 200, body = AdminView),
        (status = 403, body = ErrorBody, description = "a role added or removed involves what you lack"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "the owner's roles cannot change"),
    ),
    security(("session" = ["admins.manage"]), ("api_key" = ["admins.manage"]))
)]
#[put("/admins/{id}/roles")]
pub(crate) async fn set_roles(
    auth: Auth<AdminsManage>,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Json<SetRolesRequest>,
) -> Result<web::Json<AdminView>, ApiError> {
    let target = views::path_id(&path, "admin")?;
    let roles = views::uuids("role_ids", &body.role_ids)?;
    let detail = state
        .admins
        .set_roles(&auth.principal, auth.ip, target, &roles)
        .await?;
    Ok(web::Json(views::admin(&detail)))
}

/// Removes an admin; their sessions and API keys end at once. Never the owner or yourself.
#[utoipa::path(
    tag = "admins",
    params(("id" = String, Path, description = "admin id")),
    responses(
        (status = 204, description = "removed"),
        (status = 403, body = ErrorBody, description = "the owner, or someone with more permissions"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "yourself"),
    ),
    security(("session" = ["admins.manage"]), ("api_key" = ["admins.manage"]))
)]
#[delete("/admins/{id}")]
pub(crate) async fn delete_admin(
    auth: Auth<AdminsManage>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let target = views::path_id(&path, "admin")?;
    state
        .admins
        .delete_admin(&auth.principal, auth.ip, target)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Gives an admin a one-time password (shown once); their sessions end.
#[utoipa::path(
    tag = "admins",
    params(("id" = String, Path, description = "admin id")),
    responses(
        (status = 200, body = OneTimePassword),
        (status = 403, body = ErrorBody, description = "the owner, or someone with more permissions"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "yourself; change your own password instead"),
    ),
    security(("session" = ["admins.manage"]), ("api_key" = ["admins.manage"]))
)]
#[post("/admins/{id}/password")]
pub(crate) async fn reset_password(
    auth: Auth<AdminsManage>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<web::Json<OneTimePassword>, ApiError> {
    let target = views::path_id(&path, "admin")?;
    let password = state
        .admins
        .reset_password(&auth.principal, auth.ip, target)
        .await?;
    Ok(web::Json(OneTimePassword {
        password: password.to_string(),
    }))
}

/// Every role, and every permission there is.
#[utoipa::path(
    tag = "admins",
    responses((status = 200, body = RoleList)),
    security(("session" = ["admins.manage"]), ("api_key" = ["admins.manage"]))
)]
#[get("/roles")]
pub(crate) async fn list_roles(
    _auth: Auth<AdminsManage>,
    state: web::Data<AppState>,
) -> Result<web::Json<RoleList>, ApiError> {
    let roles = state
        .admins
        .roles()
        .await?
        .iter()
        .map(views::role)
        .collect();
    Ok(web::Json(RoleList {
        roles,
        all_permissions: Permission::ALL
            .into_iter()
            .map(|permission| PermissionInfo {
                permission,
                label: permission.label().to_owned(),
            })
            .collect(),
    }))
}

fn spec(body: &RoleRequest) -> RoleSpec {
    RoleSpec {
        name: body.name.clone(),
        description: body.description.clone(),
        permissions: body.permissions.iter().copied().collect(),
    }
}

/// Creates a role granting only permissions you have.
#[utoipa::path(
    tag = "admins",
    request_body = RoleRequest,
    responses(
        (status = 201, body = RoleView),
        (status = 400, body = ErrorBody, description = "bad or taken name, per field"),
        (status = 403, body = ErrorBody, description = "grants what you lack"),
    ),
    security(("session" = ["admins.manage"]), ("api_key" = ["admins.manage"]))
)]
#[post("/roles")]
pub(crate) async fn create_role(
    auth: Auth<AdminsManage>,
    state: web::Data<AppState>,
    body: web::Json<RoleRequest>,
) -> Result<HttpResponse, ApiError> {
    let role = state
        .admins
        .create_role(&auth.principal, auth.ip, &spec(&body))
        .await?;
    Ok(HttpResponse::Created().json(views::role(&RoleDetail { role, members: 0 })))
}

/// Changes a role; its old and new permissions must all be yours.
#[utoipa::path(
    tag = "admins",
    params(("id" = String, Path, description = "role id")),
    request_body = RoleRequest,
    responses(
        (status = 200, body = RoleView),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("session" = ["admins.manage"]), ("api_key" = ["admins.manage"]))
)]
#[put("/roles/{id}")]
pub(crate) async fn update_role(
    auth: Auth<AdminsManage>,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Json<RoleRequest>,
) -> Result<web::Json<RoleView>, ApiError> {
    let role_id = views::path_id(&path, "role")?;
    state
        .admins
        .update_role(&auth.principal, auth.ip, role_id, &spec(&body))
        .await?;
    let detail = state
        .admins
        .roles()
        .await?
        .into_iter()
        .find(|r| r.role.id == role_id)
        .ok_or_else(|| ApiError::NotFound(format!("no role {role_id}")))?;
    Ok(web::Json(views::role(&detail)))
}

/// Deletes a role; the admins holding it lose it.
#[utoipa::path(
    tag = "admins",
    params(("id" = String, Path, description = "role id")),
    responses(
        (status = 204, description = "deleted"),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("session" = ["admins.manage"]), ("api_key" = ["admins.manage"]))
)]
#[delete("/roles/{id}")]
pub(crate) async fn delete_role(
    auth: Auth<AdminsManage>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let role_id = views::path_id(&path, "role")?;
    state
        .admins
        .delete_role(&auth.principal, auth.ip, role_id)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
