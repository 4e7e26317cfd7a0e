//! `GET /library/sections` (plex-api.md §6.3).

use reqwest::Method;
use serde::Deserialize;

use super::{Pms, json_id};
use crate::transport::Family;
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

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "MediaContainer")]
    container: Container,
}

#[derive(Deserialize)]
struct Container {
    #[serde(rename = "Directory", default)]
    directories: Vec<WireDirectory>,
}

#[derive(Deserialize)]
struct WireDirectory {
    key: serde_json::Value,
    #[serde(default)]
    title: String,
    #[serde(rename = "type", default)]
    kind: String,
}

impl Pms {
    /// The server's libraries.
    ///
    /// # Errors
    /// [`crate::Error::Unauthorized`] without a valid token, or any other error.
    pub async fn library_sections(&self) -> Result<Vec<Library>> {
        let url = self.url("/library/sections");
        let envelope: Envelope = self
            .transport
            .json("GET /library/sections", Family::Pms, true, || {
                self.transport
                    .request(Method::GET, &url, self.token.as_ref())
            })
            .await?;
        Ok(envelope
            .container
            .directories
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
