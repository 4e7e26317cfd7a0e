//! The Plex Media Server this installation manages, as far as the dashboard needs it.

use plex_client::{ClientIdentity, PlexToken, Pms, Transport};

/// Where the Plex Media Server is and how to reach it.
#[derive(Debug, Clone, Default)]
pub struct PlexSettings {
    /// The server's base URL, when configured.
    pub server_url: Option<String>,
    /// The admin token, when configured.
    pub token: Option<PlexToken>,
}

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

/// Talks to the configured Plex Media Server.
#[derive(Debug, Clone)]
pub struct PlexService {
    pms: Option<Pms>,
}

impl PlexService {
    /// A service for `settings`, identifying itself as `identity`.
    pub fn new(
        settings: &PlexSettings,
        identity: ClientIdentity,
    ) -> Result<Self, plex_client::Error> {
        let pms = match &settings.server_url {
            Some(url) => Some(Pms::new(
                Transport::new(identity)?,
                url,
                settings.token.clone(),
            )),
            None => None,
        };
        Ok(Self { pms })
    }

    /// Asks the server who it is.
    pub async fn server_state(&self) -> ServerState {
        let Some(pms) = &self.pms else {
            return ServerState::NotConfigured;
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
}
