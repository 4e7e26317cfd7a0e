//! App-wide client state: the colour theme.

use leptos::prelude::*;

const STORAGE_KEY: &str = "pum-theme";

/// A colour theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Theme {
    Light,
    Dark,
}

impl Theme {
    fn as_str(self) -> &'static str {
        match self {
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }

    fn toggled(self) -> Self {
        match self {
            Self::Light => Self::Dark,
            Self::Dark => Self::Light,
        }
    }
}

/// The theme in effect and how to change it, shared through context.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ThemeState {
    pub(crate) theme: ReadSignal<Theme>,
    set_theme: WriteSignal<Theme>,
}

impl ThemeState {
    /// Reads the remembered choice, or else follows the system preference.
    pub(crate) fn provide() -> Self {
        let initial = stored().unwrap_or_else(system_theme);
        let (theme, set_theme) = signal(initial);
        Effect::new(move |_| apply(theme.get()));
        let state = Self { theme, set_theme };
        provide_context(state);
        state
    }

    /// Switches between light and dark and remembers the choice.
    pub(crate) fn toggle(self) {
        let next = self.theme.get_untracked().toggled();
        if let Some(storage) = window().local_storage().ok().flatten() {
            let _ = storage.set_item(STORAGE_KEY, next.as_str());
        }
        self.set_theme.set(next);
    }
}

fn stored() -> Option<Theme> {
    let storage = window().local_storage().ok().flatten()?;
    match storage.get_item(STORAGE_KEY).ok().flatten()?.as_str() {
        "light" => Some(Theme::Light),
        "dark" => Some(Theme::Dark),
        _ => None,
    }
}

fn system_theme() -> Theme {
    let dark = window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches());
    if dark { Theme::Dark } else { Theme::Light }
}

fn apply(theme: Theme) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
}
