//! Settings kept in the database: general, Plex, Discord and security. Secrets (the Plex
//! token, Discord client secret and bot token) are sealed with the column cipher, bound to their
//! key, and opened only where they are used.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use pum_api_types::settings::DiscordLinking;
use pum_db::Db;
use pum_db::records::Setting;
use pum_db::repo::settings;
use secrecy::SecretString;

use crate::secrets::SecretCipher;
use crate::{Clock, CoreError, Result};

/// The name shown when none is set.
pub const DEFAULT_APP_NAME: &str = "Plex User Manager";
/// Default minutes of inactivity before an admin is signed out.
pub const DEFAULT_SESSION_IDLE_MINUTES: u32 = 120;
/// Default days a session lives however active.
pub const DEFAULT_SESSION_MAX_DAYS: u32 = 7;
/// Hours between scheduled user syncs unless changed.
pub const DEFAULT_SYNC_INTERVAL_HOURS: u32 = 6;

/// Every setting pum stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// The name shown in the interface.
    AppName,
    /// The public address, for invite links.
    PublicBaseUrl,
    /// The Plex Media Server URL.
    PlexServerUrl,
    /// The server's name when connected.
    PlexServerName,
    /// The server's machine identifier.
    PlexMachineIdentifier,
    /// The owner's Plex token (secret).
    PlexToken,
    /// The plex.tv account id the token belongs to (the server owner).
    PlexOwnerAccountId,
    /// Discord `OAuth2` client id.
    DiscordClientId,
    /// Discord `OAuth2` client secret (secret).
    DiscordClientSecret,
    /// Discord bot token (secret).
    DiscordBotToken,
    /// Discord guild id.
    DiscordGuildId,
    /// Default Discord linking for invites.
    DiscordLinking,
    /// Minutes of inactivity before sign-out.
    SessionIdleMinutes,
    /// Days a session lives at most.
    SessionMaxDays,
    /// Hours between scheduled user syncs (0: only by hand).
    UsersSyncIntervalHours,
}

impl Key {
    /// The stored key.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AppName => "general.app_name",
            Self::PublicBaseUrl => "general.public_base_url",
            Self::PlexServerUrl => "plex.server_url",
            Self::PlexServerName => "plex.server_name",
            Self::PlexMachineIdentifier => "plex.machine_identifier",
            Self::PlexToken => "plex.token",
            Self::PlexOwnerAccountId => "plex.owner_account_id",
            Self::DiscordClientId => "discord.client_id",
            Self::DiscordClientSecret => "discord.client_secret",
            Self::DiscordBotToken => "discord.bot_token",
            Self::DiscordGuildId => "discord.guild_id",
            Self::DiscordLinking => "discord.linking",
            Self::SessionIdleMinutes => "security.session_idle_minutes",
            Self::SessionMaxDays => "security.session_max_days",
            Self::UsersSyncIntervalHours => "users.sync_interval_hours",
        }
    }

    /// Whether the value is sealed at rest and never leaves the server.
    pub fn is_secret(self) -> bool {
        matches!(
            self,
            Self::PlexToken | Self::DiscordClientSecret | Self::DiscordBotToken
        )
    }

    fn aad(self) -> String {
        format!("settings.value:{}", self.as_str())
    }
}

/// One change: set a value (plaintext; secrets are sealed on write) or remove it.
#[derive(Debug, Clone)]
pub struct Change {
    /// Which setting.
    pub key: Key,
    /// The new value, or `None` to remove it.
    pub value: Option<SecretString>,
}

impl Change {
    /// Sets `key` to `value`.
    pub fn set(key: Key, value: impl Into<String>) -> Self {
        Self {
            key,
            value: Some(SecretString::from(value.into())),
        }
    }

    /// Removes `key`.
    pub fn clear(key: Key) -> Self {
        Self { key, value: None }
    }
}

/// The settings as stored, secrets still sealed.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    rows: HashMap<String, Setting>,
}

impl Snapshot {
    /// The plain value of a non-secret setting.
    pub fn get(&self, key: Key) -> Option<&str> {
        if key.is_secret() {
            return None;
        }
        self.rows
            .get(key.as_str())
            .map(|r| r.value.as_str())
            .filter(|v| !v.is_empty())
    }

    /// Whether a setting is stored and when it last changed.
    pub fn state(&self, key: Key) -> (bool, Option<DateTime<Utc>>) {
        self.rows
            .get(key.as_str())
            .map_or((false, None), |r| (true, Some(r.updated_at)))
    }

    /// The name shown in the interface.
    pub fn app_name(&self) -> String {
        self.get(Key::AppName)
            .unwrap_or(DEFAULT_APP_NAME)
            .to_owned()
    }

    /// The public base URL, if set.
    pub fn public_base_url(&self) -> Option<String> {
        self.get(Key::PublicBaseUrl).map(str::to_owned)
    }

    /// The connected server's URL, if any.
    pub fn plex_server_url(&self) -> Option<String> {
        self.get(Key::PlexServerUrl).map(str::to_owned)
    }

    /// The plex.tv account that owns the connected server.
    pub fn plex_owner_account_id(&self) -> Option<i64> {
        self.get(Key::PlexOwnerAccountId)?.parse().ok()
    }

    /// The default Discord linking for invites.
    pub fn discord_linking(&self) -> DiscordLinking {
        match self.get(Key::DiscordLinking) {
            Some("optional") => DiscordLinking::Optional,
            Some("required") => DiscordLinking::Required,
            _ => DiscordLinking::Off,
        }
    }

    /// Minutes of inactivity before sign-out.
    pub fn session_idle_minutes(&self) -> u32 {
        self.get(Key::SessionIdleMinutes)
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_SESSION_IDLE_MINUTES)
    }

    /// Days a session lives at most.
    pub fn session_max_days(&self) -> u32 {
        self.get(Key::SessionMaxDays)
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_SESSION_MAX_DAYS)
    }

    /// Hours between scheduled user syncs; 0 means only by hand.
    pub fn users_sync_interval_hours(&self) -> u32 {
        self.get(Key::UsersSyncIntervalHours)
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_SYNC_INTERVAL_HOURS)
    }

    /// The sealed form of a secret, which changes whenever the secret does.
    pub fn sealed(&self, key: Key) -> Option<&str> {
        self.rows.get(key.as_str()).map(|r| r.value.as_str())
    }
}

/// Reads and writes settings, sealing and opening secrets.
#[derive(Debug, Clone)]
pub struct SettingsService {
    db: Db,
    cipher: Arc<SecretCipher>,
    clock: Arc<dyn Clock>,
}

impl SettingsService {
    /// Settings on `db`, secrets sealed with `cipher`.
    pub fn new(db: Db, cipher: Arc<SecretCipher>, clock: Arc<dyn Clock>) -> Self {
        Self { db, cipher, clock }
    }

    /// The stored settings.
    pub async fn snapshot(&self) -> Result<Snapshot> {
        let rows = settings::all(&self.db)
            .await?
            .into_iter()
            .map(|row| (row.key.clone(), row))
            .collect();
        Ok(Snapshot { rows })
    }

    /// Opens a secret of `snapshot`.
    ///
    /// # Errors
    /// [`CoreError::Secret`] when the value cannot be opened with this installation's key.
    pub fn secret(&self, snapshot: &Snapshot, key: Key) -> Result<Option<SecretString>> {
        let Some(sealed) = snapshot.sealed(key).filter(|_| key.is_secret()) else {
            return Ok(None);
        };
        self.cipher
            .open(sealed, &key.aad())
            .map(Some)
            .map_err(CoreError::Secret)
    }

    /// Writes `changes` in one transaction, sealing secrets; `by` names who made them.
    pub async fn write(&self, changes: &[Change], by: Option<&str>) -> Result<()> {
        use secrecy::ExposeSecret as _;
        let mut rows = Vec::with_capacity(changes.len());
        for change in changes {
            let value = match &change.value {
                None => None,
                Some(value) if change.key.is_secret() => Some(
                    self.cipher
                        .seal(value.expose_secret().as_bytes(), &change.key.aad())
                        .map_err(CoreError::Secret)?,
                ),
                Some(value) => Some(value.expose_secret().to_owned()),
            };
            rows.push((change.key.as_str().to_owned(), value));
        }
        settings::put(&self.db, &rows, self.clock.now(), by).await?;
        Ok(())
    }
}

/// Field errors collected while validating a change.
#[derive(Debug, Default)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    /// Notes that `field` is wrong because of `message`.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_insert_with(|| message.into());
    }

    /// `Ok` when nothing was noted, else a validation error listing every field.
    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() {
            return Ok(());
        }
        let message = format!(
            "invalid {}",
            self.0.keys().cloned().collect::<Vec<_>>().join(", ")
        );
        Err(CoreError::Invalid {
            message,
            fields: self.0,
        })
    }
}

/// Checks a URL pum is given (public base URL, Plex server): absolute `http` or `https`, a
/// host, an optional port and path, no credentials, query or fragment. Returns it without a
/// trailing `/`.
pub fn check_http_url(text: &str) -> std::result::Result<String, String> {
    let url = text.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("must start with http:// or https://")?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err("must name a host".to_owned());
    }
    if rest.contains(['?', '#', '@', ' ', '\\']) || rest.chars().any(char::is_control) {
        return Err("must not contain a query, fragment, credentials or spaces".to_owned());
    }
    if url.len() > 300 {
        return Err("must be at most 300 characters".to_owned());
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// Checks a Discord snowflake id.
pub fn check_snowflake(text: &str) -> std::result::Result<(), String> {
    if (17..=20).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err("must be a Discord id: 17 to 20 digits".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked_and_normalised() {
        assert_eq!(
            check_http_url(" https://pum.example.com/ "),
            Ok("https://pum.example.com".to_owned())
        );
        assert_eq!(
            check_http_url("http://10.0.0.2:5699/pum"),
            Ok("http://10.0.0.2:5699/pum".to_owned())
        );
        for bad in [
            "pum.example.com",
            "ftp://x",
            "https://",
            "https:///x",
            "https://a@b",
            "https://x/?q=1",
            "https://x/#f",
            "javascript:alert(1)",
        ] {
            assert!(check_http_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn snowflakes_are_17_to_20_digits() {
        assert!(check_snowflake("123456789012345678").is_ok());
        assert!(check_snowflake("1234").is_err());
        assert!(check_snowflake("12345678901234567a").is_err());
    }
}
