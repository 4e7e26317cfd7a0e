//! Loading and error views shared by every page.

use leptos::prelude::*;

use crate::api::ApiError;

/// Shown while data loads.
#[component]
pub(crate) fn Loading(#[prop(default = "Loading…")] label: &'static str) -> impl IntoView {
    view! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>{label}</span>
        </div>
    }
}

/// Shown when a request failed, with a way to try again.
#[component]
pub(crate) fn ErrorView(error: ApiError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let ApiError {
        message,
        request_id,
        ..
    } = error;
    view! {
        <div class="error-view" role="alert">
            <div>
                <strong>"Something went wrong"</strong>
                <p>{message}</p>
                {request_id
                    .map(|id| {
                        view! { <p class="muted small">"Request id: " <code>{id}</code></p> }
                    })}
            </div>
            <button class="button" on:click=move |_| on_retry.run(())>
                "Try again"
            </button>
        </div>
    }
}
