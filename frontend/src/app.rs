//! The router and the app shell.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::Shell;
use crate::pages::{dashboard::Dashboard, jobs::Jobs, not_found::NotFound};
use crate::state::ThemeState;

/// The whole app.
#[component]
pub(crate) fn App() -> impl IntoView {
    ThemeState::provide();
    view! {
        <Router>
            <Shell>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=Dashboard />
                    <Route path=path!("/jobs") view=Jobs />
                </Routes>
            </Shell>
        </Router>
    }
}
