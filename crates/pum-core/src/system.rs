//! The state of this installation, for the dashboard and readiness checks.

use pum_db::{Db, Engine};

use crate::Result;

/// What the database looks like from here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseState {
    /// The engine.
    pub engine: Engine,
    /// Whether a query just succeeded.
    pub reachable: bool,
    /// How many migrations are applied.
    pub migrations_applied: u32,
}

/// Reads the database state; never fails, an unreachable database is reported as such.
pub async fn database_state(db: &Db) -> DatabaseState {
    let reachable = db.ping().await.is_ok();
    let migrations_applied = if reachable {
        db.migration_state()
            .await
            .map_or(0, |s| u32::try_from(s.applied.len()).unwrap_or(u32::MAX))
    } else {
        0
    };
    DatabaseState {
        engine: db.engine(),
        reachable,
        migrations_applied,
    }
}

/// `Ok` when the database answers.
pub async fn ready(db: &Db) -> Result<()> {
    db.ping().await?;
    Ok(())
}
