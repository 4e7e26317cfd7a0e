//! `GET /api/servers/{machineIdentifier}` (v1 XML): the server document, the only join between
//! a library's PMS key and its plex.tv id (plex-api.md §3.3, §4).

use serde::Deserialize;

use super::PlexTv;
use crate::xml::number;
use crate::{MachineIdentifier, PlexToken, PlexTvSectionId, PmsSectionKey, Result};

/// One library of a server, with both of its ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibrarySection {
    /// plex.tv's global id: what sharing endpoints take.
    pub id: PlexTvSectionId,
    /// The key on the server: what PMS endpoints take.
    pub key: PmsSectionKey,
    /// The title (not unique; users rename libraries).
    pub title: String,
    /// `movie`, `show`, `artist`, `photo`, …
    pub kind: String,
}

/// An owned server as plex.tv describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerDocument {
    /// The machine identifier.
    pub machine_identifier: MachineIdentifier,
    /// The server's name.
    pub name: String,
    /// Its libraries. plex.tv can answer with a partial or empty list from a healthy server
    /// (plex-api.md §3.4), so never delete local libraries on this list alone.
    pub sections: Vec<LibrarySection>,
}

#[derive(Deserialize)]
struct WireContainer {
    #[serde(rename = "Server", default)]
    servers: Vec<WireServer>,
}

#[derive(Deserialize)]
struct WireServer {
    #[serde(rename = "@name", default)]
    name: String,
    #[serde(rename = "@machineIdentifier", default)]
    machine_identifier: String,
    #[serde(rename = "Section", default)]
    sections: Vec<WireSection>,
}

#[derive(Deserialize)]
struct WireSection {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@key")]
    key: String,
    #[serde(rename = "@title", default)]
    title: String,
    #[serde(rename = "@type", default)]
    kind: String,
}

const ENDPOINT: &str = "GET /api/servers/{machineIdentifier}";

impl PlexTv {
    /// The server document of `machine` with its libraries' plex.tv ids and PMS keys.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when the account owns no such server, or any other error.
    pub async fn server_document(
        &self,
        token: &PlexToken,
        machine: &MachineIdentifier,
    ) -> Result<ServerDocument> {
        let container: WireContainer = self
            .get_v1_xml(ENDPOINT, &format!("/api/servers/{machine}"), token)
            .await?;
        let server = container
            .servers
            .into_iter()
            .find(|s| s.machine_identifier == machine.as_str())
            .ok_or_else(|| crate::Error::NotFound {
                endpoint: ENDPOINT.to_owned(),
                message: Some(format!("no server {machine} in the answer")),
            })?;
        Ok(ServerDocument {
            machine_identifier: MachineIdentifier::new(server.machine_identifier),
            name: server.name,
            sections: server
                .sections
                .into_iter()
                .filter_map(|s| {
                    Some(LibrarySection {
                        id: PlexTvSectionId::new(number(Some(&s.id))?),
                        key: PmsSectionKey::new(s.key),
                        title: s.title,
                        kind: s.kind,
                    })
                })
                .collect(),
        })
    }
}
