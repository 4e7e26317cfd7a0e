use std::path::Path;
use std::time::Duration;

use pum_migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement,
};

use crate::{DbError, Result};

/// The database engine behind a [`Db`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// An SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// The connection pool handed to the job queue, so jobs live in the same database as the app.
#[derive(Debug, Clone)]
pub enum JobPool {
    /// The SQLite pool.
    Sqlite(sea_orm::sqlx::SqlitePool),
    /// The PostgreSQL pool.
    Postgres(sea_orm::sqlx::PgPool),
}

/// Which migrations are applied and which are waiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationState {
    /// Names of applied migrations, oldest first.
    pub applied: Vec<String>,
    /// Names of migrations this build knows that are not applied yet.
    pub pending: Vec<String>,
}

/// The SQLite settings that matter for reliability (security-reliability.md §2.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlitePragmas {
    /// `wal` expected.
    pub journal_mode: String,
    /// At least 5000 expected.
    pub busy_timeout_ms: i64,
    /// `true` expected.
    pub foreign_keys: bool,
}

/// A handle on pum's database. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    pub(crate) conn: DatabaseConnection,
    engine: Engine,
}

/// How long SQLite waits for a lock before giving up (security-reliability.md §2.6).
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl Db {
    /// Connects to `url` (`sqlite://…` or `postgres://…`), applying pum's connection settings:
    /// for SQLite, WAL, `busy_timeout`, foreign keys and `synchronous=NORMAL` on every
    /// connection, and the file is created if missing.
    pub async fn connect(url: &str) -> Result<Self> {
        let engine = if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Engine::Postgres
        } else {
            return Err(DbError::InvalidUrl(format!(
                "unsupported database URL scheme in '{}': use sqlite://PATH or postgres://…",
                redact_url(url)
            )));
        };
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .sqlx_logging(false)
            .connect_timeout(Duration::from_secs(5))
            .acquire_timeout(Duration::from_secs(5));
        if engine == Engine::Sqlite {
            options.map_sqlx_sqlite_opts(|opts| {
                opts.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .foreign_keys(true)
            });
        }
        let conn = Database::connect(options).await?;
        Ok(Self { conn, engine })
    }

    /// Connects to the SQLite file `path`, creating it if needed.
    pub async fn connect_sqlite_file(path: &Path) -> Result<Self> {
        Self::connect(&sqlite_url(path)).await
    }

    /// The engine behind this handle.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Runs one trivial query; `Ok` means the database answers.
    pub async fn ping(&self) -> Result<()> {
        self.conn.ping().await?;
        Ok(())
    }

    /// Applied and pending migrations. Fails if the database holds migrations this build does
    /// not know, which means it was migrated by a newer pum.
    pub async fn migration_state(&self) -> Result<MigrationState> {
        let known: Vec<String> = Migrator::migrations()
            .iter()
            .map(|m| m.name().to_owned())
            .collect();
        let applied: Vec<String> = if self.has_migration_table().await? {
            // Read the table directly: sea-orm's own listing fails on versions it does not
            // know, and those are exactly what must be reported.
            self.conn
                .query_all_raw(Statement::from_string(
                    self.conn.get_database_backend(),
                    "SELECT version FROM seaql_migrations ORDER BY version",
                ))
                .await?
                .iter()
                .map(|row| row.try_get::<String>("", "version"))
                .collect::<Result<_, _>>()?
        } else {
            Vec::new()
        };
        let unknown: Vec<&str> = applied
            .iter()
            .filter(|name| !known.contains(name))
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            return Err(DbError::SchemaTooNew(unknown.join(", ")));
        }
        let pending = known
            .into_iter()
            .filter(|name| !applied.contains(name))
            .collect();
        Ok(MigrationState { applied, pending })
    }

    /// Applies every pending migration, each in its own transaction. Refuses a database that a
    /// newer pum migrated. Returns the names of the migrations it applied.
    pub async fn migrate(&self) -> Result<Vec<String>> {
        let state = self.migration_state().await?;
        if state.pending.is_empty() {
            return Ok(Vec::new());
        }
        Migrator::up(&self.conn, None).await?;
        tracing::info!(applied = ?state.pending, "database migrated");
        Ok(state.pending)
    }

    /// Writes a consistent copy of an SQLite database to `target` (`VACUUM INTO`). Does nothing
    /// on PostgreSQL, whose backups belong to its operator.
    pub async fn backup_sqlite_to(&self, target: &Path) -> Result<bool> {
        if self.engine != Engine::Sqlite {
            return Ok(false);
        }
        let target = target.to_string_lossy().replace('\'', "''");
        self.conn
            .execute_unprepared(&format!("VACUUM INTO '{target}'"))
            .await?;
        Ok(true)
    }

    /// The pragmas that keep SQLite safe under concurrent use, as one pooled connection reports
    /// them; `None` on PostgreSQL.
    pub async fn sqlite_pragmas(&self) -> Result<Option<SqlitePragmas>> {
        if self.engine != Engine::Sqlite {
            return Ok(None);
        }
        let row = self
            .conn
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Sqlite,
                "SELECT (SELECT journal_mode FROM pragma_journal_mode) AS journal_mode, \
                 (SELECT timeout FROM pragma_busy_timeout) AS busy_timeout, \
                 (SELECT foreign_keys FROM pragma_foreign_keys) AS foreign_keys",
            ))
            .await?
            .ok_or(DbError::NotFound)?;
        Ok(Some(SqlitePragmas {
            journal_mode: row.try_get::<String>("", "journal_mode")?.to_lowercase(),
            busy_timeout_ms: row.try_get::<i64>("", "busy_timeout")?,
            foreign_keys: row.try_get::<i64>("", "foreign_keys")? == 1,
        }))
    }

    /// Records `name` as applied without running anything, to simulate a newer schema.
    #[cfg(feature = "testing")]
    pub async fn mark_migration_applied_for_tests(&self, name: &str) -> Result<()> {
        let name = name.replace('\'', "''");
        self.conn
            .execute_unprepared(&format!(
                "INSERT INTO seaql_migrations (version, applied_at) VALUES ('{name}', 0)"
            ))
            .await?;
        Ok(())
    }

    /// Runs `sql` as is: tests use it to inject faults (a trigger that makes a write fail).
    #[cfg(feature = "testing")]
    pub async fn execute_for_tests(&self, sql: &str) -> Result<()> {
        self.conn.execute_unprepared(sql).await?;
        Ok(())
    }

    /// The pool the job queue shares with the app.
    pub fn job_pool(&self) -> JobPool {
        match self.conn.get_database_backend() {
            DatabaseBackend::Postgres => {
                JobPool::Postgres(self.conn.get_postgres_connection_pool().clone())
            }
            _ => JobPool::Sqlite(self.conn.get_sqlite_connection_pool().clone()),
        }
    }

    /// Closes every pooled connection.
    pub async fn close(self) -> Result<()> {
        self.conn.close().await?;
        Ok(())
    }

    async fn has_migration_table(&self) -> Result<bool> {
        let sql = match self.engine {
            Engine::Sqlite => {
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'"
            }
            Engine::Postgres => {
                "SELECT 1 FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = 'seaql_migrations'"
            }
        };
        Ok(self
            .conn
            .query_one_raw(Statement::from_string(
                self.conn.get_database_backend(),
                sql,
            ))
            .await?
            .is_some())
    }
}

/// The `sqlite://` URL of a file path.
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// A database URL with any password replaced by `***`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn redact_url_hides_the_password_only() {
        assert_eq!(
            redact_url("postgres://pum:s3cret@db:5432/pum"),
            "postgres://pum:***@db:5432/pum"
        );
        assert_eq!(redact_url("postgres://pum@db/pum"), "postgres://pum@db/pum");
        assert_eq!(redact_url("sqlite://data/pum.db"), "sqlite://data/pum.db");
    }
}
