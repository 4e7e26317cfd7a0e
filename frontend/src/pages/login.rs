//! The sign-in page: password, or "Sign in with Plex".

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_query_map};
use pum_api_types::auth::PlexPinPurpose;

use crate::api;
use crate::components::forms::{Field, FormError};
use crate::components::plex::{PlexButton, PlexWait};
use crate::state::{AuthState, Session};

/// `/login`.
#[component]
pub(crate) fn Login() -> impl IntoView {
    super::set_title("Sign in");
    let auth = expect_context::<AuthState>();
    let returning_from_plex = use_query_map().with_untracked(|q| q.get("plex").is_some());
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let navigate = use_navigate();
    let submit = Action::new_local(move |(): &()| {
        let (u, p) = (username.get_untracked(), password.get_untracked());
        async move { api::sign_in(u, p).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(me)) = submit.value().get() {
            auth.session.set(Session::SignedIn(Box::new(me)));
        }
    });
    let error = Signal::derive(move || submit.value().get().and_then(Result::err));
    let go_home = navigate.clone();
    view! {
        {move || {
            let setup_needed = auth.setup.get().is_some_and(|s| !s.owner_exists);
            let signed_in = matches!(auth.session.get(), Session::SignedIn(_));
            if setup_needed {
                Some(view! { <Redirect path="/setup" /> }.into_any())
            } else if signed_in {
                Some(view! { <Redirect path="/" /> }.into_any())
            } else {
                None
            }
        }}
        <main class="auth-page">
            <section class="card auth-card">
                <div class="auth-brand">
                    <span class="brand-mark" aria-hidden="true">"P"</span>
                    <h1>
                        {move || {
                            auth.setup.get().map_or_else(|| "Plex User Manager".to_owned(), |s| s.app_name)
                        }}
                    </h1>
                </div>
                {move || {
                    auth.setup
                        .get()
                        .filter(|s| s.demo)
                        .map(|_| {
                            view! {
                                <p class="notice" data-testid="demo-hint">
                                    "Demo: the password of "
                                    <code>"admin"</code>
                                    " was printed when pum started. Plex sign-in is approved automatically."
                                </p>
                            }
                        })
                }}
                {if returning_from_plex {
                    let go = go_home.clone();
                    view! {
                        <PlexWait on_done=move |()| {
                            auth.reload();
                            go("/", leptos_router::NavigateOptions::default());
                        } />
                    }
                        .into_any()
                } else {
                    ().into_any()
                }}
                <form
                    class="form"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        submit.dispatch(());
                    }
                >
                    <Field label="Username" name="username" value=username error=error autocomplete="username" />
                    <Field
                        label="Password"
                        name="password"
                        value=password
                        error=error
                        kind="password"
                        autocomplete="current-password"
                    />
                    <FormError error=error />
                    <button class="button button-primary" type="submit" disabled=move || submit.pending().get()>
                        "Sign in"
                    </button>
                </form>
                <div class="divider">"or"</div>
                <PlexButton purpose=PlexPinPurpose::SignIn return_path="/login?plex=1" />
                <p class="muted small">
                    "Plex sign-in works for the server owner and for admins who linked their Plex account."
                </p>
            </section>
        </main>
    }
}
