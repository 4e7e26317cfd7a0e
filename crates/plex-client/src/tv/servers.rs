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

/// `/api/v2/servers/{machineIdentifier}` in JSON: an object with a `librarySections` array.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsonV2Server {
    #[serde(default)]
    name: String,
    #[serde(default)]
    machine_identifier: String,
    #[serde(default)]
    library_sections: Vec<JsonV2Section>,
}

#[derive(Deserialize)]
struct JsonV2Section {
    id: serde_json::Value,
    key: serde_json::Value,
    #[serde(default)]
    title: String,
    #[serde(rename = "type", default)]
    kind: String,
}

/// The XML twin: `<server><librarySections><librarySection/>…</librarySections></server>`.
#[derive(Deserialize)]
struct XmlV2Server {
    #[serde(rename = "@name", default)]
    name: String,
    #[serde(rename = "@machineIdentifier", default)]
    machine_identifier: String,
    #[serde(rename = "librarySections", default)]
    library_sections: XmlV2Sections,
}

#[derive(Deserialize, Default)]
struct XmlV2Sections {
    #[serde(rename = "librarySection", default)]
    items: Vec<WireSection>,
}

const ENDPOINT: &str = "GET /api/servers/{machineIdentifier}";

/// A section element (`<Section>` in v1, `<librarySection>` in v2 XML) with both ids.
fn v1_section(s: WireSection) -> Option<LibrarySection> {
    Some(LibrarySection {
        id: PlexTvSectionId::new(number(Some(&s.id))?),
        key: PmsSectionKey::new(s.key),
        title: s.title,
        kind: s.kind,
    })
}

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
            sections: server.sections.into_iter().filter_map(v1_section).collect(),
        })
    }

    /// `GET /api/v2/servers/{machine}` (§3.4): the same facts as [`Self::server_document`]
    /// in the v2 shape. plex.tv sometimes lists only some libraries (or none) here with a 200,
    /// so compare with the server's own `/library/sections` before acting on a missing one.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when the account owns no such server, or any other error.
    pub async fn server_document_v2(
        &self,
        token: &PlexToken,
        machine: &MachineIdentifier,
    ) -> Result<ServerDocument> {
        const V2: &str = "GET /api/v2/servers/{machineIdentifier}";
        let url = self.url(&format!("/api/v2/servers/{machine}"));
        self.transport
            .body(V2, crate::transport::Family::TvV2, true, || {
                self.transport
                    .request(reqwest::Method::GET, &url, Some(token))
            })
            .await?
            .decode(
                V2,
                |json: JsonV2Server| ServerDocument {
                    machine_identifier: MachineIdentifier::new(json.machine_identifier),
                    name: json.name,
                    sections: json
                        .library_sections
                        .into_iter()
                        .filter_map(|s| {
                            Some(LibrarySection {
                                id: PlexTvSectionId::new(crate::value::json_u64(Some(&s.id))?),
                                key: PmsSectionKey::new(crate::value::json_id(Some(&s.key))?),
                                title: s.title,
                                kind: s.kind,
                            })
                        })
                        .collect(),
                },
                |xml: XmlV2Server| ServerDocument {
                    machine_identifier: MachineIdentifier::new(xml.machine_identifier),
                    name: xml.name,
                    sections: xml
                        .library_sections
                        .items
                        .into_iter()
                        .filter_map(v1_section)
                        .collect(),
                },
            )
    }
}
