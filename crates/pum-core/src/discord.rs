//! Discord for invitees: the `OAuth2` authorization-code flow (with a single-use `state`) that
//! tells pum who someone is on Discord, and the bot's check that they are a member of the
//! Discord server. The base URL is configurable so tests point it at a stand-in.

use std::time::Duration;

use oauth2::basic::BasicClient;
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, RedirectUrl, Scope,
    TokenResponse as _, TokenUrl,
};
use secrecy::{ExposeSecret as _, SecretString};
use serde::Deserialize;

use crate::{CoreError, Result};

/// How long one Discord request may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The `OAuth2` application, from the settings.
#[derive(Debug, Clone)]
pub struct DiscordApp {
    /// The application's client id.
    pub client_id: String,
    /// Its client secret.
    pub client_secret: SecretString,
}

/// A Discord account, as `/users/@me` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DiscordUser {
    /// The snowflake id.
    pub id: String,
    /// The username.
    pub username: String,
    /// The display name, when set.
    #[serde(default)]
    pub global_name: Option<String>,
}

/// Talks to Discord.
#[derive(Debug, Clone)]
pub struct Discord {
    http: reqwest::Client,
    base: String,
}

fn unavailable(what: &str, err: impl std::fmt::Display) -> CoreError {
    CoreError::Discord(format!("Discord did not answer {what}: {err}"))
}

/// Adapts reqwest 0.13 to oauth2's HTTP client interface.
async fn oauth_http(
    http: &reqwest::Client,
    request: oauth2::HttpRequest,
) -> std::result::Result<oauth2::HttpResponse, reqwest::Error> {
    let (parts, body) = request.into_parts();
    let response = http
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await?;
    let mut out = oauth2::http::Response::new(Vec::new());
    *out.status_mut() = response.status();
    *out.headers_mut() = response.headers().clone();
    *out.body_mut() = response.bytes().await?.to_vec();
    Ok(out)
}

impl Discord {
    /// Discord at `base` (`https://discord.com` in production).
    ///
    /// # Errors
    /// When the HTTP client cannot be built.
    pub fn new(base: &str) -> Result<Self> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            // A token endpoint never needs a redirect (oauth2's advice against SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| CoreError::Internal(format!("building the Discord client: {e}")))?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
        })
    }

    fn client(
        &self,
        app: &DiscordApp,
        redirect: &str,
    ) -> Result<
        BasicClient<
            oauth2::EndpointSet,
            oauth2::EndpointNotSet,
            oauth2::EndpointNotSet,
            oauth2::EndpointNotSet,
            oauth2::EndpointSet,
        >,
    > {
        let bad = |what: &str, e: &dyn std::fmt::Display| {
            CoreError::Internal(format!("the Discord {what} is not a valid URL: {e}"))
        };
        Ok(BasicClient::new(ClientId::new(app.client_id.clone()))
            .set_client_secret(ClientSecret::new(
                app.client_secret.expose_secret().to_owned(),
            ))
            .set_auth_type(AuthType::RequestBody)
            .set_auth_uri(
                AuthUrl::new(format!("{}/oauth2/authorize", self.base))
                    .map_err(|e| bad("authorize address", &e))?,
            )
            .set_token_uri(
                TokenUrl::new(format!("{}/api/oauth2/token", self.base))
                    .map_err(|e| bad("token address", &e))?,
            )
            .set_redirect_uri(
                RedirectUrl::new(redirect.to_owned()).map_err(|e| bad("redirect address", &e))?,
            ))
    }

    /// The page that asks the person to let pum see their Discord account (`identify` only),
    /// carrying `state`.
    ///
    /// # Errors
    /// When an address is malformed.
    pub fn authorize_url(&self, app: &DiscordApp, redirect: &str, state: &str) -> Result<String> {
        let owned = state.to_owned();
        let (url, _) = self
            .client(app, redirect)?
            .authorize_url(move || CsrfToken::new(owned))
            .add_scope(Scope::new("identify".to_owned()))
            .add_extra_param("prompt", "none")
            .url();
        Ok(url.to_string())
    }

    /// Exchanges `code` for a token and reads who it belongs to. The token is then dropped.
    ///
    /// # Errors
    /// [`CoreError::Invalid`] when Discord refuses the code; [`CoreError::Discord`] when it
    /// does not answer.
    pub async fn identify(
        &self,
        app: &DiscordApp,
        redirect: &str,
        code: &str,
    ) -> Result<DiscordUser> {
        let token = self
            .client(app, redirect)?
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .request_async(&|request| oauth_http(&self.http, request))
            .await
            .map_err(|err| match err {
                oauth2::RequestTokenError::ServerResponse(refusal) => CoreError::invalid(
                    "code",
                    format!(
                        "Discord refused the sign-in ({}); try linking Discord again",
                        refusal.error()
                    ),
                ),
                other => unavailable("the sign-in", other),
            })?;
        let response = self
            .http
            .get(format!("{}/api/v10/users/@me", self.base))
            .bearer_auth(token.access_token().secret())
            .send()
            .await
            .map_err(|e| unavailable("who the account is", e))?;
        if !response.status().is_success() {
            return Err(unavailable("who the account is", response.status()));
        }
        response
            .json::<DiscordUser>()
            .await
            .map_err(|e| unavailable("who the account is", e))
    }

    /// Whether Discord account `user` is a member of server `guild`, asked as the bot.
    ///
    /// # Errors
    /// [`CoreError::Discord`] when Discord does not answer or refuses the bot.
    pub async fn is_member(
        &self,
        bot_token: &SecretString,
        guild: &str,
        user: &str,
    ) -> Result<bool> {
        let response = self
            .http
            .get(format!(
                "{}/api/v10/guilds/{guild}/members/{user}",
                self.base
            ))
            .header(
                reqwest::header::AUTHORIZATION,
                format!("Bot {}", bot_token.expose_secret()),
            )
            .send()
            .await
            .map_err(|e| unavailable("the membership check", e))?;
        match response.status().as_u16() {
            200 => Ok(true),
            404 => Ok(false),
            status => Err(unavailable(
                "the membership check",
                format!("HTTP {status}; check the bot token and that the bot is in the server"),
            )),
        }
    }
}
