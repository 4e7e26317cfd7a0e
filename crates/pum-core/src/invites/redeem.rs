//! Redeeming an invite: pre-flight checks in plain words, a use claimed atomically before
//! Plex is asked (security-reliability.md §2.1), the share created (an "already sharing"
//! answer becomes an update; an unclear failure is settled by looking at Plex's share list),
//! the share accepted with the invitee's own token (§5.9), and the user and the redemption
//! written in one transaction. A failure after the claim gives the use back, or, when the
//! outcome on Plex is unknown, leaves the claim for a retry or the reconciler.

use chrono::{DateTime, Duration, Utc};
use plex_client::tv::{Invitee, ShareSettings, SharedServer};
use plex_client::{PlexAccountId, PlexToken, PlexTvSectionId, SharedServerId};
use pum_api_types::invites::{InviteAccepted, InviteState};
use pum_api_types::settings::DiscordLinking;
use pum_db::records::{
    Invite, InviteFlow, Library, LocalFacts, PlexFacts, Redemption, RedemptionState, User,
};
use pum_db::repo::invite_redemptions::{self, Claim};
use pum_db::repo::{invite_flows, invites, users};
use serde_json::json;
use uuid::Uuid;

use super::{InvitesService, effective_linking, state_of, target};
use crate::events::Actor;
use crate::plex::{Connected, within_deadline};
use crate::settings::Key;
use crate::users::access::refresh_libraries;
use crate::{CoreError, Result};

/// How long a request holds its claim before a retry or the reconciler may take it over.
pub(super) const CLAIM_HOLD: Duration = Duration::minutes(5);

/// Who is redeeming: the browser's flow and the invitee's token (opened from the cookie).
pub struct Redeemer<'a> {
    /// This browser's flow secret.
    pub secret: Option<&'a str>,
    /// The token sealed into the browser's cookie at sign-in.
    pub sealed_token: Option<&'a str>,
    /// The invitee's address.
    pub ip: Option<String>,
}

/// How a share attempt ended.
pub(super) enum Shared {
    /// Plex shares the server with the invitee: the share and whether it is still pending.
    Done(SharedServer),
    /// Plex said no; nothing was shared.
    Refused(String),
}

fn conflict(text: &str) -> CoreError {
    CoreError::Conflict(text.to_owned())
}

fn unavailable_message(state: InviteState) -> &'static str {
    match state {
        InviteState::Expired => "This invite has expired. Ask for a new one.",
        InviteState::Disabled => "This invite has been switched off. Ask for a new one.",
        InviteState::UsedUp | InviteState::Active => {
            "Every place on this invite has been taken. Ask for a new one."
        }
    }
}

/// Whether an error leaves open whether Plex did the thing (a 5xx, no answer, an unreadable
/// answer), as opposed to a clear "no".
fn unclear(err: &CoreError) -> bool {
    match err {
        CoreError::Plex(
            plex_client::Error::Rejected { status, .. } | plex_client::Error::Status { status, .. },
        ) => *status >= 500,
        CoreError::Plex(
            plex_client::Error::Transport { .. } | plex_client::Error::Decode { .. },
        ) => true,
        _ => false,
    }
}

fn plex_reason(err: &CoreError) -> String {
    match err {
        CoreError::Plex(plex_client::Error::Rejected { message, .. }) => message.clone(),
        CoreError::Plex(plex_client::Error::RateLimited { .. }) => {
            "Plex is busy right now; try again in a few minutes".to_owned()
        }
        other => other.to_string(),
    }
}

impl InvitesService {
    /// Redeems `invite` for the Plex account signed in in this browser.
    ///
    /// # Errors
    /// [`CoreError::Conflict`] with a sentence for the invitee (sign in first, already a user,
    /// not verified, Discord needed, used up, expired, switched off, in progress);
    /// [`CoreError::Forbidden`] when the Discord account is not in the required server;
    /// [`CoreError::Plex`] when Plex refused (its reason is in the message).
    pub async fn accept(&self, invite: &Invite, who: &Redeemer<'_>) -> Result<InviteAccepted> {
        let flow = self
            .flow_of(invite, who.secret)
            .await?
            .filter(|f| f.plex_account_id.is_some())
            .ok_or_else(|| conflict("Sign in with Plex first."))?;
        let account = flow.plex_account_id.unwrap_or_default();
        let token = who
            .sealed_token
            .and_then(|sealed| self.codes.open_token(flow.id, sealed))
            .map(PlexToken::new)
            .ok_or_else(|| conflict("Your Plex sign-in has lapsed; sign in with Plex again."))?;
        if let Some(done) = invite_redemptions::find(&self.db, invite.id, account).await?
            && done.state == RedemptionState::Shared
        {
            return self.accepted_view(invite, &done).await;
        }
        let snapshot = self.settings.snapshot().await?;
        let setup = self.discord_setup(&snapshot)?;
        let linking = effective_linking(invite, setup.default);
        if let Some(problem) = self
            .problem(&flow, account, linking, setup.app.is_some())
            .await?
        {
            return Err(CoreError::Conflict(problem));
        }
        if linking == DiscordLinking::Required && flow.discord_id.is_none() {
            return Err(conflict("Link your Discord account first."));
        }
        if invite.require_guild
            && linking != DiscordLinking::Off
            && let Some(discord) = &flow.discord_id
        {
            // Checked again now: membership can end between linking and accepting.
            self.check_member(setup.bot.as_ref(), discord).await?;
        }
        let now = self.clock.now();
        let attempt = attempt_of(invite, &flow, who.ip.clone(), now);
        match invite_redemptions::claim(&self.db, &attempt, now).await? {
            Claim::AlreadyShared(done) => self.accepted_view(invite, &done).await,
            Claim::InProgress => Err(conflict(
                "This invite is being redeemed for your account right now; wait a moment and \
                 reload the page.",
            )),
            Claim::Unavailable => {
                let current = invites::get(&self.db, invite.id).await?;
                let state = current.map_or(InviteState::Disabled, |i| state_of(&i, now));
                self.events
                    .record(
                        "invites.redeem",
                        &invitee(&attempt),
                        Some(&target(invite.id)),
                        false,
                        json!({ "reason": unavailable_message(state) }),
                    )
                    .await;
                Err(conflict(unavailable_message(state)))
            }
            Claim::Claimed { redemption, .. } => {
                let done = self.fulfil(invite, redemption, Some(&token)).await?;
                invite_flows::delete(&self.db, flow.id).await?;
                self.accepted_view(invite, &done).await
            }
        }
    }

    /// Carries out a claimed redemption: share, accept, record. On a clear refusal the use is
    /// given back; on an unclear failure the claim is let go for a retry or the reconciler.
    pub(super) async fn fulfil(
        &self,
        invite: &Invite,
        mut redemption: Redemption,
        invitee_token: Option<&PlexToken>,
    ) -> Result<Redemption> {
        let outcome = self.share(invite, &redemption).await;
        let (share, libs) = match outcome {
            Ok((Shared::Done(share), libs)) => (share, libs),
            Ok((Shared::Refused(reason), _)) => {
                self.give_back(&redemption, &format!("Plex refused: {reason}"))
                    .await?;
                return Err(CoreError::Plex(plex_client::Error::Rejected {
                    endpoint: "POST /api/servers/{machineIdentifier}/shared_servers".to_owned(),
                    status: 400,
                    code: None,
                    message: reason,
                }));
            }
            Err(err) if unclear(&err) => {
                self.let_go(&redemption, &format!("Plex did not answer clearly: {err}"))
                    .await;
                return Err(err);
            }
            Err(err) => {
                self.give_back(&redemption, &format!("Plex refused: {}", plex_reason(&err)))
                    .await?;
                return Err(err);
            }
        };
        let mut accepted = !share.pending;
        if share.pending
            && let Some(token) = invitee_token
        {
            accepted = self.accept_for_invitee(token, share.id).await;
        }
        redemption.accepted = accepted;
        redemption.message = if accepted {
            "Libraries shared and the share accepted.".to_owned()
        } else {
            "Libraries shared; the invitee still has to accept the share in Plex.".to_owned()
        };
        let now = self.clock.now();
        let existing = users::by_account(&self.db, redemption.plex_account_id).await?;
        let user = user_of(invite, &redemption, &share, &libs, existing.as_ref(), now);
        redemption.user_id = Some(user.id);
        match invite_redemptions::complete(&self.db, &redemption, &user, existing.is_none(), now)
            .await
        {
            Ok(true) => {}
            Ok(false) => {
                return Err(conflict(
                    "This redemption was finished by another request; reload the page.",
                ));
            }
            Err(err) => {
                self.let_go(&redemption, "the database failed after Plex shared")
                    .await;
                return Err(err.into());
            }
        }
        redemption.state = RedemptionState::Shared;
        self.events
            .record(
                "invites.redeem",
                &invitee(&redemption),
                Some(&target(invite.id)),
                true,
                json!({
                    "user_id": user.id,
                    "account": redemption.plex_account_id,
                    "libraries": user.plex.library_ids,
                    "accepted": accepted,
                    "expires_at": user.local.expires_at,
                }),
            )
            .await;
        Ok(redemption)
    }

    /// Shares the invite's libraries with the redeemer. Idempotent: an existing share gains
    /// the invite's libraries; an unclear answer is settled by Plex's share list.
    async fn share(
        &self,
        invite: &Invite,
        redemption: &Redemption,
    ) -> Result<(Shared, Vec<Library>)> {
        let plex = self.plex.connected().await?;
        let now = self.clock.now();
        let libs = refresh_libraries(&self.db, &plex, now).await?;
        let wanted: Vec<u64> = libs
            .iter()
            .map(|l| l.tv_id)
            .filter(|id| invite.all_libraries || invite.library_ids.contains(id))
            .collect();
        if wanted.is_empty() {
            return Ok((
                Shared::Refused(
                    "none of this invite's libraries exist on the server any more".to_owned(),
                ),
                libs,
            ));
        }
        let account = PlexAccountId::new(redemption.plex_account_id);
        if let Some(existing) = find_share(&plex, account).await? {
            let share = self.widen(&plex, existing, &wanted).await?;
            return Ok((Shared::Done(share), libs));
        }
        let sections: Vec<PlexTvSectionId> =
            wanted.iter().copied().map(PlexTvSectionId::new).collect();
        let settings = ShareSettings {
            allow_sync: invite.allow_downloads,
            ..ShareSettings::default()
        };
        let created = within_deadline(
            "POST /api/servers/{machineIdentifier}/shared_servers",
            plex.tv.share_server(
                &plex.token,
                &plex.machine,
                &Invitee::Account(account),
                &sections,
                &settings,
            ),
        )
        .await;
        match created {
            Ok(_) => {}
            Err(err) if unclear(&err) || already_sharing(&err) => {
                // Plex may have shared anyway; its list says.
                return match find_share(&plex, account).await? {
                    Some(share) => {
                        Ok((Shared::Done(self.widen(&plex, share, &wanted).await?), libs))
                    }
                    None if already_sharing(&err) => Ok((Shared::Refused(plex_reason(&err)), libs)),
                    None => Err(err),
                };
            }
            Err(CoreError::Plex(plex_client::Error::Rejected { message, .. })) => {
                return Ok((Shared::Refused(message), libs));
            }
            Err(err) => return Err(err),
        }
        let share = find_share(&plex, account).await?.ok_or_else(|| {
            CoreError::Plex(plex_client::Error::Decode {
                endpoint: "GET /api/servers/{machineIdentifier}/shared_servers".to_owned(),
                message: "the new share is not in the server's share list".to_owned(),
            })
        })?;
        Ok((Shared::Done(share), libs))
    }

    /// Makes an existing share include `wanted` (never takes a library away).
    async fn widen(
        &self,
        plex: &Connected,
        share: SharedServer,
        wanted: &[u64],
    ) -> Result<SharedServer> {
        let mut ids: Vec<u64> = share
            .sections
            .iter()
            .filter(|s| s.shared)
            .map(|s| s.id.get())
            .collect();
        if wanted.iter().all(|id| ids.contains(id)) {
            return Ok(share);
        }
        ids.extend_from_slice(wanted);
        ids.sort_unstable();
        ids.dedup();
        let sections: Vec<PlexTvSectionId> =
            ids.iter().copied().map(PlexTvSectionId::new).collect();
        within_deadline(
            "PUT /api/servers/{machineIdentifier}/shared_servers/{id}",
            plex.tv
                .update_shared_libraries(&plex.token, &plex.machine, share.id, &sections),
        )
        .await?;
        let account = share.user_id.unwrap_or(PlexAccountId::new(0));
        Ok(find_share(plex, account).await?.unwrap_or(share))
    }

    /// Accepts share `share` with the invitee's own token (§5.9). `false` when Plex would not
    /// (an unverified e-mail, say): the invitee then accepts it in Plex.
    async fn accept_for_invitee(&self, token: &PlexToken, share: SharedServerId) -> bool {
        let tv = self.plex.tv();
        let waiting = within_deadline(
            "GET /api/v2/shared_servers/invites/received/pending",
            tv.received_invites(token),
        )
        .await;
        let offered = match waiting {
            Ok(invites) => invites
                .iter()
                .flat_map(|i| i.shares.iter())
                .any(|s| s.id == share),
            Err(err) => {
                tracing::warn!(error = %err, "could not list the invitee's pending invites");
                return false;
            }
        };
        if !offered {
            return false;
        }
        match within_deadline(
            "POST /api/v2/shared_servers/{id}/accept",
            tv.accept_invite(token, share),
        )
        .await
        {
            Ok(()) => true,
            Err(err) => {
                tracing::warn!(error = %err, "could not accept the share for the invitee");
                false
            }
        }
    }

    /// Gives the use back (a clear failure).
    async fn give_back(&self, redemption: &Redemption, message: &str) -> Result<()> {
        invite_redemptions::release(&self.db, redemption, message, self.clock.now()).await?;
        self.events
            .record(
                "invites.redeem",
                &invitee(redemption),
                Some(&target(redemption.invite_id)),
                false,
                json!({ "reason": message }),
            )
            .await;
        Ok(())
    }

    /// Lets go of the claim (an unclear failure): a retry or the reconciler settles it.
    async fn let_go(&self, redemption: &Redemption, message: &str) {
        if let Err(err) =
            invite_redemptions::abandon(&self.db, redemption.id, message, self.clock.now()).await
        {
            tracing::error!(error = %err, "could not let go of an invite claim; it lapses by itself");
        }
        self.events
            .record(
                "invites.redeem",
                &invitee(redemption),
                Some(&target(redemption.invite_id)),
                false,
                json!({ "reason": message, "settled_later": true }),
            )
            .await;
    }

    async fn accepted_view(&self, invite: &Invite, done: &Redemption) -> Result<InviteAccepted> {
        let snapshot = self.settings.snapshot().await?;
        let user = match done.user_id {
            Some(id) => users::get(&self.db, id).await?,
            None => None,
        };
        let libs = pum_db::repo::libraries::current(&self.db).await?;
        let shared: Vec<u64> = user.as_ref().map_or_else(
            || invite.library_ids.clone(),
            |u| u.plex.library_ids.clone(),
        );
        Ok(InviteAccepted {
            server_name: snapshot.get(Key::PlexServerName).map(str::to_owned),
            username: done.username.clone(),
            libraries: libs
                .iter()
                .filter(|l| shared.contains(&l.tv_id))
                .map(|l| l.title.clone())
                .collect(),
            expires_at: user.and_then(|u| u.local.expires_at),
            accepted: done.accepted,
        })
    }
}

fn already_sharing(err: &CoreError) -> bool {
    matches!(err, CoreError::Plex(plex_client::Error::Rejected { message, .. })
        if message.to_lowercase().contains("already sharing"))
}

/// This server's share with `account`, from Plex's own list.
pub(super) async fn find_share(
    plex: &Connected,
    account: PlexAccountId,
) -> Result<Option<SharedServer>> {
    let shares = within_deadline(
        "GET /api/servers/{machineIdentifier}/shared_servers",
        plex.tv.shared_servers(&plex.token, &plex.machine),
    )
    .await?;
    Ok(shares.into_iter().find(|s| s.user_id == Some(account)))
}

/// The event-log actor for the invitee.
pub(super) fn invitee(redemption: &Redemption) -> Actor {
    Actor {
        name: Some(redemption.username.clone()),
        id: Some(format!("plex:{}", redemption.plex_account_id)),
        ..Actor::anonymous(redemption.ip.clone())
    }
}

fn attempt_of(
    invite: &Invite,
    flow: &InviteFlow,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Redemption {
    Redemption {
        id: Uuid::new_v4(),
        invite_id: invite.id,
        plex_account_id: flow.plex_account_id.unwrap_or_default(),
        username: flow.plex_username.clone().unwrap_or_default(),
        email: flow.plex_email.clone(),
        thumb: flow.plex_thumb.clone(),
        discord_id: flow.discord_id.clone(),
        discord_username: flow.discord_username.clone(),
        ip,
        state: RedemptionState::Claimed,
        claimed_until: Some(now + CLAIM_HOLD),
        accepted: false,
        message: "Sharing on Plex…".to_owned(),
        user_id: None,
        created_at: now,
        updated_at: now,
    }
}

/// The user a redemption makes: Plex facts from the share, the membership from the invite,
/// the Discord link from the page; an existing record (someone who left and came back) keeps
/// its notes and whitelist.
pub(super) fn user_of(
    invite: &Invite,
    redemption: &Redemption,
    share: &SharedServer,
    libs: &[Library],
    existing: Option<&User>,
    now: DateTime<Utc>,
) -> User {
    let shared: Vec<u64> = share
        .sections
        .iter()
        .filter(|s| s.shared)
        .map(|s| s.id.get())
        .filter(|id| libs.iter().any(|l| l.tv_id == *id))
        .collect();
    let plex = PlexFacts {
        account_id: redemption.plex_account_id,
        uuid: existing.and_then(|u| u.plex.uuid.clone()),
        username: Some(redemption.username.clone()),
        title: redemption.username.clone(),
        email: redemption.email.clone(),
        thumb: redemption.thumb.clone(),
        home: false,
        managed: false,
        share_id: Some(share.id.get()),
        library_ids: shared,
        all_libraries: false,
        allow_sync: share.allow_sync,
        allow_channels: false,
        allow_camera_upload: false,
        filter_movies: String::new(),
        filter_television: String::new(),
        filter_music: String::new(),
        pending: !redemption.accepted,
        shares_back: existing.is_some_and(|u| u.plex.shares_back),
        last_seen_at: existing.and_then(|u| u.plex.last_seen_at),
    };
    let mut local: LocalFacts = existing.map(|u| u.local.clone()).unwrap_or_default();
    local.expires_at = invite
        .membership_days
        .map(|days| now + Duration::days(i64::from(days)));
    if redemption.discord_id.is_some() {
        local.discord_id.clone_from(&redemption.discord_id);
        local
            .discord_username
            .clone_from(&redemption.discord_username);
    }
    User {
        id: existing.map_or_else(Uuid::new_v4, |u| u.id),
        plex,
        local,
        removed_at: None,
        created_at: existing.map_or(now, |u| u.created_at),
        updated_at: now,
    }
}
