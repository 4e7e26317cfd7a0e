//! The people who watch the server: browsing them, changing their access (on Plex first),
//! removing them, syncing them from plex.tv and mass actions.

pub(crate) mod access;
mod batch;
mod handler;
mod sync;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use pum_api_types::users::{ExpiryChange, LibraryAccess};
use pum_db::Db;
use pum_db::records::{Library, User, UserQuery};
use pum_db::repo::{events, libraries, users};
use serde_json::json;
use uuid::Uuid;

pub use batch::{BatchOutcome, MAX_BATCH, batch_description};
pub use sync::{Removal, SyncOverview, removal_threshold};

use crate::auth::Principal;
use crate::events::{Actor, EventLog};
use crate::jobs::{JobKind, JobsService};
use crate::plex::PlexService;
use crate::settings::SettingsService;
use crate::{Clock, CoreError, Result};

/// Longest notes accepted, in characters.
pub const MAX_NOTES: usize = 4000;
/// Most days an expiry can be extended by at once.
pub const MAX_EXTEND_DAYS: u32 = 3650;
/// How many events a user's detail shows.
const DETAIL_EVENTS: u64 = 50;

/// A user with their newest events.
#[derive(Debug, Clone)]
pub struct UserDetail {
    /// The user.
    pub user: User,
    /// Events about them, newest first.
    pub events: Vec<pum_db::records::Event>,
}

/// A change to one user; `None` fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    /// New libraries (on Plex).
    pub libraries: Option<LibraryAccess>,
    /// Downloads (on Plex).
    pub allow_downloads: Option<bool>,
    /// Notes.
    pub notes: Option<String>,
    /// Purge exemption.
    pub whitelisted: Option<bool>,
    /// Membership expiry.
    pub expiry: Option<ExpiryChange>,
}

impl UserChange {
    fn touches_plex(&self) -> bool {
        self.libraries.is_some() || self.allow_downloads.is_some()
    }
}

/// The users use cases.
#[derive(Debug, Clone)]
pub struct UsersService {
    db: Db,
    clock: Arc<dyn Clock>,
    plex: PlexService,
    settings: SettingsService,
    events: EventLog,
    jobs: JobsService,
}

/// The event-log target naming a user.
pub fn target(id: Uuid) -> String {
    format!("user:{id}")
}

impl UsersService {
    /// A service over `db`, acting on Plex through `plex`, queuing through `jobs`. Installs
    /// itself as the handler of user jobs on `jobs`.
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        plex: PlexService,
        settings: SettingsService,
        events: EventLog,
        jobs: JobsService,
    ) -> Self {
        let service = Self {
            db,
            clock,
            plex,
            settings,
            events,
            jobs,
        };
        service.jobs.install_handler(
            &[JobKind::SyncUsers, JobKind::UserBatch],
            handler::UserJobs(service.clone()),
        );
        service
    }

    /// One page of users matching `query`, and how many match.
    pub async fn list(&self, query: &UserQuery) -> Result<(Vec<User>, u64)> {
        Ok(users::list(&self.db, query).await?)
    }

    /// The server's libraries as last read from Plex.
    pub async fn libraries(&self) -> Result<Vec<Library>> {
        Ok(libraries::current(&self.db).await?)
    }

    /// The current time (for callers computing filters).
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The user `id` with their events.
    ///
    /// # Errors
    /// [`CoreError::NotFound`] for an unknown user.
    pub async fn detail(&self, id: Uuid) -> Result<UserDetail> {
        let user = self.find(id).await?;
        let events = events::for_target(&self.db, &target(id), DETAIL_EVENTS).await?;
        Ok(UserDetail { user, events })
    }

    async fn find(&self, id: Uuid) -> Result<User> {
        users::get(&self.db, id)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("no user {id}")))
    }

    /// Changes one user. Library and download changes go to Plex first; nothing local
    /// changes unless Plex accepted them.
    ///
    /// # Errors
    /// [`CoreError::Invalid`] for bad input, [`CoreError::Plex`] when Plex refused or did not
    /// answer (nothing changed), [`CoreError::NotFound`].
    pub async fn update(
        &self,
        by: &Principal,
        ip: Option<String>,
        id: Uuid,
        change: &UserChange,
    ) -> Result<UserDetail> {
        let user = self.find(id).await?;
        let now = self.clock.now();
        let local = local_change(&user, change, now)?;
        let actor = by.actor(ip);
        let mut after = user.clone();
        if change.touches_plex() {
            let plex = self.plex.connected().await?;
            let mut facts = user.plex.clone();
            let mut failure = None;
            if let Some(access) = &change.libraries {
                let libs = access::refresh_libraries(&self.db, &plex, now).await?;
                let ids = access::resolve(access, &libs)?;
                if let Err(err) = access::set_libraries(&plex, &mut facts, &ids).await {
                    failure = Some(err);
                }
            }
            if let (None, Some(allow)) = (&failure, change.allow_downloads)
                && let Err(err) = access::set_downloads(&plex, &mut facts, allow).await
            {
                failure = Some(err);
            }
            if facts != user.plex {
                users::update_plex(&self.db, id, &facts, &user.local, now).await?;
                after.plex = facts;
                after.removed_at = None;
            }
            if let Some(err) = failure {
                self.events
                    .record(
                        "users.update",
                        &actor,
                        Some(&target(id)),
                        false,
                        json!({
                            "user": user.name(),
                            "error": err.to_string(),
                            "before": access::describe(&user),
                            "after": access::describe(&after),
                        }),
                    )
                    .await;
                return Err(err);
            }
        }
        if local != user.local {
            users::update_local(&self.db, id, &after.plex, &local, now).await?;
            after.local = local;
        }
        self.events
            .record(
                "users.update",
                &actor,
                Some(&target(id)),
                true,
                json!({
                    "user": user.name(),
                    "before": access::describe(&user),
                    "after": access::describe(&after),
                }),
            )
            .await;
        self.detail(id).await
    }

    /// Revokes the user's access on Plex (Home member or friend), then deletes them here.
    /// When Plex refuses, nothing changes here.
    ///
    /// # Errors
    /// [`CoreError::Plex`] when Plex refused or did not answer, [`CoreError::NotFound`].
    pub async fn remove(&self, by: &Principal, ip: Option<String>, id: Uuid) -> Result<()> {
        let user = self.find(id).await?;
        let plex = self.plex.connected().await?;
        self.remove_user(&plex, &by.actor(ip), &user).await
    }

    async fn remove_user(
        &self,
        plex: &crate::plex::Connected,
        actor: &Actor,
        user: &User,
    ) -> Result<()> {
        let revoked = access::revoke(plex, user).await;
        let detail = |error: Option<String>, note: Option<&str>| {
            json!({
                "user": user.name(),
                "plex_account_id": user.plex.account_id,
                "home": user.plex.home,
                "error": error,
                "note": note,
            })
        };
        match revoked {
            Ok(note) => {
                users::delete(&self.db, user.id).await?;
                self.events
                    .record(
                        "users.remove",
                        actor,
                        Some(&target(user.id)),
                        true,
                        detail(None, note),
                    )
                    .await;
                Ok(())
            }
            Err(err) => {
                self.events
                    .record(
                        "users.remove",
                        actor,
                        Some(&target(user.id)),
                        false,
                        detail(Some(err.to_string()), None),
                    )
                    .await;
                Err(err)
            }
        }
    }
}

/// The pum-only facts after `change`, validated.
fn local_change(
    user: &User,
    change: &UserChange,
    now: DateTime<Utc>,
) -> Result<pum_db::records::LocalFacts> {
    let mut local = user.local.clone();
    if let Some(notes) = &change.notes {
        if notes.chars().count() > MAX_NOTES {
            return Err(CoreError::invalid(
                "notes",
                format!("must be at most {MAX_NOTES} characters"),
            ));
        }
        local.notes.clone_from(notes);
    }
    if let Some(whitelisted) = change.whitelisted {
        local.whitelisted = whitelisted;
    }
    if let Some(expiry) = &change.expiry {
        local.expires_at = expiry_after(local.expires_at, expiry, now)?;
    }
    Ok(local)
}

/// The expiry after `change`.
///
/// # Errors
/// [`CoreError::Invalid`] for a date in the past or an out-of-range extension.
pub fn expiry_after(
    current: Option<DateTime<Utc>>,
    change: &ExpiryChange,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    match change {
        ExpiryChange::Clear => Ok(None),
        ExpiryChange::Set { at } => {
            if *at <= now {
                return Err(CoreError::invalid("expiry", "must be in the future"));
            }
            Ok(Some(*at))
        }
        ExpiryChange::Extend { days } => {
            if *days == 0 || *days > MAX_EXTEND_DAYS {
                return Err(CoreError::invalid(
                    "expiry",
                    format!("days must be between 1 and {MAX_EXTEND_DAYS}"),
                ));
            }
            let from = current.filter(|at| *at > now).unwrap_or(now);
            Ok(Some(from + Duration::days(i64::from(*days))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::expiry_after;
    use chrono::{Duration, TimeZone, Utc};
    use pum_api_types::users::ExpiryChange;

    #[test]
    fn extending_counts_from_the_current_end_or_from_now_when_it_has_passed() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let later = now + Duration::days(10);
        let extend = ExpiryChange::Extend { days: 5 };
        assert_eq!(
            expiry_after(Some(later), &extend, now).unwrap(),
            Some(later + Duration::days(5))
        );
        assert_eq!(
            expiry_after(Some(now - Duration::days(3)), &extend, now).unwrap(),
            Some(now + Duration::days(5))
        );
        assert_eq!(
            expiry_after(None, &extend, now).unwrap(),
            Some(now + Duration::days(5))
        );
    }

    #[test]
    fn past_dates_and_silly_extensions_are_refused() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        assert!(expiry_after(None, &ExpiryChange::Set { at: now }, now).is_err());
        assert!(expiry_after(None, &ExpiryChange::Extend { days: 0 }, now).is_err());
        assert!(expiry_after(None, &ExpiryChange::Extend { days: 4000 }, now).is_err());
        assert_eq!(
            expiry_after(Some(now), &ExpiryChange::Clear, now).unwrap(),
            None
        );
    }
}
