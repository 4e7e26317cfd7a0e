//! `/invite/discord`: where Discord sends an invitee back. It hands Discord's code to the
//! server, then returns to the invite page the browser came from.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::feedback::Loading;
use crate::pages::redeem::{Brand, RETURN_KEY, session_get, session_remove};

/// The invite page to go back to: the one that started linking, else the start page.
fn return_path() -> String {
    session_get(RETURN_KEY)
        .filter(|path| path.starts_with('/') && !path.starts_with("//"))
        .unwrap_or_else(|| "/".to_owned())
}

/// `/invite/discord`.
#[component]
pub(crate) fn DiscordCallback() -> impl IntoView {
    super::set_title("Linking Discord");
    let (code, state, error) =
        use_query_map().with_untracked(|q| (q.get("code"), q.get("state"), q.get("error")));
    let back = return_path();
    let failure = RwSignal::new(None::<String>);
    let link = Action::new_local(|(code, state): &(String, String)| {
        api::discord_callback(code.clone(), state.clone())
    });
    match (error, code, state) {
        (Some(error), _, _) => failure.set(Some(if error == "access_denied" {
            "Discord was not linked: the request was cancelled on Discord.".to_owned()
        } else {
            format!("Discord could not link your account ({error}).")
        })),
        (None, Some(code), Some(state)) => {
            link.dispatch((code, state));
        }
        _ => failure.set(Some(
            "This Discord link is incomplete. Go back to the invite and try again.".to_owned(),
        )),
    }
    let navigate = use_navigate();
    let target = back.clone();
    Effect::new(move |_| match link.value().get() {
        Some(Ok(_)) => {
            session_remove(RETURN_KEY);
            navigate(
                &target,
                NavigateOptions {
                    replace: true,
                    ..NavigateOptions::default()
                },
            );
        }
        Some(Err(error)) => failure.set(Some(error.message)),
        None => {}
    });
    view! {
        <main class="auth-page">
            <section class="card auth-card" data-testid="discord-callback">
                <Brand name=None />
                {move || match failure.get() {
                    None => view! { <Loading label="Linking your Discord account…" /> }.into_any(),
                    Some(message) => view! {
                        <div class="notice notice-bad" role="alert">{message}</div>
                        <a class="button" href=back.clone()>"Back to the invite"</a>
                    }
                        .into_any(),
                }}
            </section>
        </main>
    }
}
