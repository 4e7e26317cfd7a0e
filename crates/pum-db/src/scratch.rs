//! Throw-away PostgreSQL databases for test suites: one per test, dropped afterwards.

use sea_orm::ConnectionTrait;

use crate::{Db, DbError, Result};

/// Creates database `name` on the server of `admin_url` and returns its URL.
/// `name` may hold only lowercase ASCII letters, digits and `_`.
pub async fn create_postgres_database(admin_url: &str, name: &str) -> Result<String> {
    check_name(name)?;
    let admin = Db::connect(admin_url).await?;
    admin
        .conn
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await?;
    admin.close().await?;
    Ok(replace_database(admin_url, name))
}

/// Drops database `name` on the server of `admin_url`, closing its connections.
pub async fn drop_postgres_database(admin_url: &str, name: &str) -> Result<()> {
    check_name(name)?;
    let admin = Db::connect(admin_url).await?;
    admin
        .conn
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await?;
    admin.close().await?;
    Ok(())
}

fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(DbError::InvalidUrl(format!(
            "invalid database name '{name}'"
        )))
    }
}

/// `admin_url` with its database path replaced by `name` (query string kept).
fn replace_database(admin_url: &str, name: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (admin_url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut url = format!("{}/{name}", &base[..host_end]);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

/// A fresh, migrated-on-demand database for one test: a temporary SQLite file, or a new
/// PostgreSQL database on the server of `postgres_admin_url` when one is given. Dropped (file
/// or database) when this value is dropped.
#[cfg(feature = "testing")]
pub struct ScratchDb {
    /// The URL to connect to.
    pub url: String,
    dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

#[cfg(feature = "testing")]
impl ScratchDb {
    /// Creates the database. `postgres_admin_url` normally comes from `PUM_TEST_DATABASE_URL`.
    pub async fn new(postgres_admin_url: Option<&str>) -> Result<Self> {
        if let Some(admin) = postgres_admin_url.filter(|u| !u.is_empty()) {
            let name = format!("pum_test_{}", uuid::Uuid::new_v4().simple());
            let url = create_postgres_database(admin, &name).await?;
            return Ok(Self {
                url,
                dir: None,
                postgres: Some((admin.to_owned(), name)),
            });
        }
        let dir = tempfile::tempdir()
            .map_err(|e| DbError::InvalidUrl(format!("cannot create a temp dir: {e}")))?;
        let url = crate::sqlite_url(&dir.path().join("pum.db"));
        Ok(Self {
            url,
            dir: Some(dir),
            postgres: None,
        })
    }

    /// The temporary directory of an SQLite scratch database (usable as a data dir).
    pub fn dir(&self) -> Option<&std::path::Path> {
        self.dir.as_ref().map(tempfile::TempDir::path)
    }
}

#[cfg(feature = "testing")]
impl Drop for ScratchDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.postgres.take() {
            // Drop runs outside any async context we can borrow; use a private runtime.
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    let _ = rt.block_on(drop_postgres_database(&admin, &name));
                }
            })
            .join();
        }
    }
}

#[cfg(feature = "testing")]
/// Stores a plain admin named `username` (no password, no roles) and returns it, for tests
/// that need rows owned by an admin.
pub async fn seed_admin(db: &Db, username: &str) -> Result<crate::records::Admin> {
    let admin = crate::records::Admin {
        id: uuid::Uuid::new_v4(),
        username: username.to_owned(),
        password_hash: None,
        is_owner: false,
        plex_account_id: None,
        plex_username: None,
        plex_thumb: None,
        email: None,
        must_change_password: false,
        created_at: chrono::DateTime::UNIX_EPOCH,
        last_sign_in_at: None,
    };
    crate::repo::admins::insert(db, &admin).await?;
    Ok(admin)
}

#[cfg(feature = "testing")]
/// A session of `admin` created at `created_at` that ends at `expires_at` (idle deadline
/// included), for tests.
pub fn session_for(
    admin: uuid::Uuid,
    created_at: chrono::DateTime<chrono::Utc>,
    expires_at: chrono::DateTime<chrono::Utc>,
) -> crate::records::AuthSession {
    crate::records::AuthSession {
        id: uuid::Uuid::new_v4(),
        token_hash: uuid::Uuid::new_v4().simple().to_string(),
        admin_id: admin,
        created_at,
        last_seen_at: created_at,
        idle_expires_at: expires_at,
        expires_at,
        ip: None,
        user_agent: None,
    }
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn replace_database_swaps_only_the_path() {
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:5432/test", "x_1"),
            "postgres://postgres@127.0.0.1:5432/x_1"
        );
        assert_eq!(
            replace_database("postgres://u:p@h/test?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(replace_database("postgres://h", "x"), "postgres://h/x");
    }
}
