//! Users of the Plex server: browsing, editing access, syncing from plex.tv and mass actions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A library of the server, with the plex.tv id that sharing uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LibraryView {
    /// plex.tv's id of the library; what a user's `library_ids` hold.
    pub id: u64,
    /// The key on the Plex Media Server.
    pub key: String,
    /// The title.
    pub title: String,
    /// `movie`, `show`, `artist`, `photo`, …
    pub kind: String,
}

/// `GET /api/v1/libraries`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LibraryList {
    /// The server's libraries, in the server's order.
    pub libraries: Vec<LibraryView>,
}

/// A user as the list shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent facts about a user, as the list shows them"
)]
pub struct UserSummary {
    /// pum's id of the user.
    pub id: String,
    /// The plex.tv account id.
    pub plex_account_id: u64,
    /// plex.tv username; managed Home users have none.
    pub username: Option<String>,
    /// The display name.
    pub title: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Avatar URL.
    pub thumb: Option<String>,
    /// A member of the owner's Plex Home.
    pub home: bool,
    /// A managed Home user (no plex.tv account of their own).
    pub managed: bool,
    /// Every current and future library is shared.
    pub all_libraries: bool,
    /// plex.tv ids of the libraries shared (every library when `all_libraries`).
    pub library_ids: Vec<u64>,
    /// May download media.
    pub allow_downloads: bool,
    /// The share is not accepted yet.
    pub pending: bool,
    /// Shares a server of their own with the owner.
    pub shares_back: bool,
    /// Exempt from purges.
    pub whitelisted: bool,
    /// A Discord account is linked.
    pub has_discord: bool,
    /// When plex.tv last saw them on this server.
    pub last_seen_at: Option<DateTime<Utc>>,
    /// When their membership ends.
    pub expires_at: Option<DateTime<Utc>>,
    /// When a sync found them gone from Plex (they are kept, marked, until removed here).
    pub removed_from_plex_at: Option<DateTime<Utc>>,
    /// When pum first saw them.
    pub created_at: DateTime<Utc>,
}

/// `GET /api/v1/users`: one page of users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserPage {
    /// The users of this page.
    pub users: Vec<UserSummary>,
    /// How many users match the search and filters.
    pub total: u64,
    /// This page (1-based).
    pub page: u32,
    /// Users per page.
    pub per_page: u32,
}

/// How the list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UserSort {
    /// By name (the default).
    #[default]
    Name,
    /// By when plex.tv last saw them (never seen last).
    LastSeen,
    /// By membership expiry (no expiry last).
    Expires,
    /// By when pum first saw them.
    Created,
}

/// One event about a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// What, for example `users.update`.
    pub kind: String,
    /// Whether it worked.
    pub success: bool,
    /// Who did it.
    pub actor: Option<String>,
    /// Details (JSON), for example before and after.
    pub detail: Option<String>,
}

/// `GET /api/v1/users/{id}`: everything about one user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserDetail {
    /// What the list shows.
    #[serde(flatten)]
    pub summary: UserSummary,
    /// The plex.tv uuid.
    pub plex_uuid: Option<String>,
    /// Admin notes.
    pub notes: String,
    /// The linked Discord account's id.
    pub discord_id: Option<String>,
    /// The linked Discord account's name.
    pub discord_username: Option<String>,
    /// The share id on plex.tv (absent for Home users without a share).
    pub share_id: Option<u64>,
    /// The newest events about this user, newest first.
    pub events: Vec<UserEvent>,
}

/// Which libraries a user gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum LibraryAccess {
    /// Every library the server has now.
    All,
    /// Exactly these libraries (plex.tv ids, at least one).
    Only {
        /// plex.tv library ids.
        library_ids: Vec<u64>,
    },
}

/// A change to the membership expiry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ExpiryChange {
    /// Ends the membership at `at`.
    Set {
        /// The new end.
        at: DateTime<Utc>,
    },
    /// Moves the end `days` later (from now when there is none or it has passed).
    Extend {
        /// Days to add (1 to 3650).
        days: u32,
    },
    /// No end.
    Clear,
}

/// `PATCH /api/v1/users/{id}`: only the fields given change. Library and download changes go
/// to Plex first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    /// New library access.
    #[serde(default)]
    pub libraries: Option<LibraryAccess>,
    /// Allow downloads.
    #[serde(default)]
    pub allow_downloads: Option<bool>,
    /// Admin notes (at most 4000 characters).
    #[serde(default)]
    pub notes: Option<String>,
    /// Exempt from purges.
    #[serde(default)]
    pub whitelisted: Option<bool>,
    /// Membership expiry.
    #[serde(default)]
    pub expiry: Option<ExpiryChange>,
}

/// What a mass action does to each selected user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum BatchAction {
    /// Replaces the libraries.
    SetLibraries {
        /// The new access.
        libraries: LibraryAccess,
    },
    /// Adds libraries to what each user has.
    AddLibraries {
        /// plex.tv library ids.
        library_ids: Vec<u64>,
    },
    /// Removes libraries from what each user has (a user keeps at least one).
    RemoveLibraries {
        /// plex.tv library ids.
        library_ids: Vec<u64>,
    },
    /// Allows or denies downloads.
    SetDownloads {
        /// Allow.
        allow: bool,
    },
    /// Moves each membership end later.
    ExtendExpiry {
        /// Days (1 to 3650).
        days: u32,
    },
    /// Revokes access on Plex and removes the users from pum.
    Remove,
}

/// `POST /api/v1/users/batches`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchRequest {
    /// pum ids of the users (1 to 10,000).
    pub user_ids: Vec<String>,
    /// What to do.
    #[serde(flatten)]
    pub action: BatchAction,
}

/// Where one user of a mass action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Not done yet.
    Pending,
    /// Done.
    Succeeded,
    /// Nothing to do for this user.
    Skipped,
    /// Failed; `message` says why. A retry repeats these.
    Failed,
}

/// One user of a mass action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchItem {
    /// pum's id of the user.
    pub user_id: String,
    /// The user's name when the action was asked for.
    pub label: String,
    /// Where it stands.
    pub status: ItemStatus,
    /// Why it failed or was skipped.
    pub message: Option<String>,
}

/// Where a mass action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BatchStatus {
    /// Queued or running.
    Running,
    /// Every user done or skipped.
    Succeeded,
    /// Finished; some users failed.
    PartlyFailed,
}

/// A mass action with its result per user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchView {
    /// The batch's id.
    pub id: String,
    /// What it does.
    pub action: BatchAction,
    /// A sentence saying what it does.
    pub description: String,
    /// Where it stands.
    pub status: BatchStatus,
    /// Who asked for it.
    pub requested_by: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When the last run finished.
    pub finished_at: Option<DateTime<Utc>>,
    /// Users in the batch.
    pub total: u32,
    /// Users done (succeeded, skipped or failed).
    pub done: u32,
    /// Users that failed.
    pub failed: u32,
    /// One result per user, in selection order.
    pub items: Vec<BatchItem>,
}

/// Where a sync stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SyncStatus {
    /// Waiting for a worker.
    Queued,
    /// Reading plex.tv.
    Running,
    /// Finished; the local users match Plex.
    Succeeded,
    /// plex.tv's answer was missing, failed or looked wrong: nothing changed (see `message`).
    Inconclusive,
    /// It would mark too many users as gone; nothing changed until an admin confirms.
    AwaitingConfirmation,
    /// An admin confirmed the removals and a new sync was queued.
    Confirmed,
}

/// Someone a sync would mark as gone from Plex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncRemoval {
    /// pum's id of the user.
    pub user_id: String,
    /// The plex.tv account id.
    pub plex_account_id: u64,
    /// The user's name.
    pub name: String,
}

/// One sync of users from plex.tv.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncView {
    /// The sync's id.
    pub id: String,
    /// Where it stands.
    pub status: SyncStatus,
    /// Who asked for it (absent for the schedule).
    pub requested_by: Option<String>,
    /// When it was queued.
    pub queued_at: DateTime<Utc>,
    /// When it started.
    pub started_at: Option<DateTime<Utc>>,
    /// When it finished.
    pub finished_at: Option<DateTime<Utc>>,
    /// Users new to pum.
    pub added: u32,
    /// Users whose Plex facts changed (or who came back).
    pub updated: u32,
    /// Users marked as gone from Plex.
    pub removed: u32,
    /// Users that did not change.
    pub unchanged: u32,
    /// A warning or an explanation.
    pub message: Option<String>,
    /// For `awaiting_confirmation`: who would be marked as gone.
    pub removals: Vec<SyncRemoval>,
}

/// `GET /api/v1/users/sync`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncOverview {
    /// The newest sync.
    pub latest: Option<SyncView>,
    /// The newest sync that finished successfully.
    pub last_success: Option<SyncView>,
    /// Hours between scheduled syncs (0: only by hand).
    pub interval_hours: u32,
    /// When the schedule syncs next.
    pub next_at: Option<DateTime<Utc>>,
}

/// `PUT /api/v1/users/sync/schedule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncScheduleRequest {
    /// Hours between scheduled syncs: 0 (only by hand) or 1 to 168.
    pub interval_hours: u32,
}
