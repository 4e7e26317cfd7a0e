//! `/i/:code`: the public invite page. Someone without a pum account sees what the invite
//! grants, signs in with Plex, links Discord when the invite asks for it, and accepts. The
//! server keeps the sign-ins in cookies bound to this browser; the page only remembers, per
//! tab, that it sent the browser to Plex or Discord.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use pum_api_types::invites::{InviteAccepted, InvitePreview, InviteState};

use crate::api::{self, ApiError};
use crate::components::feedback::{ErrorView, Loading};
use crate::format;
use crate::pages::redeem_steps::Steps;
use crate::state::AuthState;

/// sessionStorage: the code whose Plex sign-in this tab started, so the page polls on return.
pub(crate) const PLEX_STARTED_KEY: &str = "pum.invite.plex";
/// sessionStorage: where `/invite/discord` sends the browser after linking.
pub(crate) const RETURN_KEY: &str = "pum.invite.return";

fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// A value of this tab's sessionStorage.
pub(crate) fn session_get(key: &str) -> Option<String> {
    session_storage()?.get_item(key).ok().flatten()
}

/// Remembers `value` under `key` for this tab.
pub(crate) fn session_set(key: &str, value: &str) {
    if let Some(storage) = session_storage() {
        let _ = storage.set_item(key, value);
    }
}

/// Forgets `key`.
pub(crate) fn session_remove(key: &str) {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(key);
    }
}

/// `/i/:code`.
#[component]
pub(crate) fn Redeem() -> impl IntoView {
    super::set_title("Invitation");
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code").unwrap_or_default()));
    let preview = LocalResource::new(move || {
        let code = code.get();
        async move {
            if code.is_empty() {
                std::future::pending::<()>().await;
            }
            api::invite_preview(code).await
        }
    });
    let accepted = RwSignal::new(None::<InviteAccepted>);
    view! {
        <main class="auth-page">
            <section class="card auth-card invite-card" data-testid="invite-page">
                <Transition fallback=|| view! { <Loading /> }>
                    {move || Suspend::new(async move {
                        match preview.await {
                            Ok(found) => view! {
                                <Invitation
                                    code=code.get_untracked()
                                    preview=found
                                    accepted=accepted
                                    on_changed=move |()| preview.refetch()
                                />
                            }
                                .into_any(),
                            Err(error) => view! {
                                <Brand name=None />
                                <Unavailable error=error on_retry=move |()| preview.refetch() />
                            }
                                .into_any(),
                        }
                    })}
                </Transition>
            </section>
        </main>
    }
}

/// The app's mark and name (from the invite, else from the setup status).
#[component]
pub(crate) fn Brand(name: Option<String>) -> impl IntoView {
    let auth = expect_context::<AuthState>();
    let name = move || {
        name.clone()
            .or_else(|| auth.setup.get().map(|s| s.app_name))
            .unwrap_or_else(|| "Plex User Manager".to_owned())
    };
    view! {
        <div class="auth-brand">
            <span class="brand-mark" aria-hidden="true">"P"</span>
            <h1>{name}</h1>
        </div>
    }
}

/// The preview could not be loaded: an unknown link, too many attempts, or another failure.
#[component]
fn Unavailable(error: ApiError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    match error.status {
        400 | 404 => view! {
            <div class="notice notice-bad" role="alert" data-testid="invite-invalid">
                "This invite link isn't valid. Check that you copied the whole link."
            </div>
        }
        .into_any(),
        429 => view! {
            <div class="notice notice-bad" role="alert">
                <p>{too_many(&error)}</p>
                <button class="button" on:click=move |_| on_retry.run(())>"Try again"</button>
            </div>
        }
        .into_any(),
        _ => view! { <ErrorView error=error on_retry=on_retry /> }.into_any(),
    }
}

/// The words for a 429.
pub(crate) fn too_many(error: &ApiError) -> String {
    match error.retry_after_seconds {
        Some(secs) => format!("Too many attempts. Try again in {secs} seconds."),
        None => "Too many attempts. Wait a moment and try again.".to_owned(),
    }
}

/// The invite, whichever way it stands.
#[component]
fn Invitation(
    code: String,
    preview: InvitePreview,
    accepted: RwSignal<Option<InviteAccepted>>,
    #[prop(into)] on_changed: Callback<()>,
) -> impl IntoView {
    super::set_title(&format!("Join {}", preview.app_name));
    if preview.plex.is_some() && session_get(PLEX_STARTED_KEY).as_deref() == Some(code.as_str()) {
        session_remove(PLEX_STARTED_KEY);
    }
    let app_name = preview.app_name.clone();
    let server = preview
        .server_name
        .clone()
        .unwrap_or_else(|| "the Plex server".to_owned());
    let body = move || {
        if let Some(done) = accepted.get() {
            return view! { <Welcome welcome=WelcomeFacts::from(done) /> }.into_any();
        }
        if preview.redeemed {
            return view! { <Welcome welcome=WelcomeFacts::from(&preview) /> }.into_any();
        }
        let lead = view! {
            <p class="invite-lead">"You're invited to " <strong>{server.clone()}</strong> "."</p>
        };
        if preview.state != InviteState::Active {
            return view! { {lead} <Closed state=preview.state /> }.into_any();
        }
        view! {
            {lead}
            <Offer preview=preview.clone() />
            <Steps code=code.clone() preview=preview.clone() accepted=accepted on_changed=on_changed />
        }
        .into_any()
    };
    view! {
        <Brand name=Some(app_name) />
        {body}
    }
}

/// An invite that cannot be used any more.
#[component]
fn Closed(state: InviteState) -> impl IntoView {
    let why = match state {
        InviteState::Expired => "This invite has expired.",
        InviteState::UsedUp => "This invite has been used up.",
        InviteState::Disabled | InviteState::Active => "This invite is no longer active.",
    };
    view! {
        <div class="notice" role="status" data-testid="invite-closed">
            <p>
                <strong>{why}</strong>
                " Ask the person who sent it to you for a new link."
            </p>
        </div>
    }
}

/// What the invite grants.
#[component]
fn Offer(preview: InvitePreview) -> impl IntoView {
    let libraries = if preview.libraries.is_empty() {
        "—".to_owned()
    } else {
        preview.libraries.join(", ")
    };
    let facts = vec![
        ("Libraries", libraries),
        (
            "Access",
            preview.membership_days.map_or_else(
                || "No end date".to_owned(),
                |d| format!("{} from when you join", format::days(d)),
            ),
        ),
        (
            "Downloads",
            if preview.allow_downloads {
                "Allowed"
            } else {
                "Not allowed"
            }
            .to_owned(),
        ),
        (
            "Link expires",
            preview
                .expires_at
                .map_or_else(|| "Never".to_owned(), format::datetime),
        ),
        (
            "Uses left",
            preview
                .uses_left
                .map_or_else(|| "Unlimited".to_owned(), |n| n.to_string()),
        ),
    ];
    view! {
        <dl class="facts invite-offer" data-testid="invite-offer">
            {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
        </dl>
    }
}

/// When the access ends, as far as the page knows.
#[derive(Debug, Clone)]
enum Ends {
    At(DateTime<Utc>),
    DaysAfterJoining(u32),
    Never,
}

/// What the success view shows.
#[derive(Debug, Clone)]
struct WelcomeFacts {
    server: String,
    username: String,
    libraries: Vec<String>,
    ends: Ends,
    /// `Some(false)`: the invitee still accepts the share on Plex; `None`: not known.
    accepted: Option<bool>,
}

impl From<InviteAccepted> for WelcomeFacts {
    fn from(done: InviteAccepted) -> Self {
        Self {
            server: done
                .server_name
                .unwrap_or_else(|| "the Plex server".to_owned()),
            username: done.username,
            libraries: done.libraries,
            ends: done.expires_at.map_or(Ends::Never, Ends::At),
            accepted: Some(done.accepted),
        }
    }
}

impl From<&InvitePreview> for WelcomeFacts {
    fn from(preview: &InvitePreview) -> Self {
        Self {
            server: preview
                .server_name
                .clone()
                .unwrap_or_else(|| "the Plex server".to_owned()),
            username: preview
                .plex
                .as_ref()
                .map(|p| p.username.clone())
                .unwrap_or_default(),
            libraries: preview.libraries.clone(),
            ends: preview
                .membership_days
                .map_or(Ends::Never, Ends::DaysAfterJoining),
            accepted: None,
        }
    }
}

/// "You're in!": what they got and how to start watching.
#[component]
fn Welcome(welcome: WelcomeFacts) -> impl IntoView {
    let WelcomeFacts {
        server,
        username,
        libraries,
        ends,
        accepted,
    } = welcome;
    let ends = match ends {
        Ends::At(at) => format!("Your access ends {}.", format::datetime(at)),
        Ends::DaysAfterJoining(days) => {
            format!("Your access ends {} after you joined.", format::days(days))
        }
        Ends::Never => "Your access has no end date.".to_owned(),
    };
    let accept_step = match accepted {
        Some(false) => Some(
            "Accept the invite from Plex: open the e-mail Plex sent you, or the notifications (the bell) in Plex, and accept it.",
        ),
        None => {
            Some("If Plex shows you an invite (in an e-mail or in its notifications), accept it.")
        }
        Some(true) => None,
    };
    let signed_in_as = (!username.is_empty()).then(|| {
        view! { <li>"Sign in as " <strong>{username}</strong> "."</li> }
    });
    view! {
        <div class="invite-welcome" data-testid="invite-success">
            <h2>"You're in!"</h2>
            <p>"You now have access to " <strong>{server.clone()}</strong> "."</p>
            {(!libraries.is_empty()).then(|| view! {
                <p>"Libraries: " {libraries.join(", ")}</p>
            })}
            <p>{ends}</p>
            <h3>"Start watching"</h3>
            <ol class="invite-howto">
                {accept_step.map(|text| view! { <li>{text}</li> })}
                <li>
                    "Open "
                    <a class="link" href="https://app.plex.tv" target="_blank" rel="noopener noreferrer">"app.plex.tv"</a>
                    " or the Plex app on your TV, phone or console."
                </li>
                {signed_in_as}
                <li>{server} " appears in the sidebar under “More”, and its libraries on Home."</li>
            </ol>
        </div>
    }
}
