//! `/api/v1/invites`: invite links for admins — create, list, show with usage history, edit,
//! disable, delete.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use pum_api_types::ErrorBody;
use pum_api_types::invites::{
    CreateInviteRequest, InviteDetail, InviteList, InviteView, RedemptionStatus, RedemptionView,
    UpdateInviteRequest,
};
use pum_core::invites::{InviteInfo, parse_linking};
use pum_db::records::{Redemption, RedemptionState};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{Auth, InvitesManage, InvitesView};
use crate::error::ApiError;
use crate::routes::views;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_invites)
        .service(create_invite)
        .service(get_invite)
        .service(update_invite)
        .service(delete_invite);
}

fn view(info: &InviteInfo, origin: &str) -> InviteView {
    let invite = &info.invite;
    let code = info.code.clone().unwrap_or_default();
    InviteView {
        id: invite.id.to_string(),
        url: if code.is_empty() {
            String::new()
        } else {
            format!("{origin}/i/{code}")
        },
        code,
        custom: invite.custom_path.is_some(),
        state: info.state,
        note: invite.note.clone(),
        expires_at: invite.expires_at,
        max_uses: invite.max_uses,
        uses: invite.uses,
        all_libraries: invite.all_libraries,
        library_ids: invite.library_ids.clone(),
        allow_downloads: invite.allow_downloads,
        membership_days: invite.membership_days,
        discord_linking: parse_linking(invite.discord_linking.as_deref()),
        effective_discord_linking: info.effective_discord,
        require_guild_membership: invite.require_guild,
        created_by: invite.created_by.clone(),
        created_at: invite.created_at,
        updated_at: invite.updated_at,
    }
}

fn redemption(r: &Redemption) -> RedemptionView {
    RedemptionView {
        plex_account_id: r.plex_account_id,
        username: r.username.clone(),
        email: r.email.clone(),
        discord_username: r.discord_username.clone(),
        status: match r.state {
            RedemptionState::Claimed => RedemptionStatus::InProgress,
            RedemptionState::Shared => RedemptionStatus::Shared,
            RedemptionState::Failed => RedemptionStatus::Failed,
        },
        message: r.message.clone(),
        accepted: r.accepted,
        user_id: r.user_id.map(|id| id.to_string()),
        ip: r.ip.clone(),
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

/// Every invite, newest first, with its link and state.
#[utoipa::path(
    tag = "invites",
    responses((status = 200, body = InviteList)),
    security(("session" = ["invites.view"]), ("api_key" = ["invites.view"]))
)]
#[get("/invites")]
pub(crate) async fn list_invites(
    _auth: Auth<InvitesView>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<web::Json<InviteList>, ApiError> {
    let origin = views::origin(&req, &state).await?;
    let invites = state.invites.list().await?;
    Ok(web::Json(InviteList {
        invites: invites.iter().map(|i| view(i, &origin)).collect(),
    }))
}

/// Creates an invite: a random 128-bit link, or a custom path (unique ignoring case).
#[utoipa::path(
    tag = "invites",
    request_body = CreateInviteRequest,
    responses(
        (status = 201, body = InviteView),
        (status = 400, body = ErrorBody, description = "a field is not acceptable; `fields` says which"),
    ),
    security(("session" = ["invites.manage"]), ("api_key" = ["invites.manage"]))
)]
#[post("/invites")]
pub(crate) async fn create_invite(
    auth: Auth<InvitesManage>,
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<CreateInviteRequest>,
) -> Result<HttpResponse, ApiError> {
    let info = state
        .invites
        .create(&auth.principal, auth.ip.clone(), &body)
        .await?;
    let origin = views::origin(&req, &state).await?;
    Ok(HttpResponse::Created().json(view(&info, &origin)))
}

/// One invite with its usage history.
#[utoipa::path(
    tag = "invites",
    params(("id" = String, Path, description = "invite id")),
    responses((status = 200, body = InviteDetail), (status = 404, body = ErrorBody)),
    security(("session" = ["invites.view"]), ("api_key" = ["invites.view"]))
)]
#[get("/invites/{id}")]
pub(crate) async fn get_invite(
    _auth: Auth<InvitesView>,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<web::Json<InviteDetail>, ApiError> {
    let id = views::path_id(&path, "invite")?;
    let (info, redemptions) = state.invites.detail(id).await?;
    let origin = views::origin(&req, &state).await?;
    Ok(web::Json(InviteDetail {
        invite: view(&info, &origin),
        redemptions: redemptions.iter().map(redemption).collect(),
    }))
}

/// Changes an invite (not its code): expiry, uses, libraries, downloads, membership, Discord,
/// note; `{"disabled": true}` switches it off, `false` on again.
#[utoipa::path(
    tag = "invites",
    params(("id" = String, Path, description = "invite id")),
    request_body = UpdateInviteRequest,
    responses(
        (status = 200, body = InviteView),
        (status = 400, body = ErrorBody, description = "a field is not acceptable"),
        (status = 404, body = ErrorBody),
    ),
    security(("session" = ["invites.manage"]), ("api_key" = ["invites.manage"]))
)]
#[patch("/invites/{id}")]
pub(crate) async fn update_invite(
    auth: Auth<InvitesManage>,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Json<UpdateInviteRequest>,
) -> Result<web::Json<InviteView>, ApiError> {
    let id = views::path_id(&path, "invite")?;
    let info = state
        .invites
        .update(&auth.principal, auth.ip.clone(), id, &body)
        .await?;
    let origin = views::origin(&req, &state).await?;
    Ok(web::Json(view(&info, &origin)))
}

/// Deletes an invite and its usage history. People who redeemed it keep their access.
#[utoipa::path(
    tag = "invites",
    params(("id" = String, Path, description = "invite id")),
    responses((status = 204, description = "deleted"), (status = 404, body = ErrorBody)),
    security(("session" = ["invites.manage"]), ("api_key" = ["invites.manage"]))
)]
#[delete("/invites/{id}")]
pub(crate) async fn delete_invite(
    auth: Auth<InvitesManage>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = views::path_id(&path, "invite")?;
    state.invites.delete(&auth.principal, auth.ip, id).await?;
    Ok(HttpResponse::NoContent().finish())
}
