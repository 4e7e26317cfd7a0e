//! The invites service as the executor of its job.

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::InvitesService;
use crate::jobs::{HandlerFuture, JobError, JobHandler, JobKind};

/// Runs the reconcile job for the worker.
#[derive(Debug)]
pub(super) struct InviteJobs(pub(super) InvitesService);

impl JobHandler for InviteJobs {
    fn execute(&self, kind: JobKind, _run_id: Uuid) -> HandlerFuture<'_> {
        Box::pin(async move {
            match kind {
                JobKind::ReconcileInvites => self
                    .0
                    .reconcile()
                    .await
                    .map(String::from)
                    .map_err(|err| super::reconcile::job_error(&err)),
                other => Err(JobError::Permanent(format!(
                    "{} is not an invites job",
                    other.name()
                ))),
            }
        })
    }

    fn due(
        &self,
        _kind: JobKind,
        _now: DateTime<Utc>,
    ) -> Pin<Box<dyn Future<Output = bool> + Send + '_>> {
        Box::pin(async { true })
    }
}
