//! Invites: links admins make (`mod.rs`: create, edit, disable, delete, list), the public
//! page's sign-ins (`flow.rs`: Plex PIN and Discord, bound to one browser), redemption with
//! race-safe use counting (`redeem.rs`), and the repair of redemptions a request left
//! half-done (`reconcile.rs`, a job).

mod codes;
mod flow;
mod handler;
mod reconcile;
mod redeem;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use pum_api_types::invites::{CreateInviteRequest, InviteState, UpdateInviteRequest};
use pum_api_types::settings::DiscordLinking;
use pum_db::records::{Invite, Redemption};
use pum_db::repo::{invite_redemptions, invites, libraries};
use pum_db::{Db, DbError};
use secrecy::SecretString;
use serde_json::json;
use uuid::Uuid;

pub use codes::{InviteCodes, check_custom_path, plausible};
pub use flow::{PlexCheck, Started};
pub use reconcile::Reconciled;
pub use redeem::Redeemer;

use crate::auth::Principal;
use crate::discord::{Discord, DiscordApp};
use crate::events::EventLog;
use crate::jobs::{JobKind, JobsService};
use crate::plex::PlexService;
use crate::settings::{Key, SettingsService, Snapshot};
use crate::{Clock, CoreError, Result};

/// Most uses one invite may allow.
pub const MAX_USES: u32 = 10_000;
/// Longest membership, in days.
pub const MAX_MEMBERSHIP_DAYS: u32 = 3650;
/// Longest note, in characters.
pub const MAX_NOTE: usize = 500;

/// An invite with what admins see of it.
#[derive(Debug, Clone)]
pub struct InviteInfo {
    /// The stored invite.
    pub invite: Invite,
    /// Its code (the custom path, or the random token opened from its sealed copy); `None`
    /// when the installation key can no longer open it.
    pub code: Option<String>,
    /// Where it stands now.
    pub state: InviteState,
    /// The Discord rule in effect.
    pub effective_discord: DiscordLinking,
}

/// The invites use cases.
#[derive(Debug, Clone)]
pub struct InvitesService {
    db: Db,
    clock: Arc<dyn Clock>,
    plex: PlexService,
    settings: SettingsService,
    events: EventLog,
    codes: InviteCodes,
    discord: Discord,
}

/// The event-log target naming an invite.
pub fn target(id: Uuid) -> String {
    format!("invite:{id}")
}

/// Where `invite` stands at `now`.
pub fn state_of(invite: &Invite, now: DateTime<Utc>) -> InviteState {
    if invite.disabled_at.is_some() {
        InviteState::Disabled
    } else if invite.expires_at.is_some_and(|at| at <= now) {
        InviteState::Expired
    } else if invite.max_uses.is_some_and(|max| invite.uses >= max) {
        InviteState::UsedUp
    } else {
        InviteState::Active
    }
}

fn linking_name(linking: DiscordLinking) -> &'static str {
    match linking {
        DiscordLinking::Off => "off",
        DiscordLinking::Optional => "optional",
        DiscordLinking::Required => "required",
    }
}

/// An invite's stored Discord rule; `None` for "follow the global setting".
pub fn parse_linking(name: Option<&str>) -> Option<DiscordLinking> {
    match name? {
        "off" => Some(DiscordLinking::Off),
        "optional" => Some(DiscordLinking::Optional),
        "required" => Some(DiscordLinking::Required),
        _ => None,
    }
}

/// The Discord rule in effect for `invite`: its own, or else `default` (the global setting).
fn effective_linking(invite: &Invite, default: DiscordLinking) -> DiscordLinking {
    parse_linking(invite.discord_linking.as_deref()).unwrap_or(default)
}

/// The Discord settings an invite can use.
struct DiscordSetup {
    app: Option<DiscordApp>,
    bot: Option<(SecretString, String)>,
    default: DiscordLinking,
}

impl InvitesService {
    /// A service over `db`, sharing through `plex`, with codes from `codes` and Discord at
    /// `discord`. Installs itself as the handler of the reconcile job on `jobs`.
    #[expect(
        clippy::too_many_arguments,
        reason = "the service's collaborators, wired once"
    )]
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        plex: PlexService,
        settings: SettingsService,
        events: EventLog,
        jobs: &JobsService,
        codes: InviteCodes,
        discord: Discord,
    ) -> Self {
        let service = Self {
            db,
            clock,
            plex,
            settings,
            events,
            codes,
            discord,
        };
        jobs.install_handler(
            &[JobKind::ReconcileInvites],
            handler::InviteJobs(service.clone()),
        );
        service
    }

    fn info(&self, invite: Invite, default: DiscordLinking) -> InviteInfo {
        let code = match (&invite.custom_path, &invite.token_sealed) {
            (Some(path), _) => Some(path.clone()),
            (None, Some(sealed)) => self.codes.open(invite.id, sealed),
            (None, None) => None,
        };
        InviteInfo {
            state: state_of(&invite, self.clock.now()),
            effective_discord: effective_linking(&invite, default),
            code,
            invite,
        }
    }

    fn discord_setup(&self, snapshot: &Snapshot) -> Result<DiscordSetup> {
        let app = match (
            snapshot.get(Key::DiscordClientId),
            self.settings.secret(snapshot, Key::DiscordClientSecret)?,
        ) {
            (Some(id), Some(secret)) => Some(DiscordApp {
                client_id: id.to_owned(),
                client_secret: secret,
            }),
            _ => None,
        };
        let bot = match (
            self.settings.secret(snapshot, Key::DiscordBotToken)?,
            snapshot.get(Key::DiscordGuildId),
        ) {
            (Some(token), Some(guild)) => Some((token, guild.to_owned())),
            _ => None,
        };
        Ok(DiscordSetup {
            app,
            bot,
            default: snapshot.discord_linking(),
        })
    }

    /// Every invite, newest first.
    pub async fn list(&self) -> Result<Vec<InviteInfo>> {
        let default = self.settings.snapshot().await?.discord_linking();
        Ok(invites::list(&self.db)
            .await?
            .into_iter()
            .map(|invite| self.info(invite, default))
            .collect())
    }

    /// One invite with its redemptions, newest first.
    pub async fn detail(&self, id: Uuid) -> Result<(InviteInfo, Vec<Redemption>)> {
        let invite = self.get(id).await?;
        let default = self.settings.snapshot().await?.discord_linking();
        let redemptions = invite_redemptions::for_invite(&self.db, id).await?;
        Ok((self.info(invite, default), redemptions))
    }

    async fn get(&self, id: Uuid) -> Result<Invite> {
        invites::get(&self.db, id)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("no invite {id}")))
    }

    /// Creates an invite.
    ///
    /// # Errors
    /// [`CoreError::Invalid`] with a message per field.
    pub async fn create(
        &self,
        by: &Principal,
        ip: Option<String>,
        request: &CreateInviteRequest,
    ) -> Result<InviteInfo> {
        let now = self.clock.now();
        let id = Uuid::new_v4();
        let (custom_path, token_hash, token_sealed) = if let Some(path) = &request.custom_path {
            let path = check_custom_path(path)?;
            if invites::find_by_code(&self.db, &self.codes.hash(&path), &path)
                .await?
                .is_some()
            {
                return Err(path_taken());
            }
            (Some(path), None, None)
        } else {
            let token = InviteCodes::generate();
            (
                None,
                Some(self.codes.hash(&token)),
                Some(self.codes.seal(id, &token)?),
            )
        };
        let mut invite = Invite {
            id,
            token_hash,
            token_sealed,
            custom_path,
            note: String::new(),
            expires_at: None,
            max_uses: None,
            uses: 0,
            all_libraries: false,
            library_ids: Vec::new(),
            allow_downloads: false,
            membership_days: None,
            discord_linking: None,
            require_guild: false,
            disabled_at: None,
            created_by: by.actor(None).name,
            created_at: now,
            updated_at: now,
        };
        let update = UpdateInviteRequest {
            note: Some(request.note.clone()),
            expires_at: request.expires_at,
            max_uses: request.max_uses,
            all_libraries: Some(request.all_libraries),
            library_ids: Some(request.library_ids.clone()),
            allow_downloads: Some(request.allow_downloads),
            membership_days: request.membership_days,
            discord_linking: request.discord_linking,
            require_guild_membership: Some(request.require_guild_membership),
            ..UpdateInviteRequest::default()
        };
        self.apply(&mut invite, &update, now).await?;
        match invites::insert(&self.db, &invite).await {
            Err(DbError::Conflict(_)) => return Err(path_taken()),
            other => other?,
        }
        self.events
            .record(
                "invites.create",
                &by.actor(ip),
                Some(&target(id)),
                true,
                describe(&invite),
            )
            .await;
        let default = self.settings.snapshot().await?.discord_linking();
        Ok(self.info(invite, default))
    }

    /// Changes an invite (not its code, not its use count).
    ///
    /// # Errors
    /// [`CoreError::NotFound`], or [`CoreError::Invalid`] with a message per field.
    pub async fn update(
        &self,
        by: &Principal,
        ip: Option<String>,
        id: Uuid,
        request: &UpdateInviteRequest,
    ) -> Result<InviteInfo> {
        let before = self.get(id).await?;
        let now = self.clock.now();
        let mut invite = before.clone();
        self.apply(&mut invite, request, now).await?;
        invite.updated_at = now;
        if !invites::update(&self.db, &invite).await? {
            return Err(CoreError::NotFound(format!("no invite {id}")));
        }
        let kind = match request.disabled {
            Some(true) if before.disabled_at.is_none() => "invites.disable",
            Some(false) if before.disabled_at.is_some() => "invites.enable",
            _ => "invites.update",
        };
        self.events
            .record(
                kind,
                &by.actor(ip),
                Some(&target(id)),
                true,
                json!({ "before": describe(&before), "after": describe(&invite) }),
            )
            .await;
        let default = self.settings.snapshot().await?.discord_linking();
        // The use count may have moved since it was read; show the stored one.
        let stored = self.get(id).await?;
        Ok(self.info(stored, default))
    }

    /// Deletes an invite and its usage history. People who redeemed it keep their access.
    ///
    /// # Errors
    /// [`CoreError::NotFound`].
    pub async fn delete(&self, by: &Principal, ip: Option<String>, id: Uuid) -> Result<()> {
        let invite = self.get(id).await?;
        if !invites::delete(&self.db, id).await? {
            return Err(CoreError::NotFound(format!("no invite {id}")));
        }
        self.events
            .record(
                "invites.delete",
                &by.actor(ip),
                Some(&target(id)),
                true,
                describe(&invite),
            )
            .await;
        Ok(())
    }

    /// Applies the fields present in `request` to `invite`, checking each.
    async fn apply(
        &self,
        invite: &mut Invite,
        request: &UpdateInviteRequest,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut errors = std::collections::BTreeMap::new();
        if let Some(note) = &request.note {
            if note.chars().count() > MAX_NOTE {
                errors.insert("note", format!("must be at most {MAX_NOTE} characters"));
            }
            note.trim().clone_into(&mut invite.note);
        }
        if request.clear_expiry {
            invite.expires_at = None;
        } else if let Some(at) = request.expires_at {
            if at <= now {
                errors.insert("expires_at", "must be in the future".to_owned());
            }
            invite.expires_at = Some(at);
        }
        if request.clear_max_uses {
            invite.max_uses = None;
        } else if let Some(max) = request.max_uses {
            if !(1..=MAX_USES).contains(&max) {
                errors.insert("max_uses", format!("must be between 1 and {MAX_USES}"));
            } else if max < invite.uses {
                errors.insert(
                    "max_uses",
                    format!("cannot be below the {} uses already made", invite.uses),
                );
            }
            invite.max_uses = Some(max);
        }
        if request.clear_membership {
            invite.membership_days = None;
        } else if let Some(days) = request.membership_days {
            if !(1..=MAX_MEMBERSHIP_DAYS).contains(&days) {
                errors.insert(
                    "membership_days",
                    format!("must be between 1 and {MAX_MEMBERSHIP_DAYS}"),
                );
            }
            invite.membership_days = Some(days);
        }
        if let Some(allow) = request.allow_downloads {
            invite.allow_downloads = allow;
        }
        if let Some(disabled) = request.disabled {
            invite.disabled_at = match (disabled, invite.disabled_at) {
                (true, Some(at)) => Some(at),
                (true, None) => Some(now),
                (false, _) => None,
            };
        }
        if let Some(all) = request.all_libraries {
            invite.all_libraries = all;
        }
        if let Some(ids) = &request.library_ids {
            let mut ids = ids.clone();
            ids.sort_unstable();
            ids.dedup();
            invite.library_ids = ids;
        }
        let libraries_changed = request.all_libraries.is_some() || request.library_ids.is_some();
        if invite.all_libraries {
            invite.library_ids.clear();
        } else if libraries_changed
            && let Some(problem) = self.library_problem(&invite.library_ids).await?
        {
            // Checked only when they change: an edit of the note must not fail because a
            // library was deleted on the server since.
            errors.insert("library_ids", problem);
        }
        if request.clear_discord_linking {
            invite.discord_linking = None;
        } else if let Some(linking) = request.discord_linking {
            invite.discord_linking = Some(linking_name(linking).to_owned());
        }
        if let Some(guild) = request.require_guild_membership {
            invite.require_guild = guild;
        }
        self.check_discord(invite, &mut errors).await?;
        if errors.is_empty() {
            return Ok(());
        }
        let fields: std::collections::BTreeMap<String, String> = errors
            .into_iter()
            .map(|(field, message)| (field.to_owned(), message))
            .collect();
        let message = fields
            .iter()
            .map(|(field, message)| format!("{field} {message}"))
            .collect::<Vec<_>>()
            .join("; ");
        Err(CoreError::Invalid { message, fields })
    }

    async fn library_problem(&self, ids: &[u64]) -> Result<Option<String>> {
        if ids.is_empty() {
            return Ok(Some(
                "choose at least one library, or all libraries".to_owned(),
            ));
        }
        let known = libraries::current(&self.db).await?;
        if known.is_empty() {
            return Ok(Some(
                "no libraries are known yet; sync users (Users → Sync now) first".to_owned(),
            ));
        }
        Ok(ids
            .iter()
            .find(|id| !known.iter().any(|l| l.tv_id == **id))
            .map(|unknown| format!("the server has no library {unknown}")))
    }

    async fn check_discord(
        &self,
        invite: &Invite,
        errors: &mut std::collections::BTreeMap<&'static str, String>,
    ) -> Result<()> {
        let snapshot = self.settings.snapshot().await?;
        let setup = self.discord_setup(&snapshot)?;
        let linking = effective_linking(invite, setup.default);
        if linking != DiscordLinking::Off && setup.app.is_none() {
            errors.insert(
                "discord_linking",
                "needs Discord's client id and secret in Settings → Discord".to_owned(),
            );
        }
        if invite.require_guild {
            if linking == DiscordLinking::Off {
                errors.insert(
                    "require_guild_membership",
                    "needs Discord linking (optional or required)".to_owned(),
                );
            } else if setup.bot.is_none() {
                errors.insert(
                    "require_guild_membership",
                    "needs a bot token and a Discord server id in Settings → Discord".to_owned(),
                );
            }
        }
        Ok(())
    }
}

fn path_taken() -> CoreError {
    CoreError::invalid(
        "custom_path",
        "is already used by another invite (paths ignore case); choose another, or delete the \
         old invite",
    )
}

/// What the event log records about an invite (never its code).
fn describe(invite: &Invite) -> serde_json::Value {
    json!({
        "custom_path": invite.custom_path,
        "note": invite.note,
        "expires_at": invite.expires_at,
        "max_uses": invite.max_uses,
        "all_libraries": invite.all_libraries,
        "library_ids": invite.library_ids,
        "allow_downloads": invite.allow_downloads,
        "membership_days": invite.membership_days,
        "discord_linking": invite.discord_linking,
        "require_guild_membership": invite.require_guild,
        "disabled": invite.disabled_at.is_some(),
    })
}
