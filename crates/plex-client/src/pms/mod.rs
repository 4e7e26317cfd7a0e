//! One Plex Media Server.

mod accounts;
mod history;
mod identity;
mod sections;
mod sessions;

pub use accounts::ServerAccount;
pub use history::{HistoryItem, HistoryQuery};
pub use identity::{Identity, ServerInfo};
pub use sections::Library;
pub use sessions::{Session, Transcode, TranscodeJob, Viewer};

use reqwest::Method;
use serde::Deserialize;

use crate::transport::{Body, Family};
use crate::{PlexToken, Result, Transport};

/// PMS JSON wraps every answer in `{"MediaContainer": …}`; in XML the container is the root.
#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(rename = "MediaContainer")]
    container: T,
}

/// A metadata item in PMS XML, where the element names the item's type; JSON collapses them
/// all into `Metadata[]` (§0.3).
#[derive(Deserialize)]
enum XmlItem<T> {
    Video(T),
    Track(T),
    Photo(T),
}

impl<T> XmlItem<T> {
    fn into_inner(self) -> T {
        match self {
            Self::Video(item) | Self::Track(item) | Self::Photo(item) => item,
        }
    }
}

/// A client for one Plex Media Server at a fixed base URL.
#[derive(Debug, Clone)]
pub struct Pms {
    transport: Transport,
    base_url: String,
    token: Option<PlexToken>,
}

impl Pms {
    /// A client for the server at `base_url` (for example `http://127.0.0.1:32400`).
    pub fn new(transport: Transport, base_url: &str, token: Option<PlexToken>) -> Self {
        Self {
            transport,
            base_url: base_url.trim_end_matches('/').to_owned(),
            token,
        }
    }

    /// The base URL this client talks to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// GETs `path` with the server token, asking for JSON and accepting XML.
    async fn get(&self, endpoint: &str, path: &str, query: &[(&str, &str)]) -> Result<Body> {
        let url = self.url(path);
        self.transport
            .body(endpoint, Family::Pms, true, || {
                self.transport
                    .request(Method::GET, &url, self.token.as_ref())
                    .query(query)
            })
            .await
    }
}
