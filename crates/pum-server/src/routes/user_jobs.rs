//! `/api/v1/users/sync` and `/api/v1/users/batches`: syncing users from plex.tv and mass
//! actions, both run as background jobs that the web interface follows.

use actix_web::{HttpResponse, get, post, put, web};
use pum_api_types::ErrorBody;
use pum_api_types::users::{
    BatchItem, BatchRequest, BatchStatus, BatchView, ItemStatus, SyncOverview, SyncRemoval,
    SyncScheduleRequest, SyncStatus, SyncView,
};
use pum_core::users::{BatchOutcome, Removal, batch_description};
use pum_db::records::{ItemState, SyncState, UserSync};

use crate::auth::{Auth, UsersEdit, UsersView};
use crate::error::ApiError;
use crate::routes::views;
use crate::state::AppState;

fn sync_view(sync: &UserSync) -> SyncView {
    let removals: Vec<Removal> = sync
        .removals
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok())
        .unwrap_or_default();
    SyncView {
        id: sync.id.to_string(),
        status: match sync.state {
            SyncState::Queued => SyncStatus::Queued,
            SyncState::Running => SyncStatus::Running,
            SyncState::Succeeded => SyncStatus::Succeeded,
            SyncState::Inconclusive => SyncStatus::Inconclusive,
            SyncState::AwaitingConfirmation => SyncStatus::AwaitingConfirmation,
            SyncState::Confirmed => SyncStatus::Confirmed,
        },
        requested_by: sync.requested_by.clone(),
        queued_at: sync.queued_at,
        started_at: sync.started_at,
        finished_at: sync.finished_at,
        added: sync.counts.added,
        updated: sync.counts.updated,
        removed: sync.counts.removed,
        unchanged: sync.counts.unchanged,
        message: sync.message.clone(),
        removals: removals
            .into_iter()
            .map(|r| SyncRemoval {
                user_id: r.user_id.to_string(),
                plex_account_id: r.plex_account_id,
                name: r.name,
            })
            .collect(),
    }
}

fn overview(o: &pum_core::users::SyncOverview) -> SyncOverview {
    SyncOverview {
        latest: o.latest.as_ref().map(sync_view),
        last_success: o.last_success.as_ref().map(sync_view),
        interval_hours: o.interval_hours,
        next_at: o.next_at,
    }
}

fn batch_view(outcome: &BatchOutcome, with_items: bool) -> BatchView {
    let items = &outcome.batch.items;
    let count = |f: &dyn Fn(ItemState) -> bool| {
        u32::try_from(items.iter().filter(|i| f(i.state)).count()).unwrap_or(u32::MAX)
    };
    let failed = count(&|s| s == ItemState::Failed);
    BatchView {
        id: outcome.batch.id.to_string(),
        action: outcome.action.clone(),
        description: batch_description(&outcome.action),
        status: match (outcome.batch.finished, failed) {
            (false, _) => BatchStatus::Running,
            (true, 0) => BatchStatus::Succeeded,
            (true, _) => BatchStatus::PartlyFailed,
        },
        requested_by: outcome.requested_by.clone(),
        created_at: outcome.batch.created_at,
        finished_at: outcome.batch.finished_at,
        total: u32::try_from(items.len()).unwrap_or(u32::MAX),
        done: count(&|s| s != ItemState::Pending),
        failed,
        items: if with_items {
            items
                .iter()
                .map(|i| BatchItem {
                    user_id: i.user_id.to_string(),
                    label: i.label.clone(),
                    status: match i.state {
                        ItemState::Pending => ItemStatus::Pending,
                        ItemState::Succeeded => ItemStatus::Succeeded,
                        ItemState::Skipped => ItemStatus::Skipped,
                        ItemState::Failed => ItemStatus::Failed,
                    },
                    message: i.message.clone(),
                })
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// The newest sync (with its summary or why it changed nothing) and the schedule.
#[utoipa::path(
    tag = "users",
    responses((status = 200, body = SyncOverview)),
    security(("session" = ["users.view"]), ("api_key" = ["users.view"]))
)]
#[get("/users/sync")]
pub(crate) async fn sync_overview(
    _auth: Auth<UsersView>,
    state: web::Data<AppState>,
) -> Result<web::Json<SyncOverview>, ApiError> {
    Ok(web::Json(overview(&state.users.sync_overview().await?)))
}

/// Queues a sync from plex.tv now; follow it with `GET /users/sync`.
#[utoipa::path(
    tag = "users",
    responses(
        (status = 202, body = SyncView, description = "queued"),
        (status = 409, body = ErrorBody, description = "a sync is running, or no Plex server is connected"),
    ),
    security(("session" = ["users.edit"]), ("api_key" = ["users.edit"]))
)]
#[post("/users/sync")]
pub(crate) async fn start_sync(
    auth: Auth<UsersEdit>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let sync = state
        .users
        .start_sync(&auth.principal, auth.ip, None)
        .await?;
    Ok(HttpResponse::Accepted().json(sync_view(&sync)))
}

/// Confirms the removals a sync stopped at, and queues a new sync allowed to mark exactly
/// those users as gone.
#[utoipa::path(
    tag = "users",
    params(("id" = String, Path, description = "sync id")),
    responses(
        (status = 202, body = SyncView, description = "confirmed; a new sync is queued"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "that sync does not wait for a confirmation"),
    ),
    security(("session" = ["users.edit"]), ("api_key" = ["users.edit"]))
)]
#[post("/users/sync/{id}/confirm")]
pub(crate) async fn confirm_sync(
    auth: Auth<UsersEdit>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = views::path_id(&path, "sync")?;
    let sync = state
        .users
        .start_sync(&auth.principal, auth.ip, Some(id))
        .await?;
    Ok(HttpResponse::Accepted().json(sync_view(&sync)))
}

/// Sets how often users are synced from plex.tv.
#[utoipa::path(
    tag = "users",
    request_body = SyncScheduleRequest,
    responses(
        (status = 200, body = SyncOverview),
        (status = 400, body = ErrorBody, description = "out of range"),
    ),
    security(("session" = ["settings.manage"]), ("api_key" = ["settings.manage"]))
)]
#[put("/users/sync/schedule")]
pub(crate) async fn set_schedule(
    auth: Auth<crate::auth::SettingsManage>,
    state: web::Data<AppState>,
    body: web::Json<SyncScheduleRequest>,
) -> Result<web::Json<SyncOverview>, ApiError> {
    let o = state
        .users
        .set_sync_interval(&auth.principal, auth.ip, body.interval_hours)
        .await?;
    Ok(web::Json(overview(&o)))
}

/// The newest mass actions (without their per-user results).
#[utoipa::path(
    tag = "users",
    responses((status = 200, body = Vec<BatchView>)),
    security(("session" = ["users.view"]), ("api_key" = ["users.view"]))
)]
#[get("/users/batches")]
pub(crate) async fn recent_batches(
    _auth: Auth<UsersView>,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<BatchView>>, ApiError> {
    let batches = state.users.recent_batches(20).await?;
    Ok(web::Json(
        batches.iter().map(|b| batch_view(b, false)).collect(),
    ))
}

/// Starts a mass action on the selected users; it runs in the background, one user at a time,
/// with a result for each (`GET /users/batches/{id}`). Removal also needs `users.delete`.
#[utoipa::path(
    tag = "users",
    request_body = BatchRequest,
    responses(
        (status = 202, body = BatchView, description = "queued"),
        (status = 400, body = ErrorBody, description = "no users, unknown users, or a bad action"),
        (status = 403, body = ErrorBody, description = "removal without users.delete"),
        (status = 409, body = ErrorBody, description = "no Plex server connected"),
    ),
    security(("session" = ["users.edit"]), ("api_key" = ["users.edit"]))
)]
#[post("/users/batches")]
pub(crate) async fn start_batch(
    auth: Auth<UsersEdit>,
    state: web::Data<AppState>,
    body: web::Json<BatchRequest>,
) -> Result<HttpResponse, ApiError> {
    let ids = views::uuids("user_ids", &body.user_ids)?;
    let outcome = state
        .users
        .start_batch(&auth.principal, auth.ip, &ids, &body.action)
        .await?;
    Ok(HttpResponse::Accepted().json(batch_view(&outcome, true)))
}

/// A mass action with every user's result.
#[utoipa::path(
    tag = "users",
    params(("id" = String, Path, description = "mass action id")),
    responses((status = 200, body = BatchView), (status = 404, body = ErrorBody)),
    security(("session" = ["users.view"]), ("api_key" = ["users.view"]))
)]
#[get("/users/batches/{id}")]
pub(crate) async fn get_batch(
    _auth: Auth<UsersView>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<web::Json<BatchView>, ApiError> {
    let outcome = state
        .users
        .batch(views::path_id(&path, "mass action")?)
        .await?;
    Ok(web::Json(batch_view(&outcome, true)))
}

/// Repeats a finished mass action for the users that failed, and only those.
#[utoipa::path(
    tag = "users",
    params(("id" = String, Path, description = "mass action id")),
    responses(
        (status = 202, body = BatchView, description = "queued again for the failed users"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "still running, or nothing failed"),
    ),
    security(("session" = ["users.edit"]), ("api_key" = ["users.edit"]))
)]
#[post("/users/batches/{id}/retry")]
pub(crate) async fn retry_batch(
    auth: Auth<UsersEdit>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let outcome = state
        .users
        .retry_batch(&auth.principal, views::path_id(&path, "mass action")?)
        .await?;
    Ok(HttpResponse::Accepted().json(batch_view(&outcome, true)))
}
