//! Mass actions on the users selected on `/users`, and the progress of the running one.

use std::time::Duration;

use leptos::prelude::*;
use pum_api_types::users::{
    BatchAction, BatchRequest, BatchStatus, BatchView, ItemStatus, LibraryAccess, LibraryView,
};

use crate::api::{self, ApiError};
use crate::components::badge::{Badge, Tone};
use crate::components::forms::{Check, FormError};

/// What the action menu offers.
const ACTIONS: &[(&str, &str)] = &[
    ("add_libraries", "Add libraries"),
    ("remove_libraries", "Take libraries away"),
    ("set_libraries", "Share exactly these libraries"),
    ("allow_downloads", "Allow downloads"),
    ("deny_downloads", "Deny downloads"),
    ("extend_expiry", "Extend membership"),
    ("remove", "Remove from Plex and pum"),
];

fn action_of(kind: &str, libraries: Vec<u64>, days: u32) -> Option<BatchAction> {
    Some(match kind {
        "add_libraries" => BatchAction::AddLibraries {
            library_ids: libraries,
        },
        "remove_libraries" => BatchAction::RemoveLibraries {
            library_ids: libraries,
        },
        "set_libraries" => BatchAction::SetLibraries {
            libraries: LibraryAccess::Only {
                library_ids: libraries,
            },
        },
        "allow_downloads" => BatchAction::SetDownloads { allow: true },
        "deny_downloads" => BatchAction::SetDownloads { allow: false },
        "extend_expiry" => BatchAction::ExtendExpiry { days },
        "remove" => BatchAction::Remove,
        _ => return None,
    })
}

/// The bar shown while users are selected. `on_started` gets the queued batch.
#[component]
pub(crate) fn MassActions(
    selected: RwSignal<Vec<String>>,
    libraries: Vec<LibraryView>,
    #[prop(into)] on_started: Callback<BatchView>,
) -> impl IntoView {
    let kind = RwSignal::new("add_libraries".to_owned());
    let chosen = RwSignal::new(Vec::<u64>::new());
    let days = RwSignal::new("30".to_owned());
    let confirming = RwSignal::new(false);
    let start = Action::new_local(move |action: &BatchAction| {
        let body = BatchRequest {
            user_ids: selected.get_untracked(),
            action: action.clone(),
        };
        async move { api::start_batch(body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(batch)) = start.value().get() {
            confirming.set(false);
            on_started.run(batch);
        }
    });
    let submit = move || {
        let days = days.get_untracked().trim().parse().unwrap_or(0);
        if let Some(action) = action_of(&kind.get_untracked(), chosen.get_untracked(), days) {
            start.dispatch(action);
        }
    };
    let needs_libraries = move || kind.with(|k| k.ends_with("libraries"));
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    view! {
        <section class="card mass-actions" data-testid="mass-actions">
            <div class="card-header">
                <h2>{move || format!("{} selected", selected.with(Vec::len))}</h2>
                <button class="button small" on:click=move |_| selected.set(Vec::new())>"Clear selection"</button>
            </div>
            <div class="toolbar">
                <label class="field inline">
                    "Action "
                    <select name="action" on:change=move |ev| { kind.set(event_target_value(&ev)); confirming.set(false); }>
                        {ACTIONS.iter().map(|(value, label)| view! { <option value=*value>{*label}</option> }).collect_view()}
                    </select>
                </label>
                <Show when=move || kind.with(|k| k == "extend_expiry")>
                    <label class="field inline">
                        "Days "
                        <input type="number" name="days" min="1" max="3650" prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev)) />
                    </label>
                </Show>
            </div>
            <Show when=needs_libraries>
                <div class="checks library-checks">
                    {libraries.iter().map(|l| view! { <Check item=l.id chosen=chosen label=l.title.clone() /> }).collect_view()}
                </div>
            </Show>
            <FormError error=error />
            {move || if kind.with(|k| k == "remove") && !confirming.get() {
                view! {
                    <button class="button button-danger" on:click=move |_| confirming.set(true)>"Remove…"</button>
                }.into_any()
            } else if kind.with(|k| k == "remove") {
                view! {
                    <div class="notice notice-bad" role="alertdialog">
                        <p>
                            {move || format!("Remove {} users? Their access to the server ends on Plex now (friends lose every share, Home members leave the Home), and pum forgets their notes, expiry and history.", selected.with(Vec::len))}
                        </p>
                        <div class="actions">
                            <button class="button button-danger" on:click=move |_| submit() disabled=move || start.pending().get()>"Yes, remove them"</button>
                            <button class="button" on:click=move |_| confirming.set(false)>"Cancel"</button>
                        </div>
                    </div>
                }.into_any()
            } else {
                view! {
                    <button class="button button-primary" on:click=move |_| submit() disabled=move || start.pending().get()>"Apply"</button>
                }.into_any()
            }}
        </section>
    }
}

/// A mass action's progress and per-user results, polled until it finishes.
#[component]
pub(crate) fn BatchProgress(id: String, #[prop(into)] on_finished: Callback<()>) -> impl IntoView {
    let batch_id = StoredValue::new(id);
    let batch = LocalResource::new(move || api::batch(batch_id.get_value()));
    let retry = Action::new_local(move |(): &()| api::retry_batch(batch_id.get_value()));
    let reported = StoredValue::new(false);
    Effect::new(move |_| {
        if retry.value().get().is_some() {
            reported.set_value(false);
            batch.refetch();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(b)) = batch.get()
            && b.status != BatchStatus::Running
            && !reported.get_value()
        {
            reported.set_value(true);
            on_finished.run(());
        }
    });
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if batch
                .get_untracked()
                .and_then(Result::ok)
                .is_some_and(|b| b.status == BatchStatus::Running)
            {
                batch.refetch();
            }
        },
        Duration::from_millis(500),
    ) {
        on_cleanup(move || handle.clear());
    }
    let retry_error = Signal::derive(move || retry.value().get().and_then(Result::err));
    view! {
        <section class="card" data-testid="batch-progress">
            {move || batch.get().map(|result| match result {
                Ok(b) => view! { <BatchResult batch=b retry=retry /> }.into_any(),
                Err(e) => view! { <p class="notice notice-bad">{e.message}</p> }.into_any(),
            })}
            <FormError error=retry_error />
        </section>
    }
}

#[component]
fn BatchResult(batch: BatchView, retry: Action<(), Result<BatchView, ApiError>>) -> impl IntoView {
    let (tone, label) = match batch.status {
        BatchStatus::Running => (Tone::Busy, "running"),
        BatchStatus::Succeeded => (Tone::Good, "done"),
        BatchStatus::PartlyFailed => (Tone::Bad, "some failed"),
    };
    let percent = (batch.done * 100).checked_div(batch.total).unwrap_or(100);
    let failures: Vec<_> = batch
        .items
        .iter()
        .filter(|i| matches!(i.status, ItemStatus::Failed | ItemStatus::Skipped))
        .cloned()
        .collect();
    let can_retry = batch.status == BatchStatus::PartlyFailed;
    view! {
        <div class="card-header">
            <h2>{batch.description.clone()}</h2>
            <Badge tone=tone label=label />
        </div>
        <progress max=batch.total value=batch.done aria-label="progress"></progress>
        <p data-testid="batch-count">{format!("{} of {} users done ({percent} %), {} failed", batch.done, batch.total, batch.failed)}</p>
        {(!failures.is_empty()).then(|| view! {
            <ul class="name-list">
                {failures.into_iter().map(|i| {
                    let state = if i.status == ItemStatus::Failed { "failed" } else { "skipped" };
                    view! { <li><strong>{i.label}</strong>{format!(" {state}: ")}{i.message.unwrap_or_default()}</li> }
                }).collect_view()}
            </ul>
        })}
        {can_retry.then(|| view! {
            <button class="button" on:click=move |_| { retry.dispatch(()); }>"Retry the failed users"</button>
        })}
    }
}
