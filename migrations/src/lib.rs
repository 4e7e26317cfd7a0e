//! Schema migrations of pum, one file per change, applied at start-up by `pum-db`.
//!
//! Every migration runs inside a transaction on every backend (`use_transaction` returns
//! `Some(true)`), so a failure half-way leaves the schema exactly as it was. A merged migration is
//! never edited; a new one is added instead.

#![expect(
    elided_lifetimes_in_paths,
    reason = "MigrationTrait (async_trait) declares `&SchemaManager` without a lifetime; naming one breaks the impl"
)]

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_create_auth_sessions;
mod m20261124_000002_create_job_runs;
mod m20261124_000003_create_installation;
mod m20261124_000004_create_admins;
mod m20261124_000005_create_users;
mod m20261124_000006_create_invites;

/// The ordered list of pum's migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_auth_sessions::Migration),
            Box::new(m20261124_000002_create_job_runs::Migration),
            Box::new(m20261124_000003_create_installation::Migration),
            Box::new(m20261124_000004_create_admins::Migration),
            Box::new(m20261124_000005_create_users::Migration),
            Box::new(m20261124_000006_create_invites::Migration),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_runs_in_a_transaction() {
        for migration in Migrator::migrations() {
            assert_eq!(
                migration.use_transaction(),
                Some(true),
                "{} must set use_transaction() to Some(true)",
                migration.name()
            );
        }
    }

    #[test]
    fn migration_names_are_unique_and_ordered() {
        let names: Vec<String> = Migrator::migrations()
            .iter()
            .map(|m| m.name().to_owned())
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted);
    }
}
