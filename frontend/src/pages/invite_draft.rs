//! What the invite form holds: the typed fields, their parsing, and the request each form
//! submit becomes (a whole invite to create, or only the changes to one).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use pum_api_types::invites::{CreateInviteRequest, InviteView, UpdateInviteRequest};
use pum_api_types::settings::DiscordLinking;

use crate::api::ApiError;
use crate::components::forms::non_empty;
use crate::format;

/// The form's values, checked and typed.
pub(crate) struct Parsed {
    custom_path: Option<String>,
    note: String,
    expires_at: Option<DateTime<Utc>>,
    max_uses: Option<u32>,
    all_libraries: bool,
    library_ids: Vec<u64>,
    allow_downloads: bool,
    membership_days: Option<u32>,
    discord_linking: Option<DiscordLinking>,
    require_guild_membership: bool,
}

impl Parsed {
    /// The request that makes this invite.
    pub(crate) fn create(self) -> CreateInviteRequest {
        CreateInviteRequest {
            custom_path: self.custom_path,
            note: self.note,
            expires_at: self.expires_at,
            max_uses: self.max_uses,
            all_libraries: self.all_libraries,
            library_ids: if self.all_libraries {
                Vec::new()
            } else {
                self.library_ids
            },
            allow_downloads: self.allow_downloads,
            membership_days: self.membership_days,
            discord_linking: self.discord_linking,
            require_guild_membership: self.require_guild_membership,
        }
    }

    /// Only what changed, so that an invite whose expiry has passed can still get a new note.
    pub(crate) fn update(self, old: &InviteView, expiry_changed: bool) -> UpdateInviteRequest {
        let mut wanted = self.library_ids;
        wanted.sort_unstable();
        let mut before = old.library_ids.clone();
        before.sort_unstable();
        let libraries_changed =
            self.all_libraries != old.all_libraries || (!self.all_libraries && wanted != before);
        UpdateInviteRequest {
            note: (self.note != old.note).then_some(self.note),
            expires_at: self.expires_at.filter(|_| expiry_changed),
            clear_expiry: expiry_changed && self.expires_at.is_none(),
            max_uses: self.max_uses.filter(|_| self.max_uses != old.max_uses),
            clear_max_uses: self.max_uses.is_none() && old.max_uses.is_some(),
            all_libraries: libraries_changed.then_some(self.all_libraries),
            library_ids: (libraries_changed && !self.all_libraries).then_some(wanted),
            allow_downloads: (self.allow_downloads != old.allow_downloads)
                .then_some(self.allow_downloads),
            membership_days: self
                .membership_days
                .filter(|_| self.membership_days != old.membership_days),
            clear_membership: self.membership_days.is_none() && old.membership_days.is_some(),
            discord_linking: self
                .discord_linking
                .filter(|_| self.discord_linking != old.discord_linking),
            clear_discord_linking: self.discord_linking.is_none() && old.discord_linking.is_some(),
            require_guild_membership: (self.require_guild_membership
                != old.require_guild_membership)
                .then_some(self.require_guild_membership),
            disabled: None,
        }
    }
}

/// `""` (follow the global setting) or the rule's name, as the select holds it.
fn linking_value(linking: Option<DiscordLinking>) -> &'static str {
    match linking {
        None => "",
        Some(DiscordLinking::Off) => "off",
        Some(DiscordLinking::Optional) => "optional",
        Some(DiscordLinking::Required) => "required",
    }
}

fn parse_linking(value: &str) -> Option<DiscordLinking> {
    match value {
        "off" => Some(DiscordLinking::Off),
        "optional" => Some(DiscordLinking::Optional),
        "required" => Some(DiscordLinking::Required),
        _ => None,
    }
}

/// Parses an optional whole number; `Err` says what is wrong.
fn parse_count(text: &str, empty_means: &str) -> Result<Option<u32>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| format!("Enter a whole number, or leave it empty for {empty_means}."))
}

/// The form's fields as typed.
#[derive(Clone, Copy)]
pub(crate) struct Draft {
    /// The custom path; empty for a random token.
    pub(crate) custom_path: RwSignal<String>,
    /// The note for admins.
    pub(crate) note: RwSignal<String>,
    /// The expiry date (`YYYY-MM-DD`); empty for never.
    pub(crate) expires: RwSignal<String>,
    /// The use limit; empty for unlimited.
    pub(crate) max_uses: RwSignal<String>,
    /// Days of access; empty for no end.
    pub(crate) membership: RwSignal<String>,
    /// Share every library.
    pub(crate) all_libraries: RwSignal<bool>,
    /// plex.tv ids of the libraries ticked.
    pub(crate) library_ids: RwSignal<Vec<u64>>,
    /// Allow downloads.
    pub(crate) downloads: RwSignal<bool>,
    /// The Discord rule as the select holds it (`""` follows the global setting).
    pub(crate) discord: RwSignal<String>,
    /// Require membership of the Discord server.
    pub(crate) guild: RwSignal<bool>,
}

impl Draft {
    /// Filled from `old`, or the defaults of a new invite (every library, no limits).
    pub(crate) fn new(old: Option<&InviteView>) -> Self {
        let count = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        Self {
            custom_path: RwSignal::new(String::new()),
            note: RwSignal::new(old.map(|i| i.note.clone()).unwrap_or_default()),
            expires: RwSignal::new(expiry_text(old)),
            max_uses: RwSignal::new(count(old.and_then(|i| i.max_uses))),
            membership: RwSignal::new(count(old.and_then(|i| i.membership_days))),
            all_libraries: RwSignal::new(old.is_none_or(|i| i.all_libraries)),
            library_ids: RwSignal::new(old.map(|i| i.library_ids.clone()).unwrap_or_default()),
            downloads: RwSignal::new(old.is_some_and(|i| i.allow_downloads)),
            discord: RwSignal::new(linking_value(old.and_then(|i| i.discord_linking)).to_owned()),
            guild: RwSignal::new(old.is_some_and(|i| i.require_guild_membership)),
        }
    }

    /// The values, or the fields that are wrong (named as the server names them).
    pub(crate) fn parse(self) -> Result<Parsed, ApiError> {
        let mut wrong = BTreeMap::new();
        let expires_text = self.expires.get_untracked();
        let expires_at = if expires_text.trim().is_empty() {
            None
        } else {
            format::end_of_day(&expires_text).or_else(|| {
                wrong.insert("expires_at".to_owned(), "Enter a date.".to_owned());
                None
            })
        };
        let max_uses = parse_count(&self.max_uses.get_untracked(), "unlimited uses")
            .map_err(|m| wrong.insert("max_uses".to_owned(), m))
            .unwrap_or_default();
        let membership_days = parse_count(&self.membership.get_untracked(), "access without end")
            .map_err(|m| wrong.insert("membership_days".to_owned(), m))
            .unwrap_or_default();
        if !wrong.is_empty() {
            return Err(ApiError::invalid(wrong));
        }
        Ok(Parsed {
            custom_path: non_empty(&self.custom_path.get_untracked()),
            note: self.note.get_untracked().trim().to_owned(),
            expires_at,
            max_uses,
            all_libraries: self.all_libraries.get_untracked(),
            library_ids: self.library_ids.get_untracked(),
            allow_downloads: self.downloads.get_untracked(),
            membership_days,
            discord_linking: parse_linking(&self.discord.get_untracked()),
            require_guild_membership: self.guild.get_untracked(),
        })
    }
}

/// The expiry as the date input shows it.
pub(crate) fn expiry_text(invite: Option<&InviteView>) -> String {
    invite
        .and_then(|i| i.expires_at)
        .map(format::date_input)
        .unwrap_or_default()
}
