//! `GET /library/sections` (plex-api.md §6.3).

use serde::Deserialize;

use super::{Envelope, Pms};
use crate::value::json_id;
use crate::{PmsSectionKey, Result};

/// A library as the server lists it (a friend's token lists only shared ones).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Library {
    /// The PMS key.
    pub key: PmsSectionKey,
    /// The title.
    pub title: String,
    /// `movie`, `show`, `artist`, `photo`.
    pub kind: String,
}

/// `Directory` items in both formats; the `@` aliases read XML attributes.
#[derive(Deserialize)]
struct Container {
    #[serde(rename = "Directory", default)]
    directories: Vec<WireDirectory>,
}

#[derive(Deserialize)]
struct WireDirectory {
    #[serde(alias = "@key")]
    key: serde_json::Value,
    #[serde(alias = "@title", default)]
    title: String,
    #[serde(rename = "type", alias = "@type", default)]
    kind: String,
}

impl Pms {
    /// The server's libraries.
    ///
    /// # Errors
    /// [`crate::Error::Unauthorized`] without a valid token, or any other error.
    pub async fn library_sections(&self) -> Result<Vec<Library>> {
        const ENDPOINT: &str = "GET /library/sections";
        let directories = self.get(ENDPOINT, "/library/sections", &[]).await?.decode(
            ENDPOINT,
            |json: Envelope<Container>| json.container.directories,
            |xml: Container| xml.directories,
        )?;
        Ok(directories
            .into_iter()
            .filter_map(|d| {
                let key = json_id(Some(&d.key))?;
                Some(Library {
                    key: PmsSectionKey::new(key),
                    title: d.title,
                    kind: d.kind,
                })
            })
            .collect())
    }
}
