//! The Plex Media Server this installation manages: its connection (from the settings, the
//! token opened only here), its status, and testing a new connection.

use std::time::Duration;

use plex_client::pms::{Identity, Library, ServerInfo};
use plex_client::{MachineIdentifier, PlexAccountId, PlexToken, PlexTv, Pms, Transport};
use secrecy::ExposeSecret as _;

use crate::settings::{Key, SettingsService, Snapshot};
use crate::{CoreError, Result};

/// What the server said when last asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerState {
    /// No server URL is configured.
    NotConfigured,
    /// The server answered.
    Online {
        /// Friendly name, when the token could read the server root.
        name: Option<String>,
        /// Machine identifier.
        machine_identifier: String,
        /// PMS version.
        version: String,
        /// The URL asked.
        url: String,
    },
    /// The server did not answer properly.
    Offline {
        /// The URL asked.
        url: String,
        /// Why.
        reason: String,
    },
}

/// A server that answered a connection test.
#[derive(Debug, Clone)]
pub struct TestedServer {
    /// The URL that answered.
    pub url: String,
    /// `/identity`.
    pub identity: Identity,
    /// `/` (needs the token).
    pub info: ServerInfo,
    /// The libraries.
    pub libraries: Vec<Library>,
}

/// How long an admin's request waits for Plex before it answers with an error
/// (security-reliability P-5: never hang).
pub const INTERACTIVE_DEADLINE: Duration = Duration::from_secs(10);

/// Everything needed to act on the connected server as its owner.
#[derive(Debug, Clone)]
pub struct Connected {
    /// plex.tv.
    pub tv: PlexTv,
    /// The server.
    pub pms: Pms,
    /// The owner's plex.tv token.
    pub token: PlexToken,
    /// The server's machine identifier.
    pub machine: MachineIdentifier,
    /// The owner's plex.tv account id, when known.
    pub owner_id: Option<PlexAccountId>,
}

/// Talks to the connected Plex Media Server.
#[derive(Debug, Clone)]
pub struct PlexService {
    transport: Transport,
    tv: PlexTv,
    settings: SettingsService,
}

impl PlexService {
    /// A service reaching Plex through `transport` (plex.tv through `tv`), connected as
    /// `settings` say.
    pub fn new(transport: Transport, tv: PlexTv, settings: SettingsService) -> Self {
        Self {
            transport,
            tv,
            settings,
        }
    }

    /// plex.tv, for calls that need no server (an invitee's sign-in).
    pub fn tv(&self) -> &PlexTv {
        &self.tv
    }

    /// The connected server with the owner's token and machine identifier.
    ///
    /// # Errors
    /// [`CoreError::Conflict`] when no server (or no token) is connected yet.
    pub async fn connected(&self) -> Result<Connected> {
        let snapshot = self.settings.snapshot().await?;
        let not_connected = || {
            CoreError::Conflict(
                "no Plex server is connected yet; connect one in Settings → Plex".to_owned(),
            )
        };
        let url = snapshot.plex_server_url().ok_or_else(not_connected)?;
        let token = self.owner_token(&snapshot)?.ok_or_else(not_connected)?;
        let machine = snapshot
            .get(Key::PlexMachineIdentifier)
            .map(|m| MachineIdentifier::new(m.to_owned()))
            .ok_or_else(not_connected)?;
        let owner_id = snapshot
            .get(Key::PlexOwnerAccountId)
            .and_then(|id| id.parse().ok())
            .map(PlexAccountId::new);
        Ok(Connected {
            tv: self.tv.clone(),
            pms: Pms::new(self.transport.clone(), &url, Some(token.clone())),
            token,
            machine,
            owner_id,
        })
    }

    /// The owner's token, opened from the settings.
    pub fn owner_token(&self, snapshot: &Snapshot) -> Result<Option<PlexToken>> {
        Ok(self
            .settings
            .secret(snapshot, Key::PlexToken)?
            .map(|t| PlexToken::new(t.expose_secret())))
    }

    /// The connected server, if one is configured.
    pub async fn pms(&self) -> Result<Option<Pms>> {
        let snapshot = self.settings.snapshot().await?;
        let Some(url) = snapshot.plex_server_url() else {
            return Ok(None);
        };
        let token = self.owner_token(&snapshot)?;
        Ok(Some(Pms::new(self.transport.clone(), &url, token)))
    }

    /// Asks the server who it is.
    pub async fn server_state(&self) -> ServerState {
        let pms = match self.pms().await {
            Ok(Some(pms)) => pms,
            Ok(None) => return ServerState::NotConfigured,
            Err(err) => {
                return ServerState::Offline {
                    url: String::new(),
                    reason: err.to_string(),
                };
            }
        };
        let url = pms.base_url().to_owned();
        match pms.identity().await {
            Ok(identity) => {
                let name = pms.server_info().await.ok().map(|info| info.friendly_name);
                ServerState::Online {
                    name,
                    machine_identifier: identity.machine_identifier.to_string(),
                    version: identity.version,
                    url,
                }
            }
            Err(err) => ServerState::Offline {
                url,
                reason: err.to_string(),
            },
        }
    }

    /// Tests `url` with `token`: the server must answer `/identity`, accept the token on `/`
    /// and list its libraries, and (when given) be the server `expected`.
    ///
    /// # Errors
    /// [`CoreError::Plex`] for an unreachable server or a refused token,
    /// [`CoreError::Invalid`] for a bad URL or a different server.
    pub async fn test(
        &self,
        url: &str,
        token: &PlexToken,
        expected: Option<&str>,
    ) -> Result<TestedServer> {
        let url = crate::settings::check_http_url(url)
            .map_err(|m| CoreError::invalid("urls", format!("{url:?} {m}")))?;
        let pms = Pms::new(self.transport.clone(), &url, Some(token.clone()));
        let identity = pms.identity().await?;
        if let Some(expected) = expected
            && identity.machine_identifier.as_str() != expected
        {
            return Err(CoreError::invalid(
                "urls",
                format!(
                    "{url} is another server ({}), not the one chosen",
                    identity.machine_identifier
                ),
            ));
        }
        let info = pms.server_info().await?;
        let libraries = pms.library_sections().await?;
        Ok(TestedServer {
            url,
            identity,
            info,
            libraries,
        })
    }
}

/// Runs a Plex call for an admin's request, giving up after [`INTERACTIVE_DEADLINE`].
///
/// # Errors
/// The call's own error, or a timeout as [`plex_client::Error::Transport`].
pub async fn within_deadline<T>(
    endpoint: &str,
    call: impl std::future::Future<Output = plex_client::Result<T>>,
) -> Result<T> {
    match tokio::time::timeout(INTERACTIVE_DEADLINE, call).await {
        Ok(result) => Ok(result?),
        Err(_) => Err(CoreError::Plex(plex_client::Error::Transport {
            endpoint: endpoint.to_owned(),
            message: format!("no answer within {} s", INTERACTIVE_DEADLINE.as_secs()),
            timeout: true,
        })),
    }
}
