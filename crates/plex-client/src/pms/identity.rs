use reqwest::Method;
use serde::Deserialize;

use super::{Envelope, Pms};
use crate::transport::Family;
use crate::value::boolish;
use crate::{MachineIdentifier, Result};

/// The answer of `GET /identity` (plex-api.md §6.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The server's machine identifier.
    pub machine_identifier: MachineIdentifier,
    /// The PMS version string.
    pub version: String,
    /// Whether the server is claimed by a plex.tv account.
    pub claimed: bool,
}

/// What the server root `GET /` says about the server (plex-api.md §6.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    /// The name the owner gave the server.
    pub friendly_name: String,
    /// The server's machine identifier.
    pub machine_identifier: MachineIdentifier,
    /// The PMS version string.
    pub version: String,
}

/// The container attributes of `/identity`, in JSON or (with the `@` aliases) XML.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireIdentity {
    #[serde(alias = "@machineIdentifier")]
    machine_identifier: String,
    #[serde(alias = "@version", default)]
    version: String,
    #[serde(alias = "@claimed", default)]
    claimed: Option<serde_json::Value>,
}

/// The container attributes of `/`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireRoot {
    #[serde(alias = "@friendlyName", default)]
    friendly_name: String,
    #[serde(alias = "@machineIdentifier")]
    machine_identifier: String,
    #[serde(alias = "@version", default)]
    version: String,
}

impl Pms {
    /// `GET /identity`: reachability and machine id; needs no token.
    ///
    /// # Errors
    /// Any [`crate::Error`] for an unreachable server or an unexpected answer.
    pub async fn identity(&self) -> Result<Identity> {
        const ENDPOINT: &str = "GET /identity";
        let url = self.url("/identity");
        let wire = self
            .transport
            .body(ENDPOINT, Family::Pms, true, || {
                self.transport.request(Method::GET, &url, None)
            })
            .await?
            .decode(
                ENDPOINT,
                |json: Envelope<WireIdentity>| json.container,
                |xml: WireIdentity| xml,
            )?;
        Ok(Identity {
            machine_identifier: MachineIdentifier::new(wire.machine_identifier),
            version: wire.version,
            claimed: boolish(wire.claimed.as_ref()),
        })
    }

    /// `GET /`: the server root, which needs the token.
    ///
    /// # Errors
    /// [`crate::Error::Unauthorized`] without a valid token, or any other [`crate::Error`].
    pub async fn server_info(&self) -> Result<ServerInfo> {
        const ENDPOINT: &str = "GET /";
        let wire = self.get(ENDPOINT, "/", &[]).await?.decode(
            ENDPOINT,
            |json: Envelope<WireRoot>| json.container,
            |xml: WireRoot| xml,
        )?;
        Ok(ServerInfo {
            friendly_name: wire.friendly_name,
            machine_identifier: MachineIdentifier::new(wire.machine_identifier),
            version: wire.version,
        })
    }
}
