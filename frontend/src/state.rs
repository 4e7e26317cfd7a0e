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

/// Whether someone is signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Session {
    /// Not known yet (the first check is under way).
    Unknown,
    /// No one is signed in.
    SignedOut,
    /// Signed in as this admin.
    SignedIn(Box<pum_api_types::auth::Me>),
}

/// The signed-in admin and the setup state, shared through context.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AuthState {
    /// Who is signed in.
    pub(crate) session: RwSignal<Session>,
    /// What setup still needs (`None` until loaded).
    pub(crate) setup: RwSignal<Option<pum_api_types::auth::SetupStatus>>,
}

thread_local! {
    static SESSION: std::cell::Cell<Option<RwSignal<Session>>> = const { std::cell::Cell::new(None) };
}

impl AuthState {
    /// Creates the state, provides it, and loads it.
    pub(crate) fn provide() -> Self {
        let state = Self {
            session: RwSignal::new(Session::Unknown),
            setup: RwSignal::new(None),
        };
        SESSION.with(|cell| cell.set(Some(state.session)));
        provide_context(state);
        state.reload();
        state
    }

    /// Asks the server again who is signed in and what setup needs.
    pub(crate) fn reload(self) {
        if on_public_page() {
            // The invite pages are for strangers: asking who is signed in would only fail.
            self.session.set(Session::SignedOut);
            return;
        }
        leptos::task::spawn_local(async move {
            if let Ok(setup) = crate::api::setup_status().await {
                self.setup.set(Some(setup));
            }
            let session = match crate::api::me().await {
                Ok(me) => Session::SignedIn(Box::new(me)),
                Err(_) => Session::SignedOut,
            };
            self.session.set(session);
        });
    }

    /// Whether the signed-in admin has `permission`.
    pub(crate) fn can(self, permission: pum_api_types::Permission) -> bool {
        self.session.with(|s| match s {
            Session::SignedIn(me) => me.permissions.contains(&permission),
            _ => false,
        })
    }
}

/// Whether the browser is on a page for people who are not admins (an invite).
fn on_public_page() -> bool {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .is_some_and(|path| path.starts_with("/i/") || path.starts_with("/invite/"))
}

/// Called when the server answers 401: the session is gone, so the app shows the sign-in page.
pub(crate) fn session_ended() {
    SESSION.with(|cell| {
        if let Some(session) = cell.get()
            && matches!(session.get_untracked(), Session::SignedIn(_))
        {
            session.set(Session::SignedOut);
        }
    });
}
