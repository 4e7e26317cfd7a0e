//! The only module that does HTTP: one function per endpoint, typed with `pum-api-types`.

mod client;

pub(crate) use client::ApiError;
use client::Method;
use pum_api_types::auth::{
    AdminList, AdminView, ApiKeyList, ChangePasswordRequest, CreateAdminRequest,
    CreateApiKeyRequest, CreateOwnerRequest, CreatedApiKey, Me, OneTimePassword, PlexPinPurpose,
    PlexPinStarted, PlexPinStatus, RoleList, RoleRequest, RoleView, SetRolesRequest, SetupStatus,
    SignInRequest, StartPlexPinRequest,
};
use pum_api_types::invites::{
    CreateInviteRequest, DiscordCallbackRequest, DiscordLinked, DiscordStarted, InviteAccepted,
    InviteDetail, InviteList, InvitePlexStarted, InvitePlexStatus, InvitePreview, InviteView,
    UpdateInviteRequest,
};
use pum_api_types::jobs::{JobListResponse, JobRun, JobRunListResponse, RunJobRequest};
use pum_api_types::settings::{
    ConnectPlexRequest, DiscordSettingsPatch, GeneralSettingsPatch, PlexConnected, PlexServerList,
    SecuritySettingsPatch, SettingsView,
};
use pum_api_types::system::SystemStatus;
use pum_api_types::users::{
    BatchRequest, BatchView, LibraryList, SyncOverview, SyncScheduleRequest, SyncView,
    UpdateUserRequest, UserDetail, UserPage,
};

/// Nothing to send.
const NO_BODY: Option<&()> = None;

/// `GET /api/v1/system/status`.
pub(crate) async fn system_status() -> Result<SystemStatus, ApiError> {
    client::get("/api/v1/system/status").await
}

/// `GET /api/v1/jobs`.
pub(crate) async fn jobs() -> Result<JobListResponse, ApiError> {
    client::get("/api/v1/jobs").await
}

/// `GET /api/v1/jobs/runs`.
pub(crate) async fn job_runs(limit: u32) -> Result<JobRunListResponse, ApiError> {
    client::get(&format!("/api/v1/jobs/runs?limit={limit}")).await
}

/// `POST /api/v1/jobs/runs`.
pub(crate) async fn run_job(job: String) -> Result<JobRun, ApiError> {
    client::post("/api/v1/jobs/runs", &RunJobRequest { job }).await
}

/// `GET /api/v1/setup`.
pub(crate) async fn setup_status() -> Result<SetupStatus, ApiError> {
    client::get("/api/v1/setup").await
}

/// `POST /api/v1/setup/owner`.
pub(crate) async fn create_owner(username: String, password: String) -> Result<Me, ApiError> {
    client::post(
        "/api/v1/setup/owner",
        &CreateOwnerRequest { username, password },
    )
    .await
}

/// `GET /api/v1/auth/me`.
pub(crate) async fn me() -> Result<Me, ApiError> {
    client::get("/api/v1/auth/me").await
}

/// `POST /api/v1/auth/sign-in`.
pub(crate) async fn sign_in(username: String, password: String) -> Result<Me, ApiError> {
    client::post(
        "/api/v1/auth/sign-in",
        &SignInRequest { username, password },
    )
    .await
}

/// `POST /api/v1/auth/sign-out`.
pub(crate) async fn sign_out() -> Result<(), ApiError> {
    client::send_empty(Method::Post, "/api/v1/auth/sign-out", NO_BODY).await
}

/// `POST /api/v1/auth/password`.
pub(crate) async fn change_password(body: ChangePasswordRequest) -> Result<(), ApiError> {
    client::send_empty(Method::Post, "/api/v1/auth/password", Some(&body)).await
}

/// `POST /api/v1/auth/plex/pins`.
pub(crate) async fn start_plex_pin(
    purpose: PlexPinPurpose,
    return_path: String,
) -> Result<PlexPinStarted, ApiError> {
    client::post(
        "/api/v1/auth/plex/pins",
        &StartPlexPinRequest {
            purpose,
            return_path,
        },
    )
    .await
}

/// `POST /api/v1/auth/plex/pins/current/check`.
pub(crate) async fn check_plex_pin() -> Result<PlexPinStatus, ApiError> {
    client::send(
        Method::Post,
        "/api/v1/auth/plex/pins/current/check",
        NO_BODY,
    )
    .await
}

/// `GET /api/v1/settings`.
pub(crate) async fn settings() -> Result<SettingsView, ApiError> {
    client::get("/api/v1/settings").await
}

/// `PATCH /api/v1/settings/general`.
pub(crate) async fn patch_general(body: GeneralSettingsPatch) -> Result<SettingsView, ApiError> {
    client::send(Method::Patch, "/api/v1/settings/general", Some(&body)).await
}

/// `PATCH /api/v1/settings/discord`.
pub(crate) async fn patch_discord(body: DiscordSettingsPatch) -> Result<SettingsView, ApiError> {
    client::send(Method::Patch, "/api/v1/settings/discord", Some(&body)).await
}

/// `PATCH /api/v1/settings/security`.
pub(crate) async fn patch_security(body: SecuritySettingsPatch) -> Result<SettingsView, ApiError> {
    client::send(Method::Patch, "/api/v1/settings/security", Some(&body)).await
}

/// `GET /api/v1/settings/plex/servers`.
pub(crate) async fn plex_servers() -> Result<PlexServerList, ApiError> {
    client::get("/api/v1/settings/plex/servers").await
}

/// `PUT /api/v1/settings/plex`.
pub(crate) async fn connect_plex(body: ConnectPlexRequest) -> Result<PlexConnected, ApiError> {
    client::send(Method::Put, "/api/v1/settings/plex", Some(&body)).await
}

/// `GET /api/v1/admins`.
pub(crate) async fn admins() -> Result<AdminList, ApiError> {
    client::get("/api/v1/admins").await
}

/// `POST /api/v1/admins`.
pub(crate) async fn create_admin(body: CreateAdminRequest) -> Result<AdminView, ApiError> {
    client::post("/api/v1/admins", &body).await
}

/// `PUT /api/v1/admins/{id}/roles`.
pub(crate) async fn set_admin_roles(
    id: String,
    role_ids: Vec<String>,
) -> Result<AdminView, ApiError> {
    client::send(
        Method::Put,
        &format!("/api/v1/admins/{id}/roles"),
        Some(&SetRolesRequest { role_ids }),
    )
    .await
}

/// `DELETE /api/v1/admins/{id}`.
pub(crate) async fn delete_admin(id: String) -> Result<(), ApiError> {
    client::send_empty(Method::Delete, &format!("/api/v1/admins/{id}"), NO_BODY).await
}

/// `POST /api/v1/admins/{id}/password`.
pub(crate) async fn reset_admin_password(id: String) -> Result<OneTimePassword, ApiError> {
    client::send(
        Method::Post,
        &format!("/api/v1/admins/{id}/password"),
        NO_BODY,
    )
    .await
}

/// `GET /api/v1/roles`.
pub(crate) async fn roles() -> Result<RoleList, ApiError> {
    client::get("/api/v1/roles").await
}

/// `POST /api/v1/roles`.
pub(crate) async fn create_role(body: RoleRequest) -> Result<RoleView, ApiError> {
    client::post("/api/v1/roles", &body).await
}

/// `PUT /api/v1/roles/{id}`.
pub(crate) async fn update_role(id: String, body: RoleRequest) -> Result<RoleView, ApiError> {
    client::send(Method::Put, &format!("/api/v1/roles/{id}"), Some(&body)).await
}

/// `DELETE /api/v1/roles/{id}`.
pub(crate) async fn delete_role(id: String) -> Result<(), ApiError> {
    client::send_empty(Method::Delete, &format!("/api/v1/roles/{id}"), NO_BODY).await
}

/// `GET /api/v1/api-keys`.
pub(crate) async fn api_keys() -> Result<ApiKeyList, ApiError> {
    client::get("/api/v1/api-keys").await
}

/// `POST /api/v1/api-keys`.
pub(crate) async fn create_api_key(body: CreateApiKeyRequest) -> Result<CreatedApiKey, ApiError> {
    client::post("/api/v1/api-keys", &body).await
}

/// `DELETE /api/v1/api-keys/{id}`.
pub(crate) async fn revoke_api_key(id: String) -> Result<(), ApiError> {
    client::send_empty(Method::Delete, &format!("/api/v1/api-keys/{id}"), NO_BODY).await
}

/// Percent-encodes `text` for a query string.
fn encode(text: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// `GET /api/v1/users` with `query` pairs (values are encoded here).
pub(crate) async fn users(query: Vec<(&'static str, String)>) -> Result<UserPage, ApiError> {
    let query: Vec<String> = query
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    client::get(&format!("/api/v1/users?{}", query.join("&"))).await
}

/// `GET /api/v1/users/{id}`.
pub(crate) async fn user(id: String) -> Result<UserDetail, ApiError> {
    client::get(&format!("/api/v1/users/{}", encode(&id))).await
}

/// `PATCH /api/v1/users/{id}`.
pub(crate) async fn update_user(
    id: String,
    body: UpdateUserRequest,
) -> Result<UserDetail, ApiError> {
    client::send(
        Method::Patch,
        &format!("/api/v1/users/{}", encode(&id)),
        Some(&body),
    )
    .await
}

/// `DELETE /api/v1/users/{id}`.
pub(crate) async fn remove_user(id: String) -> Result<(), ApiError> {
    client::send_empty(
        Method::Delete,
        &format!("/api/v1/users/{}", encode(&id)),
        NO_BODY,
    )
    .await
}

/// `GET /api/v1/libraries`.
pub(crate) async fn libraries() -> Result<LibraryList, ApiError> {
    client::get("/api/v1/libraries").await
}

/// `GET /api/v1/users/sync`.
pub(crate) async fn sync_overview() -> Result<SyncOverview, ApiError> {
    client::get("/api/v1/users/sync").await
}

/// `POST /api/v1/users/sync`.
pub(crate) async fn start_sync() -> Result<SyncView, ApiError> {
    client::send(Method::Post, "/api/v1/users/sync", NO_BODY).await
}

/// `POST /api/v1/users/sync/{id}/confirm`.
pub(crate) async fn confirm_sync(id: String) -> Result<SyncView, ApiError> {
    client::send(
        Method::Post,
        &format!("/api/v1/users/sync/{}/confirm", encode(&id)),
        NO_BODY,
    )
    .await
}

/// `POST /api/v1/users/batches`.
pub(crate) async fn start_batch(body: BatchRequest) -> Result<BatchView, ApiError> {
    client::post("/api/v1/users/batches", &body).await
}

/// `GET /api/v1/users/batches/{id}`.
pub(crate) async fn batch(id: String) -> Result<BatchView, ApiError> {
    client::get(&format!("/api/v1/users/batches/{}", encode(&id))).await
}

/// `POST /api/v1/users/batches/{id}/retry`.
pub(crate) async fn retry_batch(id: String) -> Result<BatchView, ApiError> {
    client::send(
        Method::Post,
        &format!("/api/v1/users/batches/{}/retry", encode(&id)),
        NO_BODY,
    )
    .await
}

/// `PUT /api/v1/users/sync/schedule`.
pub(crate) async fn set_sync_schedule(interval_hours: u32) -> Result<SyncOverview, ApiError> {
    client::send(
        Method::Put,
        "/api/v1/users/sync/schedule",
        Some(&SyncScheduleRequest { interval_hours }),
    )
    .await
}

/// `GET /api/v1/invites`.
pub(crate) async fn invites() -> Result<InviteList, ApiError> {
    client::get("/api/v1/invites").await
}

/// `POST /api/v1/invites`.
pub(crate) async fn create_invite(body: CreateInviteRequest) -> Result<InviteView, ApiError> {
    client::post("/api/v1/invites", &body).await
}

/// `GET /api/v1/invites/{id}`.
pub(crate) async fn invite(id: String) -> Result<InviteDetail, ApiError> {
    client::get(&format!("/api/v1/invites/{}", encode(&id))).await
}

/// `PATCH /api/v1/invites/{id}` (also disables and enables: `disabled`).
pub(crate) async fn update_invite(
    id: String,
    body: UpdateInviteRequest,
) -> Result<InviteView, ApiError> {
    client::send(
        Method::Patch,
        &format!("/api/v1/invites/{}", encode(&id)),
        Some(&body),
    )
    .await
}

/// `DELETE /api/v1/invites/{id}`.
pub(crate) async fn delete_invite(id: String) -> Result<(), ApiError> {
    client::send_empty(
        Method::Delete,
        &format!("/api/v1/invites/{}", encode(&id)),
        NO_BODY,
    )
    .await
}

/// `GET /api/v1/invite/{code}`: the public invite page's data (no session needed).
pub(crate) async fn invite_preview(code: String) -> Result<InvitePreview, ApiError> {
    client::get(&format!("/api/v1/invite/{}", encode(&code))).await
}

/// `POST /api/v1/invite/{code}/plex`: starts the invitee's Plex sign-in.
pub(crate) async fn start_invite_plex(code: String) -> Result<InvitePlexStarted, ApiError> {
    client::send(
        Method::Post,
        &format!("/api/v1/invite/{}/plex", encode(&code)),
        NO_BODY,
    )
    .await
}

/// `POST /api/v1/invite/{code}/plex/check`: a 404 means no sign-in is under way.
pub(crate) async fn check_invite_plex(code: String) -> Result<InvitePlexStatus, ApiError> {
    client::send(
        Method::Post,
        &format!("/api/v1/invite/{}/plex/check", encode(&code)),
        NO_BODY,
    )
    .await
}

/// `POST /api/v1/invite/{code}/discord`: starts linking a Discord account.
pub(crate) async fn start_invite_discord(code: String) -> Result<DiscordStarted, ApiError> {
    client::send(
        Method::Post,
        &format!("/api/v1/invite/{}/discord", encode(&code)),
        NO_BODY,
    )
    .await
}

/// `POST /api/v1/discord/callback`: finishes linking with what Discord put in the address.
pub(crate) async fn discord_callback(
    code: String,
    state: String,
) -> Result<DiscordLinked, ApiError> {
    client::post(
        "/api/v1/discord/callback",
        &DiscordCallbackRequest { code, state },
    )
    .await
}

/// `POST /api/v1/invite/{code}/accept`.
pub(crate) async fn accept_invite(code: String) -> Result<InviteAccepted, ApiError> {
    client::send(
        Method::Post,
        &format!("/api/v1/invite/{}/accept", encode(&code)),
        NO_BODY,
    )
    .await
}

/// `DELETE /api/v1/invite/{code}/session`: forgets this browser's Plex and Discord sign-in.
pub(crate) async fn forget_invite_session(code: String) -> Result<(), ApiError> {
    client::send_empty(
        Method::Delete,
        &format!("/api/v1/invite/{}/session", encode(&code)),
        NO_BODY,
    )
    .await
}
