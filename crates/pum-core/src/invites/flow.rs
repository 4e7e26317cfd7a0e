//! The public invite page before the redemption: what the invite grants, the invitee's Plex
//! sign-in (a PIN bound to this browser's flow; identity only from plex.tv) and Discord
//! linking (authorization code with a single-use `state`).

use chrono::{DateTime, Duration, Utc};
use plex_client::PinId;
use pum_api_types::invites::{InvitePlexState, InvitePreview, InviteState, InviteeAccount};
use pum_api_types::settings::DiscordLinking;
use pum_db::records::{Invite, InviteFlow, RedemptionState};
use pum_db::repo::{invite_flows, invite_redemptions, invites, libraries, users};
use uuid::Uuid;

use super::{InvitesService, effective_linking, plausible, state_of};
use crate::auth::tokens::{hash_secret, random_secret};
use crate::settings::Key;
use crate::{CoreError, Result};

/// How long a browser's invite flow lives.
const FLOW_LIFETIME: Duration = Duration::hours(1);
/// How long a PIN lives when plex.tv does not say.
const DEFAULT_PIN_SECONDS: i64 = 900;

/// A started sign-in: the browser secret to keep in a cookie and the page to open.
#[derive(Debug, Clone)]
pub struct Started {
    /// The flow's browser secret (new, or the one the browser already had).
    pub secret: String,
    /// When the flow (and so the cookie) ends.
    pub flow_expires_at: DateTime<Utc>,
    /// The Plex or Discord page to open.
    pub auth_url: String,
    /// When the PIN expires (Plex) or the flow does (Discord).
    pub expires_at: DateTime<Utc>,
}

/// Where a Plex sign-in stands after a check.
#[derive(Debug, Clone)]
pub struct PlexCheck {
    /// Pending, signed in or expired.
    pub state: InvitePlexState,
    /// On sign-in: the account's token sealed for this browser (the flow's cookie holds it;
    /// pum stores it nowhere).
    pub sealed_token: Option<String>,
    /// When the flow ends.
    pub flow_expires_at: DateTime<Utc>,
}

fn no_flow() -> CoreError {
    CoreError::NotFound("nothing is in progress for this invite in this browser".to_owned())
}

impl InvitesService {
    /// The invite `code` names (a token or, ignoring case, a custom path); `None` for anything
    /// else, malformed codes included.
    pub async fn find(&self, code: &str) -> Result<Option<Invite>> {
        if !plausible(code) {
            return Ok(None);
        }
        Ok(invites::find_by_code(&self.db, &self.codes.hash(code), code).await?)
    }

    /// This browser's live flow for `invite`.
    pub(super) async fn flow_of(
        &self,
        invite: &Invite,
        secret: Option<&str>,
    ) -> Result<Option<InviteFlow>> {
        let Some(secret) = secret else {
            return Ok(None);
        };
        Ok(invite_flows::find(&self.db, &hash_secret(secret))
            .await?
            .filter(|f| f.invite_id == invite.id && f.expires_at > self.clock.now()))
    }

    /// This browser's flow for `invite`, or a new one (with its secret).
    async fn flow_or_new(
        &self,
        invite: &Invite,
        secret: Option<&str>,
    ) -> Result<(String, InviteFlow, bool)> {
        if let (Some(secret), Some(flow)) = (secret, self.flow_of(invite, secret).await?) {
            return Ok((secret.to_owned(), flow, false));
        }
        let now = self.clock.now();
        invite_flows::delete_expired(&self.db, now).await?;
        let secret = random_secret(32);
        let flow = InviteFlow {
            id: Uuid::new_v4(),
            flow_hash: hash_secret(&secret),
            invite_id: invite.id,
            pin_id: None,
            pin_expires_at: None,
            plex_account_id: None,
            plex_username: None,
            plex_email: None,
            plex_thumb: None,
            plex_problem: None,
            discord_state_hash: None,
            discord_id: None,
            discord_username: None,
            created_at: now,
            expires_at: now + FLOW_LIFETIME,
        };
        Ok((secret, flow, true))
    }

    async fn store(&self, flow: &InviteFlow, new: bool) -> Result<()> {
        if new {
            invite_flows::insert(&self.db, flow).await?;
        } else {
            invite_flows::save(&self.db, flow).await?;
        }
        Ok(())
    }

    /// What the invite page shows, for this browser.
    pub async fn preview(&self, invite: &Invite, secret: Option<&str>) -> Result<InvitePreview> {
        let snapshot = self.settings.snapshot().await?;
        let setup = self.discord_setup(&snapshot)?;
        let flow = self.flow_of(invite, secret).await?;
        let libs = libraries::current(&self.db).await?;
        let titles = libs
            .iter()
            .filter(|l| invite.all_libraries || invite.library_ids.contains(&l.tv_id))
            .map(|l| l.title.clone())
            .collect();
        let mut discord = effective_linking(invite, setup.default);
        if discord == DiscordLinking::Optional && setup.app.is_none() {
            discord = DiscordLinking::Off;
        }
        let account = flow.as_ref().and_then(|f| f.plex_account_id);
        let redeemed = match account {
            Some(account) => invite_redemptions::find(&self.db, invite.id, account)
                .await?
                .is_some_and(|r| r.state == RedemptionState::Shared),
            None => false,
        };
        let plex_problem = match (&flow, account) {
            (Some(flow), Some(account)) if !redeemed => {
                self.problem(flow, account, discord, setup.app.is_some())
                    .await?
            }
            _ => None,
        };
        Ok(InvitePreview {
            app_name: snapshot.app_name(),
            server_name: snapshot.get(Key::PlexServerName).map(str::to_owned),
            state: state_of(invite, self.clock.now()),
            libraries: titles,
            membership_days: invite.membership_days,
            allow_downloads: invite.allow_downloads,
            expires_at: invite.expires_at,
            uses_left: invite.max_uses.map(|max| max.saturating_sub(invite.uses)),
            discord,
            guild_required: invite.require_guild && discord != DiscordLinking::Off,
            plex: flow.as_ref().and_then(|f| {
                f.plex_username.clone().map(|username| InviteeAccount {
                    username,
                    thumb: f.plex_thumb.clone(),
                })
            }),
            plex_problem,
            discord_account: flow.and_then(|f| f.discord_username),
            redeemed,
        })
    }

    /// Why the signed-in account cannot redeem, in plain words; `None` when it can.
    pub(super) async fn problem(
        &self,
        flow: &InviteFlow,
        account: u64,
        discord: DiscordLinking,
        discord_ready: bool,
    ) -> Result<Option<String>> {
        if let Some(problem) = &flow.plex_problem {
            return Ok(Some(problem.clone()));
        }
        if let Some(user) = users::by_account(&self.db, account).await?
            && user.removed_at.is_none()
        {
            let server = self
                .settings
                .snapshot()
                .await?
                .get(Key::PlexServerName)
                .map_or_else(|| "this server".to_owned(), str::to_owned);
            return Ok(Some(format!(
                "You ({}) already have access to {server}; there is nothing to redeem. Open \
                 Plex and start watching.",
                user.name()
            )));
        }
        if discord == DiscordLinking::Required && !discord_ready {
            return Ok(Some(
                "This invite needs a Discord account, but Discord is not set up on this \
                 server yet. Tell the person who invited you."
                    .to_owned(),
            ));
        }
        Ok(None)
    }

    /// Starts the invitee's Plex sign-in; Plex sends the browser back to `forward_url`.
    ///
    /// # Errors
    /// [`CoreError::Plex`] when plex.tv does not give a PIN.
    pub async fn start_plex(
        &self,
        invite: &Invite,
        secret: Option<&str>,
        forward_url: &str,
    ) -> Result<Started> {
        let (secret, mut flow, new) = self.flow_or_new(invite, secret).await?;
        let tv = self.plex.tv();
        let pin = tv.create_pin(true).await?;
        let now = self.clock.now();
        let lifetime = pin
            .expires_in
            .and_then(|s| i64::try_from(s).ok())
            .unwrap_or(DEFAULT_PIN_SECONDS);
        flow.pin_id = Some(pin.id.get());
        flow.pin_expires_at = Some(now + Duration::seconds(lifetime));
        // A new sign-in replaces the account signed in before.
        flow.plex_account_id = None;
        flow.plex_username = None;
        flow.plex_email = None;
        flow.plex_thumb = None;
        flow.plex_problem = None;
        self.store(&flow, new).await?;
        Ok(Started {
            auth_url: tv.auth_url(&pin, Some(forward_url)),
            expires_at: flow.pin_expires_at.unwrap_or(flow.expires_at),
            flow_expires_at: flow.expires_at,
            secret,
        })
    }

    /// Checks this browser's Plex sign-in. On approval the account (as plex.tv names it) is
    /// kept on the flow and its token is returned sealed for the browser.
    ///
    /// # Errors
    /// [`CoreError::NotFound`] when no sign-in is in progress here; [`CoreError::Plex`].
    pub async fn check_plex(&self, invite: &Invite, secret: Option<&str>) -> Result<PlexCheck> {
        let mut flow = self.flow_of(invite, secret).await?.ok_or_else(no_flow)?;
        let check = |state, sealed_token| PlexCheck {
            state,
            sealed_token,
            flow_expires_at: flow.expires_at,
        };
        let Some(pin_id) = flow.pin_id else {
            return if flow.plex_account_id.is_some() {
                Ok(check(InvitePlexState::SignedIn, None))
            } else {
                Err(no_flow())
            };
        };
        let now = self.clock.now();
        let tv = self.plex.tv();
        let expired = flow.pin_expires_at.is_some_and(|at| at <= now);
        let pin = if expired {
            None
        } else {
            match tv.poll_pin(PinId::new(pin_id)).await {
                Ok(pin) => Some(pin),
                Err(plex_client::Error::NotFound { .. }) => None,
                Err(other) => return Err(CoreError::Plex(other)),
            }
        };
        let Some(pin) = pin else {
            flow.pin_id = None;
            flow.pin_expires_at = None;
            invite_flows::save(&self.db, &flow).await?;
            return Ok(check(InvitePlexState::Expired, None));
        };
        let Some(token) = pin.auth_token else {
            return Ok(check(InvitePlexState::Pending, None));
        };
        let account = tv.account(&token).await?;
        let snapshot = self.settings.snapshot().await?;
        let owner = snapshot
            .plex_owner_account_id()
            .and_then(|id| u64::try_from(id).ok());
        flow.pin_id = None;
        flow.pin_expires_at = None;
        flow.plex_account_id = Some(account.id.get());
        flow.plex_username = Some(account.username.clone());
        flow.plex_email = account.email.clone();
        flow.plex_thumb = account.thumb.clone();
        flow.plex_problem = if owner == Some(account.id.get()) {
            Some(
                "This is the server owner's Plex account; it already has everything. Sign in \
                 with the account of the person being invited."
                    .to_owned(),
            )
        } else if !account.confirmed {
            Some(
                "Your Plex account's e-mail address is not verified yet, and Plex will not let \
                 it join a server until it is. Open the e-mail Plex sent you, verify the \
                 address, then sign in here again."
                    .to_owned(),
            )
        } else {
            None
        };
        invite_flows::save(&self.db, &flow).await?;
        let sealed = self.codes.seal_token(flow.id, token.expose_for_storage())?;
        Ok(check(InvitePlexState::SignedIn, Some(sealed)))
    }

    /// Starts linking a Discord account; Discord sends the browser back to `redirect`.
    ///
    /// # Errors
    /// [`CoreError::Conflict`] when this invite has no Discord step or Discord is not set up.
    pub async fn start_discord(
        &self,
        invite: &Invite,
        secret: Option<&str>,
        redirect: &str,
    ) -> Result<Started> {
        let snapshot = self.settings.snapshot().await?;
        let setup = self.discord_setup(&snapshot)?;
        let linking = effective_linking(invite, setup.default);
        let Some(app) = setup.app.filter(|_| linking != DiscordLinking::Off) else {
            return Err(CoreError::Conflict(
                "this invite does not use Discord".to_owned(),
            ));
        };
        if state_of(invite, self.clock.now()) != InviteState::Active {
            return Err(CoreError::Conflict(
                "this invite can no longer be used".to_owned(),
            ));
        }
        let (secret, mut flow, new) = self.flow_or_new(invite, secret).await?;
        let state = random_secret(32);
        flow.discord_state_hash = Some(hash_secret(&state));
        self.store(&flow, new).await?;
        Ok(Started {
            auth_url: self.discord.authorize_url(&app, redirect, &state)?,
            expires_at: flow.expires_at,
            flow_expires_at: flow.expires_at,
            secret,
        })
    }

    /// Finishes linking Discord: `state` must be the one this browser's flow sent, unused; the
    /// code is exchanged, the account read and, where the invite asks for it, its membership
    /// of the Discord server checked. Returns the account's name.
    ///
    /// # Errors
    /// [`CoreError::Invalid`] for a missing, foreign or replayed `state` or a refused code;
    /// [`CoreError::Forbidden`] when the account is not in the required Discord server;
    /// [`CoreError::Discord`] when Discord does not answer.
    pub async fn discord_callback(
        &self,
        secret: Option<&str>,
        code: &str,
        state: &str,
        redirect: &str,
    ) -> Result<String> {
        let bad_state = || {
            CoreError::invalid(
                "state",
                "does not belong to a Discord sign-in started in this browser, or was already \
                 used; go back to the invite and link Discord again",
            )
        };
        let state_hash = hash_secret(state);
        let mut flow = invite_flows::find_by_discord_state(&self.db, &state_hash)
            .await?
            .filter(|f| secret.is_some_and(|s| hash_secret(s) == f.flow_hash))
            .filter(|f| f.expires_at > self.clock.now())
            .ok_or_else(bad_state)?;
        if !invite_flows::take_discord_state(&self.db, flow.id, &state_hash).await? {
            return Err(bad_state());
        }
        let invite = invites::get(&self.db, flow.invite_id)
            .await?
            .ok_or_else(bad_state)?;
        let snapshot = self.settings.snapshot().await?;
        let setup = self.discord_setup(&snapshot)?;
        let app = setup.app.ok_or_else(|| {
            CoreError::Conflict("Discord is no longer set up on this server".to_owned())
        })?;
        let user = self.discord.identify(&app, redirect, code).await?;
        if invite.require_guild {
            self.check_member(setup.bot.as_ref(), &user.id).await?;
        }
        flow.discord_state_hash = None;
        flow.discord_id = Some(user.id);
        flow.discord_username = Some(user.global_name.unwrap_or(user.username));
        invite_flows::save(&self.db, &flow).await?;
        Ok(flow.discord_username.unwrap_or_default())
    }

    /// Fails unless Discord account `user` is in the configured Discord server.
    pub(super) async fn check_member(
        &self,
        bot: Option<&(secrecy::SecretString, String)>,
        user: &str,
    ) -> Result<()> {
        let (token, guild) = bot.ok_or_else(|| {
            CoreError::Conflict(
                "this invite needs Discord server membership, but no bot is set up; tell the \
                 person who invited you"
                    .to_owned(),
            )
        })?;
        if self.discord.is_member(token, guild, user).await? {
            Ok(())
        } else {
            Err(CoreError::Forbidden(
                "this Discord account is not a member of the Discord server this invite \
                 requires; join it first, then link Discord again"
                    .to_owned(),
            ))
        }
    }

    /// Forgets this browser's sign-ins for `invite` ("use another account").
    pub async fn forget(&self, invite: &Invite, secret: Option<&str>) -> Result<()> {
        if let Some(flow) = self.flow_of(invite, secret).await? {
            invite_flows::delete(&self.db, flow.id).await?;
        }
        Ok(())
    }
}
