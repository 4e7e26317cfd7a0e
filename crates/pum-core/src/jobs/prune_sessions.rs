use chrono::{DateTime, Utc};
use pum_db::{Db, repo::auth_sessions};

use super::JobError;

/// Deletes sessions that expired at or before `now`. Idempotent.
pub(super) async fn run(db: &Db, now: DateTime<Utc>) -> Result<String, JobError> {
    let deleted = auth_sessions::delete_expired(db, now)
        .await
        .map_err(|err| JobError::Retryable(format!("database: {err}")))?;
    Ok(match deleted {
        1 => "deleted 1 expired session".to_owned(),
        n => format!("deleted {n} expired sessions"),
    })
}
