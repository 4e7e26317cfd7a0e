//! Mass actions on users: recorded with one item per user, executed by a job one user at a
//! time with a result each, and retried for the failed users only.

use pum_api_types::Permission;
use pum_api_types::users::{BatchAction, LibraryAccess};
use pum_db::records::{ActorKind, BatchItemRecord, ItemState, Library, User, UserBatch};
use pum_db::repo::{user_batches, users};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::{UsersService, access, expiry_after, target};
use crate::auth::Principal;
use crate::events::Actor;
use crate::jobs::{JobError, JobKind};
use crate::plex::Connected;
use crate::{CoreError, Result};

/// Most users in one mass action.
pub const MAX_BATCH: usize = 10_000;

/// The stored form of who asked for a batch.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredActor {
    kind: String,
    id: Option<String>,
    name: Option<String>,
    ip: Option<String>,
}

impl StoredActor {
    fn from(actor: &Actor) -> Self {
        Self {
            kind: actor.kind.as_str().to_owned(),
            id: actor.id.clone(),
            name: actor.name.clone(),
            ip: actor.ip.clone(),
        }
    }

    fn actor(&self) -> Actor {
        Actor {
            kind: ActorKind::parse(&self.kind),
            id: self.id.clone(),
            name: self.name.clone(),
            ip: self.ip.clone(),
        }
    }
}

/// A batch with its action read back.
#[derive(Debug, Clone)]
pub struct BatchOutcome {
    /// The record.
    pub batch: UserBatch,
    /// Its action.
    pub action: BatchAction,
    /// Who asked.
    pub requested_by: Option<String>,
}

impl BatchOutcome {
    fn read(batch: UserBatch) -> Result<Self> {
        let action = serde_json::from_str(&batch.action)
            .map_err(|e| CoreError::Internal(format!("stored batch action: {e}")))?;
        let requested_by = serde_json::from_str::<StoredActor>(&batch.actor)
            .ok()
            .and_then(|a| a.name);
        Ok(Self {
            batch,
            action,
            requested_by,
        })
    }
}

/// A sentence saying what `action` does.
pub fn batch_description(action: &BatchAction) -> String {
    let libs = |ids: &[u64]| match ids.len() {
        1 => "1 library".to_owned(),
        n => format!("{n} libraries"),
    };
    match action {
        BatchAction::SetLibraries {
            libraries: LibraryAccess::All,
        } => "Share every library".to_owned(),
        BatchAction::SetLibraries {
            libraries: LibraryAccess::Only { library_ids },
        } => format!("Share exactly {}", libs(library_ids)),
        BatchAction::AddLibraries { library_ids } => format!("Add {}", libs(library_ids)),
        BatchAction::RemoveLibraries { library_ids } => format!("Take away {}", libs(library_ids)),
        BatchAction::SetDownloads { allow: true } => "Allow downloads".to_owned(),
        BatchAction::SetDownloads { allow: false } => "Deny downloads".to_owned(),
        BatchAction::ExtendExpiry { days } => format!("Extend memberships by {days} days"),
        BatchAction::Remove => "Remove from Plex and pum".to_owned(),
    }
}

fn check_action(action: &BatchAction, libs: &[Library]) -> Result<()> {
    let known = |ids: &[u64]| -> Result<()> {
        if ids.is_empty() {
            return Err(CoreError::invalid(
                "library_ids",
                "choose at least one library",
            ));
        }
        match ids.iter().find(|id| !libs.iter().any(|l| l.tv_id == **id)) {
            Some(unknown) => Err(CoreError::invalid(
                "library_ids",
                format!("the server has no library {unknown}"),
            )),
            None => Ok(()),
        }
    };
    match action {
        BatchAction::SetLibraries { libraries } => access::resolve(libraries, libs).map(|_| ()),
        BatchAction::AddLibraries { library_ids }
        | BatchAction::RemoveLibraries { library_ids } => known(library_ids),
        BatchAction::ExtendExpiry { days } => {
            if *days == 0 || *days > super::MAX_EXTEND_DAYS {
                return Err(CoreError::invalid(
                    "days",
                    format!("must be between 1 and {}", super::MAX_EXTEND_DAYS),
                ));
            }
            Ok(())
        }
        BatchAction::SetDownloads { .. } | BatchAction::Remove => Ok(()),
    }
}

/// Removal also needs `users.delete` (the route already required `users.edit`).
fn may_run(by: &Principal, action: &BatchAction) -> Result<()> {
    if matches!(action, BatchAction::Remove) && !by.can(Permission::UsersDelete) {
        return Err(CoreError::Forbidden(
            "removing users needs the users.delete permission".to_owned(),
        ));
    }
    Ok(())
}

impl UsersService {
    /// Records a mass action on `user_ids` and queues it.
    ///
    /// # Errors
    /// [`CoreError::Invalid`] for an empty or oversized selection, unknown users or a bad
    /// action; [`CoreError::Forbidden`] for a removal without `users.delete`.
    pub async fn start_batch(
        &self,
        by: &Principal,
        ip: Option<String>,
        user_ids: &[Uuid],
        action: &BatchAction,
    ) -> Result<BatchOutcome> {
        may_run(by, action)?;
        if user_ids.is_empty() || user_ids.len() > MAX_BATCH {
            return Err(CoreError::invalid(
                "user_ids",
                format!("select between 1 and {MAX_BATCH} users"),
            ));
        }
        let mut ids = user_ids.to_vec();
        let mut seen = std::collections::HashSet::new();
        ids.retain(|id| seen.insert(*id));
        let found = users::get_many(&self.db, &ids).await?;
        if let Some(missing) = ids.iter().find(|id| !found.iter().any(|u| u.id == **id)) {
            return Err(CoreError::invalid("user_ids", format!("no user {missing}")));
        }
        if !matches!(action, BatchAction::ExtendExpiry { .. }) {
            self.plex.connected().await?;
        }
        check_action(action, &self.libraries().await?)?;
        let run = self.jobs.run_now(JobKind::UserBatch).await?;
        let items = ids
            .iter()
            .filter_map(|id| found.iter().find(|u| u.id == *id))
            .map(|u| BatchItemRecord {
                user_id: u.id,
                label: u.name().to_owned(),
                state: ItemState::Pending,
                message: None,
            })
            .collect();
        let batch = UserBatch {
            id: Uuid::now_v7(),
            run_id: run.id,
            action: serde_json::to_string(action)
                .map_err(|e| CoreError::Internal(e.to_string()))?,
            actor: serde_json::to_string(&StoredActor::from(&by.actor(ip)))
                .map_err(|e| CoreError::Internal(e.to_string()))?,
            finished: false,
            created_at: self.clock.now(),
            finished_at: None,
            items,
        };
        user_batches::insert(&self.db, &batch).await?;
        BatchOutcome::read(batch)
    }

    /// The batch `id` with every user's result.
    ///
    /// # Errors
    /// [`CoreError::NotFound`].
    pub async fn batch(&self, id: Uuid) -> Result<BatchOutcome> {
        let batch = user_batches::get(&self.db, id)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("no mass action {id}")))?;
        BatchOutcome::read(batch)
    }

    /// The newest mass actions.
    pub async fn recent_batches(&self, limit: u64) -> Result<Vec<BatchOutcome>> {
        user_batches::recent(&self.db, limit)
            .await?
            .into_iter()
            .map(BatchOutcome::read)
            .collect()
    }

    /// Queues the failed users of batch `id` again.
    ///
    /// # Errors
    /// [`CoreError::Conflict`] while it runs or when nothing failed; [`CoreError::NotFound`].
    pub async fn retry_batch(&self, by: &Principal, id: Uuid) -> Result<BatchOutcome> {
        let current = self.batch(id).await?;
        may_run(by, &current.action)?;
        if !current.batch.finished {
            return Err(CoreError::Conflict(
                "this mass action is still running".to_owned(),
            ));
        }
        if !current
            .batch
            .items
            .iter()
            .any(|i| i.state == ItemState::Failed)
        {
            return Err(CoreError::Conflict(
                "no user failed, so there is nothing to retry".to_owned(),
            ));
        }
        let run = self.jobs.run_now(JobKind::UserBatch).await?;
        user_batches::retry_failed(&self.db, id, run.id).await?;
        self.batch(id).await
    }

    /// Executes the batch of job run `run`: each pending user in order.
    pub(crate) async fn execute_batch(&self, run: Uuid) -> Result<String, JobError> {
        let retry = |e: CoreError| JobError::Retryable(e.to_string());
        let Some(batch) = user_batches::by_run(&self.db, run)
            .await
            .map_err(|e| retry(e.into()))?
        else {
            return Err(JobError::Permanent(format!("no mass action for run {run}")));
        };
        let outcome = BatchOutcome::read(batch).map_err(|e| JobError::Permanent(e.to_string()))?;
        let actor = serde_json::from_str::<StoredActor>(&outcome.batch.actor)
            .map_or_else(|_| Actor::system(), |a| a.actor());
        let plex = if matches!(outcome.action, BatchAction::ExtendExpiry { .. }) {
            None
        } else {
            Some(self.plex.connected().await.map_err(retry)?)
        };
        let libs = match &plex {
            Some(plex) => access::refresh_libraries(&self.db, plex, self.clock.now())
                .await
                .map_err(retry)?,
            None => Vec::new(),
        };
        let (mut succeeded, mut failed, mut skipped) = (0u32, 0u32, 0u32);
        for item in outcome
            .batch
            .items
            .iter()
            .filter(|i| i.state == ItemState::Pending)
        {
            let (state, message) = match users::get(&self.db, item.user_id).await {
                Ok(Some(user)) => {
                    match self
                        .apply_one(plex.as_ref(), &libs, &actor, &user, &outcome.action)
                        .await
                    {
                        Ok(None) => (ItemState::Succeeded, None),
                        Ok(Some(why)) => (ItemState::Skipped, Some(why)),
                        Err(err) => (ItemState::Failed, Some(err.to_string())),
                    }
                }
                Ok(None) => (
                    ItemState::Failed,
                    Some("the user no longer exists in pum".to_owned()),
                ),
                Err(err) => (ItemState::Failed, Some(format!("database: {err}"))),
            };
            match state {
                ItemState::Succeeded => succeeded += 1,
                ItemState::Skipped => skipped += 1,
                _ => failed += 1,
            }
            user_batches::set_item(&self.db, outcome.batch.id, item.user_id, state, message)
                .await
                .map_err(|e| retry(e.into()))?;
        }
        user_batches::finish(&self.db, outcome.batch.id, self.clock.now())
            .await
            .map_err(|e| retry(e.into()))?;
        self.events
            .record(
                "users.batch",
                &actor,
                None,
                failed == 0,
                json!({
                    "batch": outcome.batch.id,
                    "action": batch_description(&outcome.action),
                    "succeeded": succeeded,
                    "skipped": skipped,
                    "failed": failed,
                }),
            )
            .await;
        Ok(format!(
            "{}: {succeeded} done, {skipped} skipped, {failed} failed",
            batch_description(&outcome.action)
        ))
    }

    /// Applies `action` to one user. `Ok(Some(why))` means there was nothing to do.
    async fn apply_one(
        &self,
        plex: Option<&Connected>,
        libs: &[Library],
        actor: &Actor,
        user: &User,
        action: &BatchAction,
    ) -> Result<Option<String>> {
        let now = self.clock.now();
        let plex = || plex.ok_or_else(|| CoreError::Internal("Plex is not connected".to_owned()));
        if matches!(action, BatchAction::Remove) {
            self.remove_user(plex()?, actor, user).await?;
            return Ok(None);
        }
        let mut after = user.clone();
        match action {
            BatchAction::ExtendExpiry { days } => {
                after.local.expires_at = expiry_after(
                    user.local.expires_at,
                    &pum_api_types::users::ExpiryChange::Extend { days: *days },
                    now,
                )?;
                users::update_local(&self.db, user.id, &user.plex, &after.local, now).await?;
            }
            BatchAction::SetDownloads { allow } => {
                if user.plex.allow_sync == *allow {
                    return Ok(Some("already so".to_owned()));
                }
                access::set_downloads(plex()?, &mut after.plex, *allow).await?;
                users::update_plex(&self.db, user.id, &after.plex, &user.local, now).await?;
            }
            BatchAction::SetLibraries { .. }
            | BatchAction::AddLibraries { .. }
            | BatchAction::RemoveLibraries { .. } => {
                let current = access::current_ids(&user.plex, libs);
                let wanted = wanted_libraries(action, &current, libs)?;
                if wanted == current && !user.plex.all_libraries {
                    return Ok(Some("already so".to_owned()));
                }
                if wanted.is_empty() {
                    return Ok(Some(
                        "would be left with no library; remove the user instead".to_owned(),
                    ));
                }
                access::set_libraries(plex()?, &mut after.plex, &wanted).await?;
                users::update_plex(&self.db, user.id, &after.plex, &user.local, now).await?;
            }
            BatchAction::Remove => {}
        }
        self.events
            .record(
                "users.update",
                actor,
                Some(&target(user.id)),
                true,
                json!({
                    "user": user.name(),
                    "via": "mass action",
                    "before": access::describe(user),
                    "after": access::describe(&after),
                }),
            )
            .await;
        Ok(None)
    }
}

/// The sorted library set a library action leaves a user with.
fn wanted_libraries(action: &BatchAction, current: &[u64], libs: &[Library]) -> Result<Vec<u64>> {
    let mut wanted: Vec<u64> = match action {
        BatchAction::SetLibraries { libraries } => access::resolve(libraries, libs)?,
        BatchAction::AddLibraries { library_ids } => {
            current.iter().chain(library_ids).copied().collect()
        }
        BatchAction::RemoveLibraries { library_ids } => current
            .iter()
            .copied()
            .filter(|id| !library_ids.contains(id))
            .collect(),
        _ => current.to_vec(),
    };
    wanted.sort_unstable();
    wanted.dedup();
    Ok(wanted)
}

#[cfg(test)]
mod tests {
    use super::wanted_libraries;
    use pum_api_types::users::BatchAction;

    #[test]
    fn adding_and_removing_libraries_work_on_each_users_own_set() {
        let add = BatchAction::AddLibraries {
            library_ids: vec![5, 1],
        };
        assert_eq!(wanted_libraries(&add, &[3, 1], &[]).unwrap(), vec![1, 3, 5]);
        let remove = BatchAction::RemoveLibraries {
            library_ids: vec![3],
        };
        assert_eq!(wanted_libraries(&remove, &[3, 1], &[]).unwrap(), vec![1]);
        assert!(wanted_libraries(&remove, &[3], &[]).unwrap().is_empty());
    }
}
