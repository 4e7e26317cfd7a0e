//! `/api/v1/users` and `/api/v1/libraries`: browsing users, changing their access (on Plex
//! first) and removing them.

use actix_web::{HttpResponse, delete, get, patch, web};
use chrono::Duration;
use pum_api_types::ErrorBody;
use pum_api_types::users::{
    LibraryList, LibraryView, UpdateUserRequest, UserDetail, UserEvent, UserPage, UserSort,
    UserSummary,
};
use pum_core::users::UserChange;
use pum_db::records::{User, UserOrder, UserQuery};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{Auth, UsersDelete, UsersEdit, UsersView};
use crate::error::ApiError;
use crate::routes::views;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_libraries)
        .service(list_users)
        .service(crate::routes::user_jobs::sync_overview)
        .service(crate::routes::user_jobs::start_sync)
        .service(crate::routes::user_jobs::confirm_sync)
        .service(crate::routes::user_jobs::set_schedule)
        .service(crate::routes::user_jobs::recent_batches)
        .service(crate::routes::user_jobs::start_batch)
        .service(crate::routes::user_jobs::get_batch)
        .service(crate::routes::user_jobs::retry_batch)
        .service(get_user)
        .service(update_user)
        .service(delete_user);
}

/// Largest page.
const MAX_PER_PAGE: u32 = 200;

pub(crate) fn summary(user: &User) -> UserSummary {
    UserSummary {
        id: user.id.to_string(),
        plex_account_id: user.plex.account_id,
        username: user.plex.username.clone(),
        title: user.plex.title.clone(),
        email: user.plex.email.clone(),
        thumb: user.plex.thumb.clone(),
        home: user.plex.home,
        managed: user.plex.managed,
        all_libraries: user.plex.all_libraries,
        library_ids: user.plex.library_ids.clone(),
        allow_downloads: user.plex.allow_sync,
        pending: user.plex.pending,
        shares_back: user.plex.shares_back,
        whitelisted: user.local.whitelisted,
        has_discord: user.local.discord_id.is_some(),
        last_seen_at: user.plex.last_seen_at,
        expires_at: user.local.expires_at,
        removed_from_plex_at: user.removed_at,
        created_at: user.created_at,
    }
}

fn detail(found: pum_core::users::UserDetail) -> UserDetail {
    let user = &found.user;
    UserDetail {
        summary: summary(user),
        plex_uuid: user.plex.uuid.clone(),
        notes: user.local.notes.clone(),
        discord_id: user.local.discord_id.clone(),
        discord_username: user.local.discord_username.clone(),
        share_id: user.plex.share_id,
        events: found
            .events
            .into_iter()
            .map(|e| UserEvent {
                at: e.at,
                kind: e.kind,
                success: e.success,
                actor: e.actor_name,
                detail: e.detail,
            })
            .collect(),
    }
}

/// The server's libraries as last read from Plex (refreshed before every share change).
#[utoipa::path(
    tag = "users",
    responses((status = 200, body = LibraryList)),
    security(("session" = ["users.view"]), ("api_key" = ["users.view"]))
)]
#[get("/libraries")]
pub(crate) async fn list_libraries(
    _auth: Auth<UsersView>,
    state: web::Data<AppState>,
) -> Result<web::Json<LibraryList>, ApiError> {
    let libraries = state
        .users
        .libraries()
        .await?
        .into_iter()
        .map(|l| LibraryView {
            id: l.tv_id,
            key: l.pms_key,
            title: l.title,
            kind: l.kind,
        })
        .collect();
    Ok(web::Json(LibraryList { libraries }))
}

/// Search, filters, order and page of `GET /users`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    /// Text to find in the name, e-mail or notes (case-insensitive).
    q: Option<String>,
    /// Only Plex Home users (`true`) or only others (`false`).
    home: Option<bool>,
    /// Only users whose share is not accepted yet (or only accepted).
    pending: Option<bool>,
    /// Only users with (or without) a linked Discord account.
    discord: Option<bool>,
    /// Only users who share a server back with the owner (or who do not).
    shares_back: Option<bool>,
    /// Only whitelisted users (or only others).
    whitelisted: Option<bool>,
    /// Only users a sync found gone from Plex (or only present ones).
    removed: Option<bool>,
    /// Only users whose membership ends within this many days (1 to 3650).
    expiring_days: Option<u32>,
    /// Only users not seen on the server for this many days, or never (1 to 3650).
    inactive_days: Option<u32>,
    /// Order (default `name`).
    sort: Option<UserSort>,
    /// `asc` (default) or `desc`.
    order: Option<String>,
    /// Page, from 1 (default 1).
    page: Option<u32>,
    /// Users per page, 1 to 200 (default 50).
    per_page: Option<u32>,
}

fn days(field: &str, value: Option<u32>) -> Result<Option<Duration>, ApiError> {
    match value {
        None => Ok(None),
        Some(d @ 1..=3650) => Ok(Some(Duration::days(i64::from(d)))),
        Some(d) => Err(ApiError::from(pum_core::CoreError::invalid(
            field,
            format!("must be from 1 to 3650 days, got {d}"),
        ))),
    }
}

fn to_query(q: &ListQuery, now: chrono::DateTime<chrono::Utc>) -> Result<UserQuery, ApiError> {
    let page = q.page.unwrap_or(1);
    let per_page = q.per_page.unwrap_or(50);
    if page == 0 {
        return Err(pum_core::CoreError::invalid("page", "starts at 1").into());
    }
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(pum_core::CoreError::invalid(
            "per_page",
            format!("must be from 1 to {MAX_PER_PAGE}"),
        )
        .into());
    }
    let descending = match q.order.as_deref() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => {
            return Err(pum_core::CoreError::invalid(
                "order",
                format!("must be asc or desc, not {other:?}"),
            )
            .into());
        }
    };
    let search =
        q.q.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| t.chars().take(200).collect::<String>().to_lowercase());
    Ok(UserQuery {
        search,
        home: q.home,
        pending: q.pending,
        has_discord: q.discord,
        shares_back: q.shares_back,
        whitelisted: q.whitelisted,
        removed: q.removed,
        expiring: days("expiring_days", q.expiring_days)?.map(|d| (now, now + d)),
        inactive_since: days("inactive_days", q.inactive_days)?.map(|d| now - d),
        order: match q.sort.unwrap_or_default() {
            UserSort::Name => UserOrder::Name,
            UserSort::LastSeen => UserOrder::LastSeen,
            UserSort::Expires => UserOrder::Expires,
            UserSort::Created => UserOrder::Created,
        },
        descending,
        offset: u64::from(page - 1) * u64::from(per_page),
        limit: u64::from(per_page),
    })
}

/// One page of users, searched, filtered and sorted on the server.
#[utoipa::path(
    tag = "users",
    params(ListQuery),
    responses(
        (status = 200, body = UserPage),
        (status = 400, body = ErrorBody, description = "a parameter out of range, per field"),
    ),
    security(("session" = ["users.view"]), ("api_key" = ["users.view"]))
)]
#[get("/users")]
pub(crate) async fn list_users(
    _auth: Auth<UsersView>,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<UserPage>, ApiError> {
    let domain = to_query(&query, state.users.now())?;
    let (users, total) = state.users.list(&domain).await?;
    Ok(web::Json(UserPage {
        users: users.iter().map(summary).collect(),
        total,
        page: query.page.unwrap_or(1),
        per_page: query.per_page.unwrap_or(50),
    }))
}

/// Everything about one user, with their newest events.
#[utoipa::path(
    tag = "users",
    params(("id" = String, Path, description = "user id")),
    responses((status = 200, body = UserDetail), (status = 404, body = ErrorBody)),
    security(("session" = ["users.view"]), ("api_key" = ["users.view"]))
)]
#[get("/users/{id}")]
pub(crate) async fn get_user(
    _auth: Auth<UsersView>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<web::Json<UserDetail>, ApiError> {
    let id = views::path_id(&path, "user")?;
    Ok(web::Json(detail(state.users.detail(id).await?)))
}

/// Changes a user. Libraries and downloads change on Plex first; when Plex refuses, nothing
/// changes here and the answer says what Plex said.
#[utoipa::path(
    tag = "users",
    params(("id" = String, Path, description = "user id")),
    request_body = UpdateUserRequest,
    responses(
        (status = 200, body = UserDetail),
        (status = 400, body = ErrorBody, description = "bad input, per field"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "no Plex server connected"),
        (status = 502, body = ErrorBody, description = "Plex refused or did not answer; nothing changed"),
    ),
    security(("session" = ["users.edit"]), ("api_key" = ["users.edit"]))
)]
#[patch("/users/{id}")]
pub(crate) async fn update_user(
    auth: Auth<UsersEdit>,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Json<UpdateUserRequest>,
) -> Result<web::Json<UserDetail>, ApiError> {
    let id = views::path_id(&path, "user")?;
    let body = body.into_inner();
    let change = UserChange {
        libraries: body.libraries,
        allow_downloads: body.allow_downloads,
        notes: body.notes,
        whitelisted: body.whitelisted,
        expiry: body.expiry,
    };
    let found = state
        .users
        .update(&auth.principal, auth.ip, id, &change)
        .await?;
    Ok(web::Json(detail(found)))
}

/// Revokes the user's access on Plex (leaving the Home, or ending the friendship and its
/// shares), then deletes them here. When Plex refuses, nothing changes here.
#[utoipa::path(
    tag = "users",
    params(("id" = String, Path, description = "user id")),
    responses(
        (status = 204, description = "removed from Plex and pum"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "no Plex server connected"),
        (status = 502, body = ErrorBody, description = "Plex refused or did not answer; nothing changed"),
    ),
    security(("session" = ["users.delete"]), ("api_key" = ["users.delete"]))
)]
#[delete("/users/{id}")]
pub(crate) async fn delete_user(
    auth: Auth<UsersDelete>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = views::path_id(&path, "user")?;
    state.users.remove(&auth.principal, auth.ip, id).await?;
    Ok(HttpResponse::NoContent().finish())
}
