//! `/settings`: general, Plex, Discord and security settings.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use pum_api_types::settings::{
    DiscordLinking, DiscordSettingsPatch, GeneralSettingsPatch, SecretState, SecuritySettingsPatch,
    SettingsView,
};

use crate::api::{self, ApiError};
use crate::components::feedback::{ErrorView, Loading};
use crate::components::forms::{Field, FormError, non_empty};
use crate::components::plex::PlexWait;
use crate::components::plex_connect::PlexConnect;

/// `/settings`.
#[component]
pub(crate) fn Settings() -> impl IntoView {
    super::set_title("Settings");
    let settings = LocalResource::new(api::settings);
    let returning = use_query_map().with_untracked(|q| q.get("plex").is_some());
    view! {
        <div class="page-header">
            <div>
                <h1>"Settings"</h1>
                <p class="muted">"Secrets are stored encrypted and never shown again once saved."</p>
            </div>
        </div>
        {returning.then(|| view! { <PlexWait on_done=move |()| settings.refetch() /> })}
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(view) => {
                        view! {
                            <General view=view.clone() />
                            <Plex view=view.clone() on_change=move |()| settings.refetch() />
                            <Discord view=view.clone() />
                            <Security view=view />
                        }
                            .into_any()
                    }
                    Err(error) => {
                        view! { <ErrorView error=error on_retry=move |()| settings.refetch() /> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// A save button and the outcome of the last save.
#[component]
fn SaveRow(
    pending: Signal<bool>,
    saved: Signal<bool>,
    error: Signal<Option<ApiError>>,
) -> impl IntoView {
    view! {
        <FormError error=error />
        <div class="actions">
            <button class="button button-primary" type="submit" disabled=move || pending.get()>
                "Save"
            </button>
            {move || saved.get().then(|| view! { <span class="muted" role="status">"Saved."</span> })}
        </div>
    }
}

fn outcome(
    action: Action<(), Result<SettingsView, ApiError>>,
) -> (Signal<bool>, Signal<bool>, Signal<Option<ApiError>>) {
    (
        action.pending().into(),
        Signal::derive(move || matches!(action.value().get(), Some(Ok(_)))),
        Signal::derive(move || action.value().get().and_then(Result::err)),
    )
}

#[component]
fn General(view: SettingsView) -> impl IntoView {
    let name = RwSignal::new(view.general.app_name);
    let base_url = RwSignal::new(view.general.public_base_url.unwrap_or_default());
    let save = Action::new_local(move |(): &()| {
        let body = GeneralSettingsPatch {
            app_name: Some(name.get_untracked()),
            public_base_url: Some(base_url.get_untracked()),
        };
        async move { api::patch_general(body).await }
    });
    let (pending, saved, error) = outcome(save);
    view! {
        <section class="card" data-testid="settings-general">
            <div class="card-header"><h2>"General"</h2></div>
            <form class="form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <Field label="Name" name="app_name" value=name error=error />
                <Field
                    label="Public address"
                    name="public_base_url"
                    value=base_url
                    error=error
                    hint="Invite links start with it, for example https://pum.example.com"
                />
                <SaveRow pending=pending saved=saved error=error />
            </form>
        </section>
    }
}

#[component]
fn Plex(view: SettingsView, #[prop(into)] on_change: Callback<()>) -> impl IntoView {
    let plex = view.plex;
    view! {
        <section class="card" data-testid="settings-plex">
            <div class="card-header"><h2>"Plex"</h2></div>
            <dl class="facts">
                <dt>"Server"</dt>
                <dd>{plex.server_name.unwrap_or_else(|| "not connected".to_owned())}</dd>
                <dt>"Address"</dt>
                <dd>{plex.server_url.unwrap_or_else(|| "—".to_owned())}</dd>
                <dt>"Token"</dt>
                <dd>{secret_text(&plex.token)}</dd>
            </dl>
            <p class="muted small">"Changing the server tests every address before it is kept."</p>
            <PlexConnect has_token=plex.token.configured return_path="/settings?plex=1" on_connected=move |_| on_change.run(()) />
        </section>
    }
}

fn secret_text(state: &SecretState) -> String {
    match (state.configured, state.updated_at) {
        (true, Some(at)) => format!("set on {}", at.format("%Y-%m-%d")),
        (true, None) => "set".to_owned(),
        _ => "not set".to_owned(),
    }
}

#[component]
fn Discord(view: SettingsView) -> impl IntoView {
    let discord = view.discord;
    let client_id = RwSignal::new(discord.client_id.unwrap_or_default());
    let guild_id = RwSignal::new(discord.guild_id.unwrap_or_default());
    let client_secret = RwSignal::new(String::new());
    let bot_token = RwSignal::new(String::new());
    let linking = RwSignal::new(discord.linking);
    let secret_state = secret_text(&discord.client_secret);
    let bot_state = secret_text(&discord.bot_token);
    let save = Action::new_local(move |(): &()| {
        let body = DiscordSettingsPatch {
            client_id: Some(client_id.get_untracked()),
            client_secret: non_empty(&client_secret.get_untracked()),
            bot_token: non_empty(&bot_token.get_untracked()),
            guild_id: Some(guild_id.get_untracked()),
            linking: Some(linking.get_untracked()),
        };
        async move { api::patch_discord(body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            client_secret.set(String::new());
            bot_token.set(String::new());
        }
    });
    let (pending, saved, error) = outcome(save);
    let option = move |value: DiscordLinking, label: &'static str| {
        view! {
            <label class="radio">
                <input
                    type="radio"
                    name="linking"
                    prop:checked=move || linking.get() == value
                    on:change=move |_| linking.set(value)
                />
                {label}
            </label>
        }
    };
    view! {
        <section class="card" data-testid="settings-discord">
            <div class="card-header"><h2>"Discord"</h2></div>
            <form class="form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <Field label="Client id" name="client_id" value=client_id error=error />
                <Field
                    label=format!("Client secret ({secret_state})")
                    name="client_secret"
                    value=client_secret
                    error=error
                    kind="password"
                    hint="Leave empty to keep the stored one."
                />
                <Field
                    label=format!("Bot token ({bot_state})")
                    name="bot_token"
                    value=bot_token
                    error=error
                    kind="password"
                    hint="Only needed to require membership of your Discord server."
                />
                <Field label="Server (guild) id" name="guild_id" value=guild_id error=error />
                <fieldset class="field">
                    <legend>"Invitees link Discord"</legend>
                    {option(DiscordLinking::Off, "Never")}
                    {option(DiscordLinking::Optional, "Optional")}
                    {option(DiscordLinking::Required, "Required")}
                    {move || {
                        error.get().and_then(|e| e.fields.get("linking").cloned()).map(|m| view! { <p class="field-error">{m}</p> })
                    }}
                </fieldset>
                <SaveRow pending=pending saved=saved error=error />
            </form>
        </section>
    }
}

#[component]
fn Security(view: SettingsView) -> impl IntoView {
    let idle = RwSignal::new(view.security.session_idle_minutes.to_string());
    let max_days = RwSignal::new(view.security.session_max_days.to_string());
    let save = Action::new_local(move |(): &()| {
        let body = SecuritySettingsPatch {
            session_idle_minutes: idle.get_untracked().trim().parse().ok().or(Some(0)),
            session_max_days: max_days.get_untracked().trim().parse().ok().or(Some(0)),
        };
        async move { api::patch_security(body).await }
    });
    let (pending, saved, error) = outcome(save);
    view! {
        <section class="card" data-testid="settings-security">
            <div class="card-header"><h2>"Security"</h2></div>
            <form class="form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <Field label="Sign out after inactivity (minutes)" name="session_idle_minutes" value=idle error=error kind="number" />
                <Field label="Sessions end after (days)" name="session_max_days" value=max_days error=error kind="number" />
                <SaveRow pending=pending saved=saved error=error />
            </form>
        </section>
    }
}
