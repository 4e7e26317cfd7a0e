//! "Sign in with Plex": start a PIN flow (the browser goes to Plex and comes back), then wait
//! for Plex to approve it.

use leptos::prelude::*;
use pum_api_types::auth::{PlexPinPurpose, PlexPinState};

use crate::api::{self, ApiError};
use crate::components::forms::FormError;

/// Starts a Plex sign-in for `purpose`; Plex sends the browser back to `return_path`.
#[component]
pub(crate) fn PlexButton(
    purpose: PlexPinPurpose,
    return_path: &'static str,
    #[prop(default = "Sign in with Plex")] label: &'static str,
) -> impl IntoView {
    let start = Action::new_local(move |(): &()| async move {
        let started = api::start_plex_pin(purpose, return_path.to_owned()).await?;
        let _ = window().location().set_href(&started.auth_url);
        Ok::<(), ApiError>(())
    });
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    view! {
        <button
            type="button"
            class="button button-plex"
            data-testid="plex-sign-in"
            disabled=move || start.pending().get()
            on:click=move |_| {
                start.dispatch(());
            }
        >
            {label}
        </button>
        <FormError error=error />
    }
}

/// Waits for the Plex sign-in started in this browser; calls `on_done` once Plex approved and
/// pum finished it.
#[component]
pub(crate) fn PlexWait(#[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let (message, set_message) =
        signal(Some("Waiting for Plex to confirm your sign-in…".to_owned()));
    let (failed, set_failed) = signal(false);
    leptos::task::spawn_local(async move {
        let mut delay = 1000;
        loop {
            sleep_ms(delay).await;
            match api::check_plex_pin().await {
                Ok(status) => match status.state {
                    PlexPinState::Done => {
                        set_message.try_set(None);
                        on_done.run(());
                        return;
                    }
                    PlexPinState::Expired => {
                        set_failed.try_set(true);
                        set_message.try_set(Some(
                            "The Plex sign-in expired before it was approved. Try again."
                                .to_owned(),
                        ));
                        return;
                    }
                    PlexPinState::Pending => {
                        delay = u32::try_from(status.retry_after_ms)
                            .unwrap_or(2000)
                            .clamp(1000, 5000);
                    }
                },
                Err(error) => {
                    set_failed.try_set(true);
                    set_message.try_set(Some(error.message));
                    return;
                }
            }
        }
    });
    view! {
        {move || {
            message
                .get()
                .map(|text| {
                    if failed.get() {
                        view! { <div class="notice notice-bad" role="alert">{text}</div> }.into_any()
                    } else {
                        view! {
                            <div class="loading" role="status" aria-live="polite">
                                <span class="spinner" aria-hidden="true"></span>
                                <span>{text}</span>
                            </div>
                        }
                            .into_any()
                    }
                })
        }}
    }
}

/// Sleeps `ms` milliseconds in the browser.
pub(crate) async fn sleep_ms(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
            &resolve,
            i32::try_from(ms).unwrap_or(1000),
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
