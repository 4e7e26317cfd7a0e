use reqwest::Method;
use serde::Deserialize;

use super::Pms;
use crate::transport::Family;
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

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(rename = "MediaContainer")]
    media_container: T,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireIdentity {
    machine_identifier: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    claimed: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireRoot {
    #[serde(default)]
    friendly_name: String,
    machine_identifier: String,
    #[serde(default)]
    version: String,
}

/// plex-api.md §0.3: booleans arrive as `true`, `1`, `"1"` or `"true"`.
pub(crate) fn boolish(value: Option<&serde_json::Value>) -> bool {
    match value {
        Some(serde_json::Value::Bool(b)) => *b,
        Some(serde_json::Value::Number(n)) => n.as_u64().is_some_and(|n| n != 0),
        Some(serde_json::Value::String(s)) => s == "1" || s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

impl Pms {
    /// `GET /identity`: reachability and machine id; needs no token.
    ///
    /// # Errors
    /// Any [`crate::Error`] for an unreachable server or an unexpected answer.
    pub async fn identity(&self) -> Result<Identity> {
        let url = self.url("/identity");
        let envelope: Envelope<WireIdentity> = self
            .transport
            .json("GET /identity", Family::Pms, true, || {
                self.transport.request(Method::GET, &url, None)
            })
            .await?;
        let wire = envelope.media_container;
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
        let url = self.url("/");
        let envelope: Envelope<WireRoot> = self
            .transport
            .json("GET /", Family::Pms, true, || {
                self.transport
                    .request(Method::GET, &url, self.token.as_ref())
            })
            .await?;
        let wire = envelope.media_container;
        Ok(ServerInfo {
            friendly_name: wire.friendly_name,
            machine_identifier: MachineIdentifier::new(wire.machine_identifier),
            version: wire.version,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::boolish;
    use serde_json::json;

    #[test]
    fn boolish_accepts_every_plex_spelling() {
        for yes in [json!(true), json!(1), json!("1"), json!("true")] {
            assert!(boolish(Some(&yes)), "{yes}");
        }
        for no in [
            json!(false),
            json!(0),
            json!("0"),
            json!("false"),
            json!(null),
        ] {
            assert!(!boolish(Some(&no)), "{no}");
        }
        assert!(!boolish(None));
    }
}
