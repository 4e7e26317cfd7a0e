//! Syncing users from plex.tv (plex-api.md §5.1, §5.2, §5.11), never destructive on doubt:
//! a failed, empty or partial answer changes nothing and says why; marking more than
//! max(5, 10 %) of the users as gone waits for an admin; users who left Plex are marked, never
//! erased.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use plex_client::tv::{SharedServer, User as PlexUser};
use pum_db::records::{JobRunStatus, LocalFacts, PlexFacts, SyncCounts, SyncState, User, UserSync};
use pum_db::repo::{job_runs, user_syncs, users};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::{UsersService, access};
use crate::auth::Principal;
use crate::events::Actor;
use crate::jobs::{JobError, JobKind};
use crate::plex::Connected;
use crate::settings::{Change, Key};
use crate::{CoreError, Result};

/// Most names an event lists per group.
const EVENT_NAMES: usize = 50;

/// Someone a sync would mark as gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removal {
    /// pum's id.
    pub user_id: Uuid,
    /// plex.tv account id.
    pub plex_account_id: u64,
    /// Name.
    pub name: String,
}

/// The newest syncs and the schedule.
#[derive(Debug, Clone)]
pub struct SyncOverview {
    /// The newest sync.
    pub latest: Option<UserSync>,
    /// The newest successful one.
    pub last_success: Option<UserSync>,
    /// Hours between scheduled syncs.
    pub interval_hours: u32,
    /// When the schedule syncs next.
    pub next_at: Option<DateTime<Utc>>,
}

/// How many users a sync may mark as gone without a confirmation: max(5, 10 %).
pub fn removal_threshold(active: usize) -> usize {
    (active / 10).max(5)
}

/// Why a sync changed nothing.
struct Doubt(String);

/// What plex.tv says, reduced to the users of this server.
struct Found {
    users: Vec<PlexFacts>,
    warnings: Vec<String>,
}

fn uuid_from_thumb(thumb: Option<&str>) -> Option<String> {
    let rest = thumb?.split("/users/").nth(1)?;
    let uuid = rest.split('/').next()?;
    (!uuid.is_empty() && uuid.chars().all(|c| c.is_ascii_alphanumeric())).then(|| uuid.to_owned())
}

fn epoch(seconds: Option<u64>) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(i64::try_from(seconds?).ok()?, 0).filter(|_| seconds != Some(0))
}

async fn fetch(db: &pum_db::Db, plex: &Connected, now: DateTime<Utc>) -> Result<Found, Doubt> {
    let doubt = |what: &str, err: &dyn std::fmt::Display| Doubt(format!("{what}: {err}"));
    let listed = plex
        .tv
        .list_users(&plex.token)
        .await
        .map_err(|e| doubt("plex.tv could not list the users", &e))?;
    let shares = plex
        .tv
        .shared_servers(&plex.token, &plex.machine)
        .await
        .map_err(|e| doubt("plex.tv could not list the server's shares", &e))?;
    let resources = plex
        .tv
        .resources(&plex.token)
        .await
        .map_err(|e| doubt("plex.tv could not list the servers shared with you", &e))?;
    let mut warnings = Vec::new();
    match access::read_libraries(db, plex, now).await {
        Ok((_, Some(warning))) => warnings.push(warning),
        Ok((_, None)) => {}
        Err(err) => warnings.push(format!("the libraries were not refreshed: {err}")),
    }
    let sharing_back: HashSet<u64> = resources
        .iter()
        .filter(|r| r.is_server() && !r.owned)
        .filter_map(|r| r.owner_id.map(plex_client::PlexAccountId::get))
        .collect();
    let by_share: HashMap<u64, &SharedServer> = shares.iter().map(|s| (s.id.get(), s)).collect();
    let owner = plex.owner_id.map(plex_client::PlexAccountId::get);
    let mut users = Vec::new();
    for user in &listed {
        if Some(user.id.get()) == owner {
            continue;
        }
        let share = user.share_of(&plex.machine);
        if share.is_none() && !user.home {
            continue;
        }
        let library_ids = match share {
            Some(s) if !s.all_libraries => match by_share.get(&s.share_id.get()) {
                Some(doc) => {
                    let mut ids: Vec<u64> = doc
                        .sections
                        .iter()
                        .filter(|sec| sec.shared)
                        .map(|sec| sec.id.get())
                        .collect();
                    ids.sort_unstable();
                    ids
                }
                None if s.pending => Vec::new(),
                None => {
                    return Err(Doubt(format!(
                        "plex.tv listed a share for {} that the server's share list lacks \
                         (a partial answer)",
                        user.username.as_deref().unwrap_or(&user.title)
                    )));
                }
            },
            _ => Vec::new(),
        };
        users.push(facts(
            user,
            share,
            library_ids,
            sharing_back.contains(&user.id.get()),
        ));
    }
    if users.is_empty() && !listed.is_empty() {
        warnings.push(format!(
            "plex.tv listed {} people, none with a share of this server ({})",
            listed.len(),
            plex.machine
        ));
    }
    Ok(Found { users, warnings })
}

fn facts(
    user: &PlexUser,
    share: Option<&plex_client::tv::UserServer>,
    library_ids: Vec<u64>,
    shares_back: bool,
) -> PlexFacts {
    PlexFacts {
        account_id: user.id.get(),
        uuid: uuid_from_thumb(user.thumb.as_deref()),
        username: user.username.clone(),
        title: if user.title.is_empty() {
            user.username.clone().unwrap_or_default()
        } else {
            user.title.clone()
        },
        email: user.email.clone(),
        thumb: user.thumb.clone(),
        home: user.home,
        managed: user.restricted && user.home,
        share_id: share.map(|s| s.share_id.get()),
        library_ids,
        all_libraries: share.is_some_and(|s| s.all_libraries),
        allow_sync: user.allow_sync,
        allow_channels: user.allow_channels,
        allow_camera_upload: user.allow_camera_upload,
        filter_movies: user.filter_movies.clone().unwrap_or_default(),
        filter_television: user.filter_television.clone().unwrap_or_default(),
        filter_music: user.filter_music.clone().unwrap_or_default(),
        pending: share.is_some_and(|s| s.pending),
        shares_back,
        last_seen_at: epoch(share.and_then(|s| s.last_seen_at)),
    }
}

/// The facts that make a user "updated" (last-seen times move all the time and are written
/// without counting).
fn same_standing(a: &PlexFacts, b: &PlexFacts) -> bool {
    PlexFacts {
        last_seen_at: None,
        ..a.clone()
    } == PlexFacts {
        last_seen_at: None,
        ..b.clone()
    }
}

/// The write a sync would make, with its counts and who it would mark as gone.
struct Plan {
    write: users::SyncWrite,
    counts: SyncCounts,
    added: Vec<String>,
    removals: Vec<Removal>,
}

fn plan(local: &[User], found: Vec<PlexFacts>, now: DateTime<Utc>) -> Plan {
    let mut by_account: HashMap<u64, &User> =
        local.iter().map(|u| (u.plex.account_id, u)).collect();
    let mut write = users::SyncWrite::default();
    let mut counts = SyncCounts::default();
    let mut added = Vec::new();
    for plex in found {
        match by_account.remove(&plex.account_id) {
            None => {
                added.push(plex.username.clone().unwrap_or_else(|| plex.title.clone()));
                counts.added += 1;
                write.insert.push(User {
                    id: Uuid::now_v7(),
                    plex,
                    local: LocalFacts::default(),
                    removed_at: None,
                    created_at: now,
                    updated_at: now,
                });
            }
            Some(existing) => {
                if existing.removed_at.is_some() || !same_standing(&existing.plex, &plex) {
                    counts.updated += 1;
                } else {
                    counts.unchanged += 1;
                }
                if existing.removed_at.is_some() || existing.plex != plex {
                    write
                        .update
                        .push((existing.id, plex, existing.local.clone()));
                }
            }
        }
    }
    let mut removals: Vec<Removal> = by_account
        .into_values()
        .filter(|u| u.removed_at.is_none())
        .map(|u| Removal {
            user_id: u.id,
            plex_account_id: u.plex.account_id,
            name: u.name().to_owned(),
        })
        .collect();
    removals.sort_by(|a, b| a.name.cmp(&b.name));
    counts.removed = u32::try_from(removals.len()).unwrap_or(u32::MAX);
    write.mark_removed = removals.iter().map(|r| r.user_id).collect();
    Plan {
        write,
        counts,
        added,
        removals,
    }
}

/// How a sync ended.
struct Ending {
    state: SyncState,
    counts: SyncCounts,
    message: Option<String>,
    removals: Option<String>,
}

impl UsersService {
    /// The newest syncs and when the schedule syncs next.
    pub async fn sync_overview(&self) -> Result<SyncOverview> {
        let latest = user_syncs::latest(&self.db, None).await?;
        let last_success = user_syncs::latest(&self.db, Some(SyncState::Succeeded)).await?;
        let interval_hours = self.settings.snapshot().await?.users_sync_interval_hours();
        let next_at = (interval_hours > 0).then(|| {
            let base = last_success
                .as_ref()
                .and_then(|s| s.finished_at)
                .unwrap_or_else(|| self.clock.now());
            let due = base + Duration::hours(i64::from(interval_hours));
            // The schedule looks every 5 minutes.
            JobKind::SyncUsers
                .next_run_after(due - Duration::seconds(1))
                .unwrap_or(due)
        });
        Ok(SyncOverview {
            latest,
            last_success,
            interval_hours,
            next_at,
        })
    }

    /// Sets the hours between scheduled syncs (0: only by hand).
    ///
    /// # Errors
    /// [`CoreError::Invalid`] outside 0–168.
    pub async fn set_sync_interval(
        &self,
        by: &Principal,
        ip: Option<String>,
        hours: u32,
    ) -> Result<SyncOverview> {
        if hours > 168 {
            return Err(CoreError::invalid(
                "interval_hours",
                "must be 0 (only by hand) or between 1 and 168",
            ));
        }
        let before = self.settings.snapshot().await?.users_sync_interval_hours();
        self.settings
            .write(
                &[Change::set(Key::UsersSyncIntervalHours, hours.to_string())],
                Some(&by.admin.username),
            )
            .await?;
        self.events
            .record(
                "settings.update",
                &by.actor(ip),
                Some("settings"),
                true,
                json!({ "changes": [{ "key": Key::UsersSyncIntervalHours.as_str(), "before": before, "after": hours }] }),
            )
            .await;
        self.sync_overview().await
    }

    /// Queues a sync now. With `confirming`, the sync may mark exactly the users that sync
    /// listed as gone (and no one else beyond the usual limit).
    ///
    /// # Errors
    /// [`CoreError::Conflict`] when a sync is already queued or running, or when `confirming`
    /// no longer awaits a confirmation.
    pub async fn start_sync(
        &self,
        by: &Principal,
        ip: Option<String>,
        confirming: Option<Uuid>,
    ) -> Result<UserSync> {
        self.plex.connected().await?;
        if let Some(latest) = user_syncs::latest(&self.db, None).await?
            && matches!(latest.state, SyncState::Queued | SyncState::Running)
            && self.run_is_alive(latest.run_id).await?
        {
            return Err(CoreError::Conflict("a sync is already running".to_owned()));
        }
        let confirmed_removals = match confirming {
            None => Vec::new(),
            Some(id) => {
                let sync = user_syncs::get(&self.db, id)
                    .await?
                    .ok_or_else(|| CoreError::NotFound(format!("no sync {id}")))?;
                let removals: Vec<Removal> = sync
                    .removals
                    .as_deref()
                    .and_then(|r| serde_json::from_str(r).ok())
                    .unwrap_or_default();
                if !user_syncs::confirm(&self.db, id).await? {
                    return Err(CoreError::Conflict(
                        "this sync does not wait for a confirmation".to_owned(),
                    ));
                }
                self.events
                    .record(
                        "users.sync_confirm",
                        &by.actor(ip.clone()),
                        None,
                        true,
                        json!({ "sync": id, "removals": removals.iter().take(EVENT_NAMES).map(|r| &r.name).collect::<Vec<_>>(), "count": removals.len() }),
                    )
                    .await;
                removals.iter().map(|r| r.plex_account_id).collect()
            }
        };
        let run = self.jobs.run_now(JobKind::SyncUsers).await?;
        let sync = queued_sync(
            run.id,
            Some(by.admin.username.clone()),
            confirmed_removals,
            self.clock.now(),
        );
        user_syncs::insert(&self.db, &sync).await?;
        Ok(sync)
    }

    /// Whether the job run behind a queued or running sync can still finish.
    async fn run_is_alive(&self, run: Option<Uuid>) -> Result<bool> {
        let Some(run) = run else { return Ok(false) };
        Ok(job_runs::get(&self.db, run)
            .await?
            .is_some_and(|r| matches!(r.status, JobRunStatus::Queued | JobRunStatus::Running)))
    }

    /// Whether the schedule should sync now.
    pub(crate) async fn sync_due(&self, now: DateTime<Utc>) -> bool {
        let Ok(snapshot) = self.settings.snapshot().await else {
            return false;
        };
        let hours = snapshot.users_sync_interval_hours();
        if hours == 0 || self.plex.connected().await.is_err() {
            return false;
        }
        match user_syncs::latest(&self.db, None).await {
            Ok(Some(latest)) => {
                latest.queued_at + Duration::hours(i64::from(hours)) - Duration::minutes(1) <= now
            }
            Ok(None) => true,
            Err(_) => false,
        }
    }

    /// Executes the sync of job run `run`.
    pub(crate) async fn execute_sync(&self, run: Uuid) -> Result<String, JobError> {
        let retry = |e: CoreError| JobError::Retryable(e.to_string());
        let now = self.clock.now();
        let sync = match user_syncs::by_run(&self.db, run)
            .await
            .map_err(|e| retry(e.into()))?
        {
            Some(sync) if matches!(sync.state, SyncState::Queued | SyncState::Running) => sync,
            Some(sync) => return Ok(format!("sync {} already finished", sync.id)),
            None => {
                let sync = queued_sync(run, None, Vec::new(), now);
                user_syncs::insert(&self.db, &sync)
                    .await
                    .map_err(|e| retry(e.into()))?;
                sync
            }
        };
        user_syncs::mark_running(&self.db, sync.id, now)
            .await
            .map_err(|e| retry(e.into()))?;
        let ending = self.sync_once(&sync).await.map_err(retry)?;
        let summary = summary(&ending);
        user_syncs::finish(
            &self.db,
            sync.id,
            ending.state,
            ending.counts,
            ending.message,
            ending.removals,
            self.clock.now(),
        )
        .await
        .map_err(|e| retry(e.into()))?;
        Ok(summary)
    }

    async fn sync_once(&self, sync: &UserSync) -> Result<Ending> {
        let actor = actor_of(sync);
        let inconclusive = |message: String| Ending {
            state: SyncState::Inconclusive,
            counts: SyncCounts::default(),
            message: Some(message),
            removals: None,
        };
        let plex = match self.plex.connected().await {
            Ok(plex) => plex,
            Err(err) => return Ok(inconclusive(err.to_string())),
        };
        let now = self.clock.now();
        let found = match fetch(&self.db, &plex, now).await {
            Ok(found) => found,
            Err(Doubt(message)) => {
                self.record_sync(
                    &actor,
                    false,
                    json!({ "outcome": "inconclusive", "message": message }),
                )
                .await;
                return Ok(inconclusive(format!("nothing changed: {message}")));
            }
        };
        let local = users::all(&self.db).await?;
        let active = local.iter().filter(|u| u.removed_at.is_none()).count();
        if let Some(message) = distrust(&local, active, &found, &plex) {
            self.record_sync(
                &actor,
                false,
                json!({ "outcome": "inconclusive", "message": message }),
            )
            .await;
            return Ok(inconclusive(message));
        }
        let plan = plan(&local, found.users, now);
        let threshold = removal_threshold(active);
        let confirmed: HashSet<u64> = sync.confirmed_removals.iter().copied().collect();
        if plan.removals.len() > threshold
            && !plan
                .removals
                .iter()
                .all(|r| confirmed.contains(&r.plex_account_id))
        {
            let message = format!(
                "nothing changed: {} of {active} users would be marked as gone from Plex \
                 (more than {threshold}). Check the list and confirm, or sync again later.",
                plan.removals.len()
            );
            self.record_sync(
                &actor,
                true,
                json!({ "outcome": "awaiting_confirmation", "removals": plan.removals.len() }),
            )
            .await;
            return Ok(Ending {
                state: SyncState::AwaitingConfirmation,
                counts: plan.counts,
                message: Some(message),
                removals: serde_json::to_string(&plan.removals).ok(),
            });
        }
        users::apply_sync(&self.db, &plan.write, now).await?;
        self.record_sync(
            &actor,
            true,
            json!({
                "outcome": "succeeded",
                "added": plan.counts.added,
                "updated": plan.counts.updated,
                "removed": plan.counts.removed,
                "unchanged": plan.counts.unchanged,
                "added_users": plan.added.iter().take(EVENT_NAMES).collect::<Vec<_>>(),
                "removed_users": plan.removals.iter().take(EVENT_NAMES).map(|r| &r.name).collect::<Vec<_>>(),
                "warnings": found.warnings,
            }),
        )
        .await;
        for removal in &plan.removals {
            self.events
                .record(
                    "users.gone_from_plex",
                    &actor,
                    Some(&super::target(removal.user_id)),
                    true,
                    json!({ "user": removal.name }),
                )
                .await;
        }
        Ok(Ending {
            state: SyncState::Succeeded,
            counts: plan.counts,
            message: (!found.warnings.is_empty()).then(|| found.warnings.join("; ")),
            removals: None,
        })
    }

    async fn record_sync(&self, actor: &Actor, success: bool, detail: serde_json::Value) {
        self.events
            .record("users.sync", actor, None, success, detail)
            .await;
    }
}

/// A sync record for job run `run`, not started yet.
fn queued_sync(
    run: Uuid,
    requested_by: Option<String>,
    confirmed_removals: Vec<u64>,
    now: DateTime<Utc>,
) -> UserSync {
    UserSync {
        id: Uuid::now_v7(),
        run_id: Some(run),
        state: SyncState::Queued,
        requested_by,
        queued_at: now,
        started_at: None,
        finished_at: None,
        counts: SyncCounts::default(),
        message: None,
        removals: None,
        confirmed_removals,
    }
}

/// Who a sync acts as: the admin who asked, or pum itself for the schedule.
fn actor_of(sync: &UserSync) -> Actor {
    sync.requested_by
        .as_ref()
        .map_or_else(Actor::system, |name| Actor {
            kind: pum_db::records::ActorKind::Admin,
            id: None,
            name: Some(name.clone()),
            ip: None,
        })
}

/// Why plex.tv's answer cannot be trusted to remove anyone, if it cannot: it lists nobody
/// while pum knows users, or no share of this server while users had one.
fn distrust(local: &[User], active: usize, found: &Found, plex: &Connected) -> Option<String> {
    if found.users.is_empty() && active > 0 {
        let why = found
            .warnings
            .first()
            .cloned()
            .unwrap_or_else(|| "plex.tv listed nobody with access to this server".to_owned());
        return Some(format!(
            "nothing changed: {why}, while pum knows {active} users. An empty answer is not \
             trusted; if everyone really left, remove them here."
        ));
    }
    let shared_before = local
        .iter()
        .filter(|u| u.removed_at.is_none() && u.plex.share_id.is_some())
        .count();
    (shared_before > 0 && !found.users.iter().any(|u| u.share_id.is_some())).then(|| {
        format!(
            "nothing changed: plex.tv listed no share of this server ({}), while {shared_before} \
             users had one. An answer without shares is not trusted.",
            plex.machine
        )
    })
}

fn summary(ending: &Ending) -> String {
    match ending.state {
        SyncState::Succeeded => format!(
            "{} added, {} updated, {} marked gone, {} unchanged",
            ending.counts.added,
            ending.counts.updated,
            ending.counts.removed,
            ending.counts.unchanged
        ),
        _ => ending
            .message
            .clone()
            .unwrap_or_else(|| ending.state.as_str().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::{removal_threshold, uuid_from_thumb};

    #[test]
    fn the_brake_allows_five_or_ten_percent() {
        assert_eq!(removal_threshold(0), 5);
        assert_eq!(removal_threshold(30), 5);
        assert_eq!(removal_threshold(200), 20);
        assert_eq!(removal_threshold(10_000), 1000);
    }

    #[test]
    fn the_uuid_comes_from_the_avatar_url() {
        assert_eq!(
            uuid_from_thumb(Some(
                "https://plex.tv/users/3346028014e93acd/avatar?c=1731605021"
            )),
            Some("3346028014e93acd".to_owned())
        );
        assert_eq!(uuid_from_thumb(Some("https://example.com/x.png")), None);
        assert_eq!(uuid_from_thumb(None), None);
    }
}
