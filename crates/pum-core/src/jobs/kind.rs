use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The jobs pum knows. The serialized names are stable: queued messages and `job_runs` rows
/// refer to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// Deletes expired admin sign-in sessions.
    PruneSessions,
    /// Syncs users from plex.tv (the schedule checks every 5 minutes whether one is due).
    SyncUsers,
    /// Runs a mass action on users. Queued by the users API only; never scheduled.
    UserBatch,
    /// Finishes or rolls back invite redemptions whose request did not finish (every 5
    /// minutes), so no share on Plex is left without a user in pum.
    ReconcileInvites,
}

impl JobKind {
    /// Every job an admin can see, schedule and start by name, in display order.
    pub const ALL: [Self; 3] = [Self::PruneSessions, Self::SyncUsers, Self::ReconcileInvites];

    /// The stable name, as in URLs and the database.
    pub fn name(self) -> &'static str {
        match self {
            Self::PruneSessions => "prune_sessions",
            Self::SyncUsers => "sync_users",
            Self::UserBatch => "user_batch",
            Self::ReconcileInvites => "reconcile_invites",
        }
    }

    /// The job named `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// A short title for people.
    pub fn title(self) -> &'static str {
        match self {
            Self::PruneSessions => "Prune expired sign-in sessions",
            Self::SyncUsers => "Sync users from Plex",
            Self::UserBatch => "Mass action on users",
            Self::ReconcileInvites => "Reconcile invite redemptions",
        }
    }

    /// What the job does.
    pub fn description(self) -> &'static str {
        match self {
            Self::PruneSessions => {
                "Deletes admin sign-in sessions whose lifetime has ended, so the session table \
                 only holds sessions that can still be used."
            }
            Self::SyncUsers => {
                "Reads the server's friends, shares and Home users from plex.tv and updates the \
                 user list. Every 5 minutes it checks whether a sync is due (Users → sync \
                 schedule, every 6 hours unless changed). An answer that looks wrong changes \
                 nothing, and marking many users as gone waits for an admin's confirmation."
            }
            Self::UserBatch => {
                "Applies a mass action (libraries, downloads, expiry, removal) to the selected \
                 users one by one, recording a result for each."
            }
            Self::ReconcileInvites => {
                "Looks for invite redemptions whose request stopped half-way (pum restarted, \
                 the database failed after Plex shared). Where Plex shares the server with the \
                 invitee, the user is recorded; where it does not, the invite's use is given \
                 back. Runs every 5 minutes and does nothing when there is nothing to repair."
            }
        }
    }

    /// The schedule as a cron expression with a seconds field, in UTC; `None` for jobs that
    /// only run when queued.
    pub fn schedule(self) -> Option<&'static str> {
        match self {
            Self::PruneSessions => Some("0 */15 * * * *"),
            Self::SyncUsers => Some("0 */5 * * * *"),
            Self::ReconcileInvites => Some("30 */5 * * * *"),
            Self::UserBatch => None,
        }
    }

    /// The first time after `now` that the schedule fires.
    pub fn next_run_after(self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        cron::Schedule::from_str(self.schedule()?)
            .ok()
            .and_then(|schedule| schedule.after(&now).next())
    }
}

#[cfg(test)]
mod tests {
    use super::JobKind;
    use chrono::{TimeZone, Utc};

    #[test]
    fn every_schedule_parses_and_fires_in_the_future() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 10, 7, 0).unwrap();
        for kind in JobKind::ALL {
            let next = kind.next_run_after(now).unwrap();
            assert!(next > now, "{}", kind.name());
        }
    }

    #[test]
    fn prune_sessions_runs_every_quarter_hour() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 10, 7, 0).unwrap();
        assert_eq!(
            JobKind::PruneSessions.next_run_after(now),
            Some(Utc.with_ymd_and_hms(2026, 1, 1, 10, 15, 0).unwrap())
        );
    }

    #[test]
    fn names_round_trip() {
        for kind in JobKind::ALL {
            assert_eq!(JobKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(JobKind::from_name("nope"), None);
        assert_eq!(
            JobKind::from_name("user_batch"),
            None,
            "batches are not started by name"
        );
    }
}
