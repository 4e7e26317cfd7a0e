//! Signing in with a password, sessions behind signed cookies, and API keys.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use pum_db::Db;
use pum_db::records::{Admin, AuthSession};
use pum_db::repo::{admins, api_keys, auth_sessions};
use uuid::Uuid;

use super::tokens::{SessionClaims, SessionSigner, hash_secret, parse_api_key, random_secret};
use super::{Principal, Via, parse_permissions, password, permissions_of};
use crate::secrets::{KeyPurpose, MasterKey};
use crate::settings::Snapshot;
use crate::{Clock, CoreError, Result};

/// How often at most a session's or key's "last used" time is written.
const TOUCH_EVERY: Duration = Duration::seconds(60);
/// A session cookie older than this is replaced by a fresh one on the next request.
const REISSUE_AFTER: Duration = Duration::minutes(5);
/// The one message for every failed password sign-in, so it never tells which part was wrong.
const WRONG_CREDENTIALS: &str = "wrong username or password";

/// How long sessions live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Inactivity after which a session ends (also the cookie's lifetime).
    pub idle: Duration,
    /// Age after which a session ends however active.
    pub max: Duration,
}

impl SessionPolicy {
    /// The policy configured in `settings`.
    pub fn from_settings(settings: &Snapshot) -> Self {
        Self {
            idle: Duration::minutes(i64::from(settings.session_idle_minutes())),
            max: Duration::days(i64::from(settings.session_max_days())),
        }
    }
}

/// Where a sign-in comes from, recorded with the session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionContext {
    /// The client address.
    pub ip: Option<String>,
    /// The browser's user agent.
    pub user_agent: Option<String>,
}

/// A session cookie to hand to the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedSession {
    /// The cookie's value (a signed JWT).
    pub cookie: String,
    /// When the cookie stops being accepted.
    pub expires_at: DateTime<Utc>,
    /// The session record's id.
    pub session_id: Uuid,
}

/// Signs admins in and recognises them on later requests.
#[derive(Debug, Clone)]
pub struct AuthService {
    db: Db,
    clock: Arc<dyn Clock>,
    signer: SessionSigner,
}

impl AuthService {
    /// Sessions on `db`, cookies signed with a key derived from `master`.
    pub fn new(db: Db, clock: Arc<dyn Clock>, master: &MasterKey) -> Self {
        let key = master.derive(KeyPurpose::SessionTokens);
        Self {
            db,
            clock,
            signer: SessionSigner::new(key.as_slice()),
        }
    }

    /// The admin whose username and password these are.
    ///
    /// # Errors
    /// [`CoreError::Unauthenticated`] with one message for an unknown user, a wrong password
    /// and an admin without a password; the work done is the same in each case.
    pub async fn check_password(&self, username: &str, password_text: &str) -> Result<Admin> {
        let admin = admins::find_by_username(&self.db, username).await?;
        let stored = admin.as_ref().and_then(|a| a.password_hash.clone());
        let candidate = password_text.to_owned();
        let matches = tokio_blocking(move || password::verify(stored.as_deref(), &candidate)).await;
        match admin {
            Some(admin) if matches => Ok(admin),
            _ => Err(CoreError::Unauthenticated(WRONG_CREDENTIALS.to_owned())),
        }
    }

    /// Starts a session for `admin` (a fresh secret on every sign-in) and records the sign-in.
    pub async fn start_session(
        &self,
        admin: &Admin,
        context: &SessionContext,
        policy: SessionPolicy,
    ) -> Result<IssuedSession> {
        let now = self.clock.now();
        let secret = random_secret(32);
        let session = AuthSession {
            id: Uuid::new_v4(),
            token_hash: hash_secret(&secret),
            admin_id: admin.id,
            created_at: now,
            last_seen_at: now,
            idle_expires_at: now + policy.idle,
            expires_at: now + policy.max,
            ip: context.ip.clone(),
            user_agent: context
                .user_agent
                .as_deref()
                .map(|ua| ua.chars().take(200).collect()),
        };
        auth_sessions::insert(&self.db, &session).await?;
        admins::touch_sign_in(&self.db, admin.id, now).await?;
        self.issue(admin.id, secret, &session, now, policy)
    }

    fn issue(
        &self,
        admin: Uuid,
        secret: String,
        session: &AuthSession,
        now: DateTime<Utc>,
        policy: SessionPolicy,
    ) -> Result<IssuedSession> {
        let expires_at = (now + policy.idle).min(session.expires_at);
        let claims = SessionClaims {
            sub: admin,
            tok: secret,
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
        };
        let cookie = self.signer.sign(&claims).ok_or_else(|| {
            CoreError::Internal("the session cookie could not be signed".to_owned())
        })?;
        Ok(IssuedSession {
            cookie,
            expires_at,
            session_id: session.id,
        })
    }

    /// The caller behind a session cookie, if it is genuine and its session still valid; with
    /// a replacement cookie when the current one is getting old.
    pub async fn resolve_cookie(
        &self,
        cookie: &str,
        policy: SessionPolicy,
    ) -> Result<Option<(Principal, Option<IssuedSession>)>> {
        let now = self.clock.now();
        let Some(claims) = self.signer.verify(cookie, now) else {
            return Ok(None);
        };
        let Some(session) =
            auth_sessions::find_valid(&self.db, &hash_secret(&claims.tok), now).await?
        else {
            return Ok(None);
        };
        if session.admin_id != claims.sub {
            return Ok(None);
        }
        let Some(admin) = admins::get(&self.db, session.admin_id).await? else {
            return Ok(None);
        };
        if now - session.last_seen_at >= TOUCH_EVERY {
            let idle_until = (now + policy.idle).min(session.expires_at);
            auth_sessions::touch(&self.db, session.id, now, idle_until).await?;
        }
        let reissued = if now.timestamp() - claims.iat >= REISSUE_AFTER.num_seconds() {
            Some(self.issue(admin.id, claims.tok, &session, now, policy)?)
        } else {
            None
        };
        let permissions = permissions_of(&self.db, &admin).await?;
        Ok(Some((
            Principal {
                admin,
                permissions,
                via: Via::Session {
                    session_id: session.id,
                },
            },
            reissued,
        )))
    }

    /// Ends one session.
    pub async fn end_session(&self, session_id: Uuid) -> Result<()> {
        auth_sessions::delete(&self.db, session_id).await?;
        Ok(())
    }

    /// Ends every session of `admin` except `keep`.
    pub async fn end_sessions_of(&self, admin: Uuid, keep: Option<Uuid>) -> Result<u64> {
        Ok(auth_sessions::delete_for_admin(&self.db, admin, keep).await?)
    }

    /// The caller behind an API key, if the key exists, matches and has not expired. Its
    /// permissions are its scope within what its creator may do today.
    pub async fn resolve_api_key(&self, text: &str) -> Result<Option<Principal>> {
        let Some((id, secret)) = parse_api_key(text) else {
            return Ok(None);
        };
        let Some(key) = api_keys::get(&self.db, id).await? else {
            return Ok(None);
        };
        let now = self.clock.now();
        if !constant_time_eq(&key.secret_hash, &hash_secret(secret))
            || key.expires_at.is_some_and(|at| at <= now)
        {
            return Ok(None);
        }
        let Some(admin) = admins::get(&self.db, key.admin_id).await? else {
            return Ok(None);
        };
        if key.last_used_at.is_none_or(|at| now - at >= TOUCH_EVERY) {
            api_keys::touch(&self.db, &key.id, now).await?;
        }
        let creator = permissions_of(&self.db, &admin).await?;
        let permissions = parse_permissions(&key.permissions)
            .intersection(&creator)
            .copied()
            .collect();
        Ok(Some(Principal {
            admin,
            permissions,
            via: Via::ApiKey {
                key_id: key.id,
                name: key.name,
            },
        }))
    }
}

/// Runs CPU-heavy work (Argon2) off the async threads.
async fn tokio_blocking<T: Send + Default + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    tokio::task::spawn_blocking(work).await.unwrap_or_default()
}

/// Compares two equal-length hex digests without an early exit.
fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Hashes a new password off the async threads.
pub(crate) async fn hash_password(password_text: &str) -> Result<String> {
    let candidate = password_text.to_owned();
    tokio_blocking(move || password::hash(&candidate))
        .await
        .ok_or_else(|| CoreError::Internal("the password could not be hashed".to_owned()))
}
