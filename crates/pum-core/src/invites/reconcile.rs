//! Repairs redemptions whose request stopped half-way (the process restarted, the database
//! failed after Plex shared, Plex answered unclearly). For each claim that has lapsed: where
//! Plex shares the server with the invitee, the user is recorded; where it does not, the use
//! is given back. Plex's list decides, so a retry never makes a second share.

use plex_client::PlexAccountId;
use pum_db::repo::{invite_redemptions, invites, users};
use serde_json::json;

use super::redeem::{CLAIM_HOLD, find_share, invitee, user_of};
use super::{InvitesService, target};
use crate::users::access::refresh_libraries;
use crate::{CoreError, Result};

/// What one reconcile run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reconciled {
    /// Redemptions finished (the share existed).
    pub completed: u32,
    /// Redemptions rolled back (no share; the use given back).
    pub released: u32,
}

impl InvitesService {
    /// Settles every lapsed claim.
    ///
    /// # Errors
    /// [`CoreError::Plex`] when Plex cannot be asked (nothing is changed then).
    pub async fn reconcile(&self) -> Result<Reconciled> {
        let now = self.clock.now();
        let lapsed = invite_redemptions::abandoned(&self.db, now).await?;
        let mut done = Reconciled::default();
        if lapsed.is_empty() {
            return Ok(done);
        }
        let plex = self.plex.connected().await?;
        let libs = refresh_libraries(&self.db, &plex, now).await?;
        for mut redemption in lapsed {
            if !invite_redemptions::take_over(
                &self.db,
                redemption.id,
                redemption.claimed_until,
                now + CLAIM_HOLD,
            )
            .await?
            {
                continue;
            }
            let Some(invite) = invites::get(&self.db, redemption.invite_id).await? else {
                continue;
            };
            let share = find_share(&plex, PlexAccountId::new(redemption.plex_account_id)).await?;
            let Some(share) = share else {
                let message = "Plex did not share the server; the use was given back.";
                invite_redemptions::release(&self.db, &redemption, message, now).await?;
                self.events
                    .record(
                        "invites.reconcile",
                        &invitee(&redemption),
                        Some(&target(invite.id)),
                        false,
                        json!({ "account": redemption.plex_account_id, "result": message }),
                    )
                    .await;
                done.released += 1;
                continue;
            };
            redemption.accepted = !share.pending;
            redemption.message = if share.pending {
                "Libraries shared (finished by the reconciler); the invitee still has to accept \
                 the share in Plex."
                    .to_owned()
            } else {
                "Libraries shared and accepted (finished by the reconciler).".to_owned()
            };
            let existing = users::by_account(&self.db, redemption.plex_account_id).await?;
            let user = user_of(&invite, &redemption, &share, &libs, existing.as_ref(), now);
            redemption.user_id = Some(user.id);
            if invite_redemptions::complete(&self.db, &redemption, &user, existing.is_none(), now)
                .await?
            {
                self.events
                    .record(
                        "invites.reconcile",
                        &invitee(&redemption),
                        Some(&target(invite.id)),
                        true,
                        json!({ "account": redemption.plex_account_id, "user_id": user.id }),
                    )
                    .await;
                done.completed += 1;
            }
        }
        Ok(done)
    }
}

impl From<Reconciled> for String {
    fn from(done: Reconciled) -> Self {
        if done == Reconciled::default() {
            return "nothing to reconcile".to_owned();
        }
        format!(
            "{} redemption(s) finished, {} rolled back",
            done.completed, done.released
        )
    }
}

/// Maps a reconcile failure to the job's retry rule.
pub(super) fn job_error(err: &CoreError) -> crate::jobs::JobError {
    match err {
        CoreError::Plex(_) | CoreError::Database(_) => {
            crate::jobs::JobError::Retryable(err.to_string())
        }
        other => crate::jobs::JobError::Permanent(other.to_string()),
    }
}
