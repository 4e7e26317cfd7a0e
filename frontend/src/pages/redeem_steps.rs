//! The steps of the invite page: sign in with Plex (and, back from Plex, wait until the
//! sign-in is confirmed), link Discord when the invite asks for it, and accept.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;
use pum_api_types::invites::{InviteAccepted, InvitePlexState, InvitePreview, InviteeAccount};
use pum_api_types::settings::DiscordLinking;

use crate::api::{self, ApiError};
use crate::components::badge::{Badge, Tone};
use crate::components::forms::FormError;
use crate::components::plex::sleep_ms;
use crate::pages::redeem::{
    PLEX_STARTED_KEY, RETURN_KEY, session_get, session_remove, session_set, too_many,
};
use crate::pages::users::avatar;

/// Plex sign-in, Discord (unless off) and the accept button. `on_changed` reloads the
/// preview; `accepted` receives the result of accepting.
#[component]
pub(crate) fn Steps(
    code: String,
    preview: InvitePreview,
    accepted: RwSignal<Option<InviteAccepted>>,
    #[prop(into)] on_changed: Callback<()>,
) -> impl IntoView {
    let InvitePreview {
        plex,
        plex_problem,
        discord,
        discord_account,
        guild_required,
        ..
    } = preview;
    let code = StoredValue::new(code);
    let signed_in = plex.is_some();
    let blocked = plex_problem.is_some();
    let discord_done = discord != DiscordLinking::Required || discord_account.is_some();
    let ready = signed_in && !blocked && discord_done;
    let still_needed = if !signed_in {
        Some("Sign in with Plex first.")
    } else if !discord_done {
        Some("Link your Discord account first.")
    } else {
        None
    };
    let accept = Action::new_local(move |(): &()| api::accept_invite(code.get_value()));
    Effect::new(move |_| {
        if let Some(Ok(done)) = accept.value().get() {
            accepted.set(Some(done));
        }
    });
    let accept_error = move || {
        accept.value().get().and_then(Result::err).map(|e| {
            let text = if e.status == 429 {
                too_many(&e)
            } else {
                e.message
            };
            view! { <div class="notice notice-bad" role="alert" data-testid="accept-error">{text}</div> }
        })
    };
    let linked = discord_account.is_some();
    let discord = (discord != DiscordLinking::Off && !blocked).then(|| {
        view! {
            <li class="invite-step" class:done=linked>
                <DiscordStep
                    code=code
                    rule=discord
                    guild_required=guild_required
                    account=discord_account
                />
            </li>
        }
    });
    view! {
        <ol class="invite-steps">
            <li class="invite-step" class:done=signed_in && !blocked>
                <h2>"Your Plex account"</h2>
                {match plex {
                    Some(account) => view! { <SignedIn code=code account=account on_changed=on_changed /> }.into_any(),
                    None => view! { <PlexStep code=code on_signed_in=on_changed /> }.into_any(),
                }}
                {plex_problem.map(|problem| view! {
                    <div class="notice notice-bad" role="alert" data-testid="plex-problem">{problem}</div>
                })}
            </li>
            {discord}
            {(!blocked).then(|| view! {
                <li class="invite-step">
                    <h2>"Join"</h2>
                    <div class="actions">
                        <button
                            class="button button-primary"
                            disabled=move || !ready || accept.pending().get()
                            on:click=move |_| { accept.dispatch(()); }
                        >
                            "Accept invite"
                        </button>
                        {move || accept.pending().get().then(|| view! {
                            <span class="muted small" role="status">"Sharing the libraries with you on Plex…"</span>
                        })}
                    </div>
                    {still_needed.map(|text| view! { <p class="field-hint">{text}</p> })}
                    {accept_error}
                </li>
            })}
        </ol>
    }
}

/// The Plex account signed in in this browser, and a way to use another.
#[component]
fn SignedIn(
    code: StoredValue<String>,
    account: InviteeAccount,
    on_changed: Callback<()>,
) -> impl IntoView {
    let forget = Action::new_local(move |(): &()| api::forget_invite_session(code.get_value()));
    Effect::new(move |_| {
        if matches!(forget.value().get(), Some(Ok(()))) {
            on_changed.run(());
        }
    });
    let error = Signal::derive(move || forget.value().get().and_then(Result::err));
    // The page's content security policy allows images over https only.
    let picture = match account.thumb.filter(|url| url.starts_with("https://")) {
        Some(url) => {
            view! { <img class="avatar" src=url alt="" referrerpolicy="no-referrer" /> }.into_any()
        }
        None => avatar(&account.username, false).into_any(),
    };
    view! {
        <div class="user-cell" data-testid="plex-account">
            {picture}
            <div>
                <div>"Signed in as " <strong>{account.username}</strong></div>
                <a
                    class="link small"
                    href=format!("/i/{}", code.get_value())
                    on:click=move |ev| {
                        ev.prevent_default();
                        forget.dispatch(());
                    }
                >
                    "Use a different account"
                </a>
            </div>
        </div>
        <FormError error=error />
    }
}

/// "Sign in with Plex", or the wait for Plex's confirmation after coming back from it.
#[component]
fn PlexStep(code: StoredValue<String>, on_signed_in: Callback<()>) -> impl IntoView {
    let started_here = session_get(PLEX_STARTED_KEY).as_deref() == Some(code.get_value().as_str());
    let waiting = RwSignal::new(started_here);
    let notice = RwSignal::new(None::<String>);
    let leaving = RwSignal::new(false);
    let start = Action::new_local(move |(): &()| {
        let code = code.get_value();
        async move {
            let started = api::start_invite_plex(code.clone()).await?;
            session_set(PLEX_STARTED_KEY, &code);
            leaving.try_set(true);
            let _ = window().location().set_href(&started.auth_url);
            Ok::<(), ApiError>(())
        }
    });
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    let stop = Callback::new(move |message: Option<String>| {
        waiting.set(false);
        notice.set(message);
    });
    view! {
        {move || notice.get().map(|text| view! { <div class="notice notice-bad" role="alert">{text}</div> })}
        {move || if waiting.get() {
            view! {
                <PlexWait code=code on_done=on_signed_in on_stop=stop />
                <button
                    class="button small"
                    on:click=move |_| {
                        session_remove(PLEX_STARTED_KEY);
                        waiting.set(false);
                    }
                >
                    "Cancel"
                </button>
            }
                .into_any()
        } else {
            view! {
                <button
                    type="button"
                    class="button button-plex"
                    disabled=move || start.pending().get() || leaving.get()
                    on:click=move |_| { start.dispatch(()); }
                >
                    "Sign in with Plex"
                </button>
                <p class="muted small">"You sign in on plex.tv; this site never sees your Plex password."</p>
            }
                .into_any()
        }}
        <FormError error=error />
    }
}

/// Polls the Plex sign-in this tab started until Plex confirms it (`on_done`) or it cannot
/// finish (`on_stop`, with what to tell the person; `None` when nothing was under way).
#[component]
fn PlexWait(
    code: StoredValue<String>,
    on_done: Callback<()>,
    on_stop: Callback<Option<String>>,
) -> impl IntoView {
    let stopped = Arc::new(AtomicBool::new(false));
    let stop_on_cleanup = Arc::clone(&stopped);
    on_cleanup(move || stop_on_cleanup.store(true, Ordering::Relaxed));
    let code = code.get_value();
    leptos::task::spawn_local(async move {
        let mut delay = 0;
        loop {
            if delay > 0 {
                sleep_ms(delay).await;
            }
            if stopped.load(Ordering::Relaxed) {
                return;
            }
            let result = api::check_invite_plex(code.clone()).await;
            if stopped.load(Ordering::Relaxed) {
                return;
            }
            match result {
                Ok(status) => match status.state {
                    InvitePlexState::SignedIn => {
                        session_remove(PLEX_STARTED_KEY);
                        on_done.run(());
                        return;
                    }
                    InvitePlexState::Expired => {
                        session_remove(PLEX_STARTED_KEY);
                        on_stop.run(Some(
                            "The Plex sign-in took too long. Sign in with Plex again.".to_owned(),
                        ));
                        return;
                    }
                    InvitePlexState::Pending => {
                        delay = u32::try_from(status.retry_after_ms)
                            .unwrap_or(2000)
                            .clamp(1000, 5000);
                    }
                },
                // Nothing under way (it finished in another tab, or the server forgot it).
                Err(error) if error.status == 404 => {
                    session_remove(PLEX_STARTED_KEY);
                    on_stop.run(None);
                    return;
                }
                Err(error) if error.status == 429 => {
                    let secs = error.retry_after_seconds.unwrap_or(5).min(60);
                    delay = u32::try_from(secs * 1000).unwrap_or(5000).max(1000);
                }
                Err(error) => {
                    on_stop.run(Some(error.message));
                    return;
                }
            }
        }
    });
    view! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>"Waiting for Plex to confirm your sign-in…"</span>
        </div>
    }
}

/// Linking a Discord account: the button, or the account linked.
#[component]
fn DiscordStep(
    code: StoredValue<String>,
    rule: DiscordLinking,
    guild_required: bool,
    account: Option<String>,
) -> impl IntoView {
    let leaving = RwSignal::new(false);
    let start = Action::new_local(move |(): &()| {
        let code = code.get_value();
        async move {
            let started = api::start_invite_discord(code.clone()).await?;
            session_set(RETURN_KEY, &format!("/i/{code}"));
            leaving.try_set(true);
            let _ = window().location().set_href(&started.auth_url);
            Ok::<(), ApiError>(())
        }
    });
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    let (tone, label) = if rule == DiscordLinking::Required {
        (Tone::Busy, "Required")
    } else {
        (Tone::Neutral, "Optional")
    };
    view! {
        <h2>"Discord " <Badge tone=tone label=label /></h2>
        {guild_required.then(|| view! {
            <p class="muted small">"Your Discord account must be a member of our Discord server."</p>
        })}
        {match account {
            Some(name) => view! { <p data-testid="discord-account">"Discord: " <strong>{name}</strong></p> }.into_any(),
            None => view! {
                <button
                    type="button"
                    class="button button-discord"
                    disabled=move || start.pending().get() || leaving.get()
                    on:click=move |_| { start.dispatch(()); }
                >
                    "Link Discord"
                </button>
            }
                .into_any(),
        }}
        <FormError error=error />
    }
}
