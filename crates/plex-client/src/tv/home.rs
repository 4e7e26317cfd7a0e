//! Plex Home (plex-api.md §5.10): list members, create a managed user, invite an account.

use reqwest::Method;
use serde::Deserialize;

use super::PlexTv;
use crate::transport::Family;
use crate::xml::{flag, number, text};
use crate::{PlexAccountId, PlexToken, Result};

/// A member of the account's Plex Home, the admin included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeUser {
    /// plex.tv account id.
    pub id: PlexAccountId,
    /// Stable uuid.
    pub uuid: String,
    /// Display title.
    pub title: String,
    /// Username; managed users have none.
    pub username: Option<String>,
    /// E-mail; managed users have none.
    pub email: Option<String>,
    /// The Home's administrator (the signed-in owner).
    pub admin: bool,
    /// A managed (restricted) user.
    pub restricted: bool,
    /// Protected by a PIN.
    pub protected: bool,
}

#[derive(Deserialize)]
struct WireContainer {
    #[serde(rename = "User", default)]
    users: Vec<WireUser>,
}

#[derive(Deserialize)]
struct WireUser {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@uuid", default)]
    uuid: String,
    #[serde(rename = "@title", default)]
    title: String,
    #[serde(rename = "@username")]
    username: Option<String>,
    #[serde(rename = "@email")]
    email: Option<String>,
    #[serde(rename = "@admin")]
    admin: Option<String>,
    #[serde(rename = "@restricted")]
    restricted: Option<String>,
    #[serde(rename = "@protected")]
    protected: Option<String>,
}

/// `POST /api/home/users` answers with the member as the root element.
#[derive(Deserialize)]
struct WireCreated {
    #[serde(rename = "@id")]
    id: String,
}

impl PlexTv {
    /// `GET /api/home/users` (v1 XML): the Home, the admin and managed users included.
    ///
    /// # Errors
    /// Any [`crate::Error`].
    pub async fn home_users(&self, token: &PlexToken) -> Result<Vec<HomeUser>> {
        let container: WireContainer = self
            .get_v1_xml("GET /api/home/users", "/api/home/users", token)
            .await?;
        Ok(container
            .users
            .into_iter()
            .filter_map(|u| {
                Some(HomeUser {
                    id: PlexAccountId::new(number(Some(&u.id))?),
                    uuid: u.uuid,
                    title: u.title,
                    username: text(u.username),
                    email: text(u.email),
                    admin: flag(u.admin.as_deref()),
                    restricted: flag(u.restricted.as_deref()),
                    protected: flag(u.protected.as_deref()),
                })
            })
            .collect())
    }

    /// `POST /api/home/users?title=…`: creates a managed Home user and returns its id; share
    /// libraries with it afterwards by account id.
    ///
    /// # Errors
    /// Any [`crate::Error`].
    pub async fn create_managed_user(
        &self,
        token: &PlexToken,
        title: &str,
    ) -> Result<PlexAccountId> {
        self.post_home_user(token, ("title", title)).await
    }

    /// `POST /api/home/users?invitedEmail=…`: invites an existing account into the Home.
    /// Needs Plex Pass; plex.tv says "Invite a user requires a Plex Pass" otherwise
    /// ([`crate::Error::Rejected`]).
    ///
    /// # Errors
    /// Any [`crate::Error`].
    pub async fn invite_home_user(
        &self,
        token: &PlexToken,
        email_or_username: &str,
    ) -> Result<PlexAccountId> {
        self.post_home_user(token, ("invitedEmail", email_or_username))
            .await
    }

    async fn post_home_user(
        &self,
        token: &PlexToken,
        query: (&str, &str),
    ) -> Result<PlexAccountId> {
        const ENDPOINT: &str = "POST /api/home/users";
        let url = self.url("/api/home/users");
        let response = self
            .transport
            .send(ENDPOINT, Family::TvV1, false, || {
                self.transport
                    .request(Method::POST, &url, Some(token))
                    .header(reqwest::header::ACCEPT, "application/xml")
                    .query(&[query])
            })
            .await?;
        let body = self.transport.text(ENDPOINT, response).await?;
        let created: WireCreated = crate::xml::from_str(ENDPOINT, &body)?;
        number(Some(&created.id))
            .map(PlexAccountId::new)
            .ok_or_else(|| crate::Error::Decode {
                endpoint: ENDPOINT.to_owned(),
                message: "the answer has no member id".to_owned(),
            })
    }
}
