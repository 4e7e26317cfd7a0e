//! One module per route.

pub(crate) mod dashboard;
pub(crate) mod jobs;
pub(crate) mod not_found;

/// Sets the browser tab title to "`page` · pum".
pub(crate) fn set_title(page: &str) {
    leptos::prelude::document().set_title(&format!("{page} · Plex User Manager"));
}
