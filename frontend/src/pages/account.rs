//! `/account`: your password and linked Plex account.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use pum_api_types::auth::{ChangePasswordRequest, PlexPinPurpose};

use crate::api;
use crate::components::forms::{Field, FormError, non_empty};
use crate::components::plex::{PlexButton, PlexWait};
use crate::state::{AuthState, Session};

/// `/account`.
#[component]
pub(crate) fn Account() -> impl IntoView {
    super::set_title("My account");
    let auth = expect_context::<AuthState>();
    let returning = use_query_map().with_untracked(|q| q.get("plex").is_some());
    let me = move || match auth.session.get() {
        Session::SignedIn(me) => Some(*me),
        _ => None,
    };
    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let change = Action::new_local(move |(): &()| {
        let body = ChangePasswordRequest {
            current_password: non_empty(&current.get_untracked()),
            new_password: new_password.get_untracked(),
        };
        async move { api::change_password(body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = change.value().get() {
            current.set(String::new());
            new_password.set(String::new());
            auth.reload();
        }
    });
    let error = Signal::derive(move || change.value().get().and_then(Result::err));
    let has_password = move || me().is_some_and(|m| m.admin.has_password);
    view! {
        <div class="page-header">
            <div>
                <h1>"My account"</h1>
                <p class="muted">{move || me().map(|m| format!("Signed in as {}", m.admin.username))}</p>
            </div>
        </div>
        {move || {
            me()
                .filter(|m| m.admin.must_change_password)
                .map(|_| {
                    view! {
                        <div class="notice notice-bad" role="alert" data-testid="must-change-password">
                            "Your password was set by someone else. Choose your own before going on."
                        </div>
                    }
                })
        }}
        <section class="card">
            <div class="card-header">
                <h2>{move || if has_password() { "Change password" } else { "Set a password" }}</h2>
            </div>
            <form
                class="form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    change.dispatch(());
                }
            >
                {move || {
                    has_password()
                        .then(|| {
                            view! {
                                <Field
                                    label="Current password"
                                    name="current_password"
                                    value=current
                                    error=error
                                    kind="password"
                                    autocomplete="current-password"
                                />
                            }
                        })
                }}
                <Field
                    label="New password"
                    name="new_password"
                    value=new_password
                    error=error
                    kind="password"
                    autocomplete="new-password"
                    hint="8 to 128 characters. Your other sessions end when it changes."
                />
                <FormError error=error />
                {move || {
                    matches!(change.value().get(), Some(Ok(())))
                        .then(|| view! { <p class="notice notice-good">"Password changed."</p> })
                }}
                <button class="button button-primary" type="submit" disabled=move || change.pending().get()>
                    "Save password"
                </button>
            </form>
        </section>
        <PlexCard returning=returning />
    }
}

/// The linked Plex account, or a button to link one.
#[component]
fn PlexCard(returning: bool) -> impl IntoView {
    let auth = expect_context::<AuthState>();
    let me = move || match auth.session.get() {
        Session::SignedIn(me) => Some(*me),
        _ => None,
    };
    view! {
        <section class="card">
            <div class="card-header">
                <h2>"Plex account"</h2>
            </div>
            {returning.then(|| view! { <PlexWait on_done=move |()| auth.reload() /> })}
            {move || match me().and_then(|m| m.admin.plex) {
                Some(plex) => {
                    view! {
                        <p data-testid="plex-linked">
                            "Linked to the Plex account " <strong>{plex.username}</strong>
                            ". You can sign in with Plex."
                        </p>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <p>"Link your Plex account to sign in with Plex."</p>
                        <PlexButton purpose=PlexPinPurpose::Link return_path="/account?plex=1" label="Link Plex account" />
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
