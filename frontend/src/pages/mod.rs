//! One module per route.

pub(crate) mod account;
pub(crate) mod admins;
pub(crate) mod api_keys;
pub(crate) mod dashboard;
pub(crate) mod discord_callback;
pub(crate) mod invite;
mod invite_draft;
mod invite_form;
pub(crate) mod invites;
pub(crate) mod jobs;
pub(crate) mod login;
pub(crate) mod not_found;
pub(crate) mod redeem;
mod redeem_steps;
pub(crate) mod settings;
pub(crate) mod setup;
pub(crate) mod user;
mod user_batch;
mod user_sync;
pub(crate) mod users;

/// Sets the browser tab title to "`page` · pum".
pub(crate) fn set_title(page: &str) {
    leptos::prelude::document().set_title(&format!("{page} · Plex User Manager"));
}
