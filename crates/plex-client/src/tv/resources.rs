//! `GET /api/v2/resources`: the account's devices and the servers shared with it
//! (plex-api.md §3.1, §5.11).

use reqwest::Method;
use serde::Deserialize;

use super::PlexTv;
use crate::transport::Family;
use crate::{MachineIdentifier, PlexAccountId, PlexToken, Result};

/// A device or server on the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// The name.
    pub name: String,
    /// For servers, the machine identifier.
    pub client_identifier: MachineIdentifier,
    /// What it provides (`server`, `client`, `player`, …).
    pub provides: Vec<String>,
    /// The account owns it. Servers shared *with* the account are not owned.
    pub owned: bool,
    /// For shared servers: the owner's plex.tv id (the "shares back" signal).
    pub owner_id: Option<PlexAccountId>,
    /// For shared servers: the owner's username.
    pub source_title: Option<String>,
    /// The token to use against this resource (admin token for owned servers).
    pub access_token: Option<crate::PlexToken>,
    /// Whether plex.tv sees it online.
    pub presence: bool,
    /// Ways to reach it.
    pub connections: Vec<Connection>,
}

/// One address of a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// `http` or `https`.
    pub protocol: String,
    /// The full URI.
    pub uri: String,
    /// On the same network as plex.tv saw the resource.
    pub local: bool,
    /// Through Plex's relay.
    pub relay: bool,
}

impl Resource {
    /// Whether this resource is a Plex Media Server.
    pub fn is_server(&self) -> bool {
        self.provides.iter().any(|p| p == "server")
    }

    /// The preferred connection: local before remote before relay, https before http; local
    /// addresses of servers the account does not own are skipped (python-plexapi's order).
    pub fn best_connection(&self) -> Option<&Connection> {
        let rank = |c: &Connection| {
            // 0 local, 1 remote, 2 relay.
            let place = if c.relay { 2 } else { u8::from(!c.local) };
            (place, u8::from(c.protocol != "https"))
        };
        self.connections
            .iter()
            .filter(|c| self.owned || !c.local)
            .min_by_key(|c| rank(c))
    }
}

/// A resource in JSON, or (with the `@` aliases) XML's `<resource>`; `C` is how the format
/// lists connections.
#[derive(Deserialize)]
#[serde(
    rename_all = "camelCase",
    bound(deserialize = "C: Deserialize<'de> + Default")
)]
struct WireResource<C> {
    #[serde(alias = "@name", default)]
    name: String,
    #[serde(alias = "@clientIdentifier", default)]
    client_identifier: String,
    #[serde(alias = "@provides", default)]
    provides: String,
    #[serde(alias = "@owned", default)]
    owned: bool,
    #[serde(alias = "@ownerId", default)]
    owner_id: Option<u64>,
    #[serde(alias = "@sourceTitle", default)]
    source_title: Option<String>,
    #[serde(alias = "@accessToken", default)]
    access_token: Option<String>,
    #[serde(alias = "@presence", default)]
    presence: bool,
    #[serde(default)]
    connections: C,
}

/// XML: `<MediaContainer><resource>…</resource></MediaContainer>`.
#[derive(Deserialize)]
struct XmlResources {
    #[serde(rename = "resource", default)]
    items: Vec<WireResource<XmlConnections>>,
}

/// XML: `<connections><connection/>…</connections>`.
#[derive(Deserialize, Default)]
struct XmlConnections {
    #[serde(rename = "connection", default)]
    items: Vec<WireConnection>,
}

#[derive(Deserialize)]
struct WireConnection {
    #[serde(alias = "@protocol", default)]
    protocol: String,
    #[serde(alias = "@uri", default)]
    uri: String,
    #[serde(alias = "@local", default)]
    local: bool,
    #[serde(alias = "@relay", default)]
    relay: bool,
}

impl<C> WireResource<C> {
    fn convert(self, connections: Vec<WireConnection>) -> Resource {
        Resource {
            name: self.name,
            client_identifier: MachineIdentifier::new(self.client_identifier),
            provides: self
                .provides
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
            owned: self.owned,
            owner_id: self.owner_id.map(PlexAccountId::new),
            source_title: self.source_title.filter(|s| !s.is_empty()),
            access_token: self
                .access_token
                .filter(|t| !t.is_empty())
                .map(crate::PlexToken::new),
            presence: self.presence,
            connections: connections
                .into_iter()
                .map(|c| Connection {
                    protocol: c.protocol,
                    uri: c.uri,
                    local: c.local,
                    relay: c.relay,
                })
                .collect(),
        }
    }
}

impl PlexTv {
    /// The account's resources, including servers shared with it, with https and relay
    /// connections.
    ///
    /// # Errors
    /// [`crate::Error::Unauthorized`] for a bad token, or any other error.
    pub async fn resources(&self, token: &PlexToken) -> Result<Vec<Resource>> {
        const ENDPOINT: &str = "GET /api/v2/resources";
        let url = self.url("/api/v2/resources");
        self.transport
            .body(ENDPOINT, Family::TvV2, true, || {
                self.transport
                    .request(Method::GET, &url, Some(token))
                    .query(&[("includeHttps", "1"), ("includeRelay", "1")])
            })
            .await?
            .decode(
                ENDPOINT,
                |json: Vec<WireResource<Vec<WireConnection>>>| {
                    json.into_iter()
                        .map(|mut r| {
                            let connections = std::mem::take(&mut r.connections);
                            r.convert(connections)
                        })
                        .collect()
                },
                |xml: XmlResources| {
                    xml.items
                        .into_iter()
                        .map(|mut r| {
                            let connections = std::mem::take(&mut r.connections.items);
                            r.convert(connections)
                        })
                        .collect()
                },
            )
    }
}
