//! The users service as the executor of its own jobs.

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::UsersService;
use crate::jobs::{HandlerFuture, JobError, JobHandler, JobKind};

/// Runs user syncs and mass actions for the job worker.
#[derive(Debug)]
pub(super) struct UserJobs(pub(super) UsersService);

impl JobHandler for UserJobs {
    fn execute(&self, kind: JobKind, run_id: Uuid) -> HandlerFuture<'_> {
        Box::pin(async move {
            match kind {
                JobKind::SyncUsers => self.0.execute_sync(run_id).await,
                JobKind::UserBatch => self.0.execute_batch(run_id).await,
                JobKind::PruneSessions | JobKind::ReconcileInvites => {
                    Err(JobError::Permanent("not a users job".to_owned()))
                }
            }
        })
    }

    fn due(
        &self,
        kind: JobKind,
        now: DateTime<Utc>,
    ) -> Pin<Box<dyn Future<Output = bool> + Send + '_>> {
        Box::pin(async move {
            match kind {
                JobKind::SyncUsers => self.0.sync_due(now).await,
                JobKind::PruneSessions | JobKind::UserBatch | JobKind::ReconcileInvites => true,
            }
        })
    }
}
