//! The router and the app shell. Pages behind sign-in are nested under [`Protected`], which
//! sends people to the wizard, the sign-in page or their account page as needed.

use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::components::feedback::Loading;
use crate::components::layout::Shell;
use crate::pages::{
    account::Account, admins::Admins, api_keys::ApiKeys, dashboard::Dashboard,
    discord_callback::DiscordCallback, invite::Invite, invites::Invites, jobs::Jobs, login::Login,
    not_found::NotFound, redeem::Redeem, settings::Settings, setup::Setup, user::User,
    users::Users,
};
use crate::state::{AuthState, Session, ThemeState};

/// The whole app.
#[component]
pub(crate) fn App() -> impl IntoView {
    ThemeState::provide();
    AuthState::provide();
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/login") view=Login />
                <Route path=path!("/setup") view=Setup />
                <Route path=path!("/i/:code") view=Redeem />
                <Route path=path!("/invite/discord") view=DiscordCallback />
                <ParentRoute path=path!("") view=Protected>
                    <Route path=path!("/") view=Dashboard />
                    <Route path=path!("/users") view=Users />
                    <Route path=path!("/users/:id") view=User />
                    <Route path=path!("/invites") view=Invites />
                    <Route path=path!("/invites/:id") view=Invite />
                    <Route path=path!("/jobs") view=Jobs />
                    <Route path=path!("/settings") view=Settings />
                    <Route path=path!("/admins") view=Admins />
                    <Route path=path!("/api-keys") view=ApiKeys />
                    <Route path=path!("/account") view=Account />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Where [`Protected`] sends a visitor; a memo of it re-renders pages only when it changes,
/// not whenever the signed-in admin is reloaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    Loading,
    Setup,
    SignIn,
    ChangePassword,
    Open,
}

/// Pages for signed-in admins.
#[component]
fn Protected() -> impl IntoView {
    let auth = expect_context::<AuthState>();
    let location = use_location();
    let gate = Memo::new(move |_| match (auth.setup.get(), auth.session.get()) {
        (Some(setup), _) if !setup.owner_exists => Gate::Setup,
        (None, _) | (_, Session::Unknown) => Gate::Loading,
        (_, Session::SignedOut) => Gate::SignIn,
        (_, Session::SignedIn(me))
            if me.admin.must_change_password && location.pathname.get() != "/account" =>
        {
            Gate::ChangePassword
        }
        (_, Session::SignedIn(_)) => Gate::Open,
    });
    move || match gate.get() {
        Gate::Setup => view! { <Redirect path="/setup" /> }.into_any(),
        Gate::Loading => view! { <Loading /> }.into_any(),
        Gate::SignIn => view! { <Redirect path="/login" /> }.into_any(),
        Gate::ChangePassword => view! { <Redirect path="/account" /> }.into_any(),
        Gate::Open => view! { <Shell><Outlet /></Shell> }.into_any(),
    }
}
