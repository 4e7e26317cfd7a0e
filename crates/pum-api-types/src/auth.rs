//! Setup, sign-in, the signed-in admin, admins, roles and API keys.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Permission;

/// `GET /api/v1/setup`: what the first-run wizard still needs. Public.
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent facts the wizard shows"
)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetupStatus {
    /// Whether an owner exists. Once true, the setup endpoints answer 403.
    pub owner_exists: bool,
    /// Whether a Plex Media Server is connected.
    pub plex_connected: bool,
    /// Whether the public base URL is set.
    pub base_url_set: bool,
    /// Whether this instance is the demo.
    pub demo: bool,
    /// The app's name, for the sign-in page.
    pub app_name: String,
}

/// `POST /api/v1/setup/owner`: create the owner with a local password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateOwnerRequest {
    /// 3 to 80 characters: letters, digits, `.`, `_`, `-`, `@`.
    pub username: String,
    /// 8 to 128 characters, not a common password.
    #[cfg_attr(feature = "openapi", schema(write_only))]
    pub password: String,
}

/// `POST /api/v1/auth/sign-in`: sign in with a local password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    /// The username, in any letter case.
    pub username: String,
    /// The password.
    #[cfg_attr(feature = "openapi", schema(write_only))]
    pub password: String,
}

/// What a Plex PIN sign-in is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlexPinPurpose {
    /// Sign in as the admin linked to the Plex account (or the server owner).
    SignIn,
    /// During setup: create the owner from the Plex account and keep its token.
    Setup,
    /// Link the signed-in admin's account to a Plex account.
    Link,
    /// Use the Plex account's token to connect pum to one of its servers.
    Connect,
}

/// `POST /api/v1/auth/plex/pins`: start a Plex sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StartPlexPinRequest {
    /// What the sign-in is for.
    pub purpose: PlexPinPurpose,
    /// Where Plex sends the browser back to: a path on this site such as `/login`.
    pub return_path: String,
}

/// A started Plex sign-in. The flow is bound to this browser by an `HttpOnly` cookie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlexPinStarted {
    /// The Plex sign-in page to open.
    pub auth_url: String,
    /// When the PIN expires.
    pub expires_at: DateTime<Utc>,
}

/// Where a Plex sign-in stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlexPinState {
    /// Not approved yet; ask again after `retry_after_ms`.
    Pending,
    /// Approved and done: signed in, linked or connected.
    Done,
    /// The PIN expired before anyone approved it.
    Expired,
}

/// `POST /api/v1/auth/plex/pins/current/check`: the flow's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlexPinStatus {
    /// Where it stands.
    pub state: PlexPinState,
    /// What the flow was for.
    pub purpose: PlexPinPurpose,
    /// How long to wait before asking again (pending only).
    pub retry_after_ms: u64,
}

/// The Plex account linked to an admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlexLinkView {
    /// The plex.tv account id.
    pub account_id: i64,
    /// The Plex username.
    pub username: String,
    /// Avatar URL.
    pub thumb: Option<String>,
}

/// A role, as shown next to an admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleRef {
    /// The role's id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// An admin account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminView {
    /// The admin's id.
    pub id: String,
    /// The sign-in name.
    pub username: String,
    /// Whether this is the owner.
    pub is_owner: bool,
    /// Whether the admin has a local password.
    pub has_password: bool,
    /// The linked Plex account.
    pub plex: Option<PlexLinkView>,
    /// Roles granted (empty for the owner, who has everything).
    pub roles: Vec<RoleRef>,
    /// Every permission the admin has.
    pub permissions: Vec<Permission>,
    /// Whether the admin must choose a new password first.
    pub must_change_password: bool,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
    /// When the admin last signed in.
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

/// `GET /api/v1/auth/me`: who is calling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// The admin.
    pub admin: AdminView,
    /// With an API key: the key's id; its permissions are `permissions`.
    pub api_key: Option<String>,
    /// What this caller may do right now.
    pub permissions: Vec<Permission>,
}

/// `POST /api/v1/auth/password`: change one's own password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    /// The current password; not needed when the admin has none yet.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(write_only))]
    pub current_password: Option<String>,
    /// The new password, 8 to 128 characters.
    #[cfg_attr(feature = "openapi", schema(write_only))]
    pub new_password: String,
}

/// `GET /api/v1/admins`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminList {
    /// Every admin, owner first.
    pub admins: Vec<AdminView>,
}

/// `POST /api/v1/admins`: add an admin with a temporary password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateAdminRequest {
    /// The new admin's username.
    pub username: String,
    /// A temporary password they must change at first sign-in.
    #[cfg_attr(feature = "openapi", schema(write_only))]
    pub password: String,
    /// The ids of the roles to grant.
    #[serde(default)]
    pub role_ids: Vec<String>,
}

/// `PUT /api/v1/admins/{id}/roles`: replace the roles of an admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetRolesRequest {
    /// The ids of the roles the admin should have.
    pub role_ids: Vec<String>,
}

/// `POST /api/v1/admins/{id}/password`: the one-time password given to an admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OneTimePassword {
    /// Shown once; the admin must change it at next sign-in.
    pub password: String,
}

/// A role and who has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleView {
    /// The role's id.
    pub id: String,
    /// Its unique name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// What it grants.
    pub permissions: Vec<Permission>,
    /// How many admins have it.
    pub member_count: u32,
}

/// `GET /api/v1/roles`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleList {
    /// Every role, by name.
    pub roles: Vec<RoleView>,
    /// Every permission there is, for building forms.
    pub all_permissions: Vec<PermissionInfo>,
}

/// A permission with its description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PermissionInfo {
    /// The permission.
    pub permission: Permission,
    /// What it allows, for people.
    pub label: String,
}

/// `POST /api/v1/roles` and `PUT /api/v1/roles/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleRequest {
    /// 1 to 80 characters, unique in any letter case.
    pub name: String,
    /// Up to 300 characters.
    #[serde(default)]
    pub description: String,
    /// What the role grants; you can only grant what you have.
    pub permissions: Vec<Permission>,
}

/// An API key, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyView {
    /// The key's public id.
    pub id: String,
    /// What it is for.
    pub name: String,
    /// The visible start of the key, `pumk_<id>_`.
    pub prefix: String,
    /// What it may do (never more than its creator).
    pub permissions: Vec<Permission>,
    /// The admin who made it.
    pub created_by: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was last used.
    pub last_used_at: Option<DateTime<Utc>>,
}

/// `GET /api/v1/api-keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyList {
    /// Every key, newest first.
    pub keys: Vec<ApiKeyView>,
}

/// `POST /api/v1/api-keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateApiKeyRequest {
    /// 1 to 80 characters.
    pub name: String,
    /// What the key may do; only permissions you have.
    pub permissions: Vec<Permission>,
    /// When it stops working; must be in the future.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

/// A new key with its secret, shown exactly once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiKey {
    /// The whole key, `pumk_<id>_<secret>`; send it as `Authorization: Bearer <key>`.
    pub key: String,
    /// The stored key.
    pub api_key: ApiKeyView,
}
