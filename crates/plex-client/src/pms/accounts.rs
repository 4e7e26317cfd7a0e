//! `GET /accounts` (plex-api.md §6.7): the server's local account list.

use serde::Deserialize;

use super::{Envelope, Pms};
use crate::Result;
use crate::value::json_u64;

/// An account the server knows. Id 1 is the owner; 0 is a nameless system entry; the rest
/// are plex.tv account ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerAccount {
    /// PMS account id (the plex.tv id, except 1 for the owner).
    pub id: u64,
    /// The account's name; empty for the system entry.
    pub name: String,
}

#[derive(Deserialize)]
struct Container {
    #[serde(rename = "Account", default)]
    accounts: Vec<WireAccount>,
}

#[derive(Deserialize)]
struct WireAccount {
    #[serde(alias = "@id")]
    id: serde_json::Value,
    #[serde(alias = "@name", default)]
    name: String,
}

impl Pms {
    /// `GET /accounts`: who has ever used the server (owner token needed).
    ///
    /// # Errors
    /// [`crate::Error::Unauthorized`] without the owner's token, or any other error.
    pub async fn accounts(&self) -> Result<Vec<ServerAccount>> {
        const ENDPOINT: &str = "GET /accounts";
        let accounts = self.get(ENDPOINT, "/accounts", &[]).await?.decode(
            ENDPOINT,
            |json: Envelope<Container>| json.container.accounts,
            |xml: Container| xml.accounts,
        )?;
        Ok(accounts
            .into_iter()
            .filter_map(|a| {
                Some(ServerAccount {
                    id: json_u64(Some(&a.id))?,
                    name: a.name,
                })
            })
            .collect())
    }
}
