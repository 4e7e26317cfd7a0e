//! plex.tv and clients.plex.tv: the account API.

mod account;
mod friends;
mod home;
mod pins;
mod resources;
mod servers;
mod sharing;
mod users;

pub use account::{Account, HomeRole};
pub use friends::{Friend, FriendStatus, ReceivedInvite, Share};
pub use home::HomeUser;
pub use pins::Pin;
pub use resources::{Connection, Resource};
pub use servers::{LibrarySection, ServerDocument};
pub use sharing::{AllowTuners, Invitee, ShareRoute, ShareSettings, SharedSection, SharedServer};
pub use users::{User, UserServer};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::{PinId, Transport};

/// The base URLs of plex.tv's hosts; each is configurable so tests and demos can point at a
/// simulator (plex-api.md §0.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlexTvUrls {
    /// `https://plex.tv`.
    pub plex_tv: String,
    /// `https://clients.plex.tv`.
    pub clients_plex_tv: String,
    /// The hosted sign-in page, `https://app.plex.tv/auth`.
    pub auth_app: String,
}

impl Default for PlexTvUrls {
    fn default() -> Self {
        Self {
            plex_tv: "https://plex.tv".to_owned(),
            clients_plex_tv: "https://clients.plex.tv".to_owned(),
            auth_app: "https://app.plex.tv/auth".to_owned(),
        }
    }
}

/// A client for the plex.tv account API.
#[derive(Debug, Clone)]
pub struct PlexTv {
    transport: Transport,
    urls: PlexTvUrls,
    /// The last answer per PIN and when it came, so PINs are polled at most every 2 s.
    pin_polls: Arc<Mutex<HashMap<PinId, (tokio::time::Instant, Pin)>>>,
    share_route: ShareRoute,
}

impl PlexTv {
    /// A client talking to `urls` through `transport`.
    pub fn new(transport: Transport, urls: PlexTvUrls) -> Self {
        let trim = |mut url: String| {
            while url.ends_with('/') {
                url.pop();
            }
            url
        };
        Self {
            transport,
            urls: PlexTvUrls {
                plex_tv: trim(urls.plex_tv),
                clients_plex_tv: trim(urls.clients_plex_tv),
                auth_app: trim(urls.auth_app),
            },
            pin_polls: Arc::default(),
            share_route: ShareRoute::default(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.urls.plex_tv)
    }

    fn clients_url(&self, path: &str) -> String {
        format!("{}{path}", self.urls.clients_plex_tv)
    }

    /// GETs a v1 (XML-only) document at `path` and decodes it as `T`.
    async fn get_v1_xml<T: serde::de::DeserializeOwned>(
        &self,
        endpoint: &str,
        path: &str,
        token: &crate::PlexToken,
    ) -> crate::Result<T> {
        let url = self.url(path);
        let response = self
            .transport
            .send(endpoint, crate::transport::Family::TvV1, true, || {
                self.transport
                    .request(reqwest::Method::GET, &url, Some(token))
                    .header(reqwest::header::ACCEPT, "application/xml")
            })
            .await?;
        let body = self.transport.text(endpoint, response).await?;
        crate::xml::from_str(endpoint, &body)
    }
}
