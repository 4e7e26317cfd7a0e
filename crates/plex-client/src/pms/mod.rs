//! One Plex Media Server.

mod history;
mod identity;
mod sections;
mod sessions;

pub use history::{HistoryItem, HistoryQuery};
pub use identity::{Identity, ServerInfo};
pub use sections::Library;
pub use sessions::{Session, Transcode, Viewer};

use crate::{PlexToken, Transport};

/// A PMS JSON id, which arrives as a string or a number (plex-api.md §0.3); empty is absent.
pub(crate) fn json_id(value: Option<&serde_json::Value>) -> Option<String> {
    match value? {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
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
}
