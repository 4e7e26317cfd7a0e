//! The first-run wizard: owner account, Plex server, app settings.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_query_map};
use pum_api_types::auth::PlexPinPurpose;
use pum_api_types::settings::{DiscordLinking, DiscordSettingsPatch, GeneralSettingsPatch};

use crate::api;
use crate::components::forms::{Field, FormError, non_empty};
use crate::components::plex::{PlexButton, PlexWait};
use crate::components::plex_connect::PlexConnect;
use crate::state::{AuthState, Session};

/// `/setup`.
#[component]
pub(crate) fn Setup() -> impl IntoView {
    super::set_title("Set up");
    let auth = expect_context::<AuthState>();
    let plex = use_query_map().with_untracked(|q| q.get("plex").unwrap_or_default());
    let returning_from_plex = !plex.is_empty();
    let connect_returning = plex == "connect";
    let step = RwSignal::new(1u8);
    Effect::new(move |_| {
        if matches!(auth.session.get(), Session::SignedIn(_)) && step.get_untracked() == 1 {
            step.set(2);
        }
    });
    view! {
        <main class="auth-page">
            <section class="card wizard">
                <h1>"Set up Plex User Manager"</h1>
                <ol class="steps">
                    {[(1u8, "Your account"), (2, "Plex server"), (3, "App settings")]
                        .into_iter()
                        .map(|(n, label)| {
                            view! {
                                <li class:current=move || step.get() == n class:done={move || step.get() > n}>
                                    {label}
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
                {move || {
                    let owner_exists = auth.setup.get().is_some_and(|s| s.owner_exists);
                    let signed_out = matches!(auth.session.get(), Session::SignedOut);
                    (owner_exists && signed_out && !returning_from_plex)
                        .then(|| view! { <Redirect path="/login" /> })
                }}
                {move || match step.get() {
                    1 => view! { <OwnerStep returning_from_plex=plex == "owner" /> }.into_any(),
                    2 => {
                        view! { <PlexStep returning=connect_returning on_next=move |()| step.set(3) /> }
                            .into_any()
                    }
                    _ => view! { <AppStep /> }.into_any(),
                }}
            </section>
        </main>
    }
}

#[component]
fn OwnerStep(returning_from_plex: bool) -> impl IntoView {
    let auth = expect_context::<AuthState>();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submit = Action::new_local(move |(): &()| {
        let (u, p) = (username.get_untracked(), password.get_untracked());
        async move { api::create_owner(u, p).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = submit.value().get() {
            auth.reload();
        }
    });
    let error = Signal::derive(move || submit.value().get().and_then(Result::err));
    view! {
        <h2>"Create the owner account"</h2>
        <p class="muted">"The owner can do everything, including adding other admins later."</p>
        {returning_from_plex.then(|| view! { <PlexWait on_done=move |()| auth.reload() /> })}
        <PlexButton purpose=PlexPinPurpose::Setup return_path="/setup?plex=owner" label="Create it with my Plex account" />
        <div class="divider">"or with a username and password"</div>
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
                autocomplete="new-password"
                hint="At least 8 characters; a few unrelated words work well."
            />
            <FormError error=error />
            <button class="button button-primary" type="submit" disabled=move || submit.pending().get()>
                "Create owner"
            </button>
        </form>
    }
}

#[component]
fn PlexStep(returning: bool, #[prop(into)] on_next: Callback<()>) -> impl IntoView {
    let settings = LocalResource::new(api::settings);
    let connected = RwSignal::new(false);
    view! {
        <h2>"Connect your Plex Media Server"</h2>
        {returning.then(|| view! { <PlexWait on_done=move |()| settings.refetch() /> })}
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(view) => {
                        if view.plex.server_url.is_some() {
                            connected.set(true);
                        }
                        view! {
                            {view
                                .plex
                                .server_url
                                .clone()
                                .map(|url| {
                                    view! {
                                        <p data-testid="plex-current">
                                            "pum talks to "
                                            <strong>{view.plex.server_name.clone().unwrap_or_default()}</strong>
                                            " at "
                                            <code>{url}</code>
                                            ". Pick another server below, or continue."
                                        </p>
                                    }
                                })}
                            <PlexConnect
                                has_token=view.plex.token.configured
                                return_path="/setup?plex=connect"
                                on_connected=move |_| connected.set(true)
                            />
                        }
                            .into_any()
                    }
                    Err(e) => view! { <div class="notice notice-bad">{e.message}</div> }.into_any(),
                }
            })}
        </Transition>
        <div class="actions">
            <button
                class="button button-primary"
                data-testid="wizard-next"
                disabled=move || !connected.get()
                on:click=move |_| on_next.run(())
            >
                "Continue"
            </button>
        </div>
    }
}

#[component]
fn AppStep() -> impl IntoView {
    let auth = expect_context::<AuthState>();
    let navigate = use_navigate();
    let name = RwSignal::new("Plex User Manager".to_owned());
    let base_url = RwSignal::new(window().location().origin().unwrap_or_default());
    let client_id = RwSignal::new(String::new());
    let client_secret = RwSignal::new(String::new());
    let save = Action::new_local(move |(): &()| {
        let general = GeneralSettingsPatch {
            app_name: Some(name.get_untracked()),
            public_base_url: Some(base_url.get_untracked()),
        };
        let id = non_empty(&client_id.get_untracked());
        let secret = non_empty(&client_secret.get_untracked());
        async move {
            api::patch_general(general).await?;
            if id.is_some() || secret.is_some() {
                api::patch_discord(DiscordSettingsPatch {
                    client_id: id,
                    client_secret: secret,
                    linking: Some(DiscordLinking::Optional),
                    ..DiscordSettingsPatch::default()
                })
                .await?;
            }
            Ok::<(), api::ApiError>(())
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            auth.reload();
            navigate("/", leptos_router::NavigateOptions::default());
        }
    });
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    view! {
        <h2>"App settings"</h2>
        <form
            class="form"
            on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(());
            }
        >
            <Field label="Name" name="app_name" value=name error=error hint="Shown in the interface and on invite pages." />
            <Field
                label="Public address"
                name="public_base_url"
                value=base_url
                error=error
                hint="Where people reach pum; invite links start with it."
            />
            <details>
                <summary>"Discord (optional, can be set later)"</summary>
                <Field label="Discord client id" name="client_id" value=client_id error=error />
                <Field label="Discord client secret" name="client_secret" value=client_secret error=error kind="password" />
            </details>
            <FormError error=error />
            <button class="button button-primary" type="submit" data-testid="wizard-finish" disabled=move || save.pending().get()>
                "Finish"
            </button>
        </form>
    }
}
