//! The sync panel of `/users`: the newest sync with its summary or warning, "Sync now", and
//! the confirmation a held sync waits for.

use std::time::Duration;

use leptos::prelude::*;
use pum_api_types::users::{SyncStatus, SyncView};

use crate::api::{self, ApiError};
use crate::components::badge::{Badge, Tone};
use crate::components::forms::FormError;
use crate::format;

fn running(sync: Option<&SyncView>) -> bool {
    sync.is_some_and(|s| matches!(s.status, SyncStatus::Queued | SyncStatus::Running))
}

fn badge(status: SyncStatus) -> (Tone, &'static str) {
    match status {
        SyncStatus::Queued => (Tone::Busy, "queued"),
        SyncStatus::Running => (Tone::Busy, "syncing…"),
        SyncStatus::Succeeded => (Tone::Good, "synced"),
        SyncStatus::Inconclusive => (Tone::Bad, "nothing changed"),
        SyncStatus::AwaitingConfirmation => (Tone::Bad, "needs your confirmation"),
        SyncStatus::Confirmed => (Tone::Neutral, "confirmed"),
    }
}

/// The sync panel. `on_synced` runs when a sync finishes, so the list can reload.
#[component]
pub(crate) fn SyncPanel(
    can_edit: bool,
    can_schedule: bool,
    #[prop(into)] on_synced: Callback<()>,
) -> impl IntoView {
    let overview = LocalResource::new(api::sync_overview);
    let start = Action::new_local(|(): &()| api::start_sync());
    let confirm = Action::new_local(|id: &String| api::confirm_sync(id.clone()));
    let was_running = StoredValue::new(false);
    Effect::new(move |_| {
        if start.value().get().is_some() || confirm.value().get().is_some() {
            overview.refetch();
        }
    });
    Effect::new(move |_| {
        let latest = overview.get().and_then(Result::ok).and_then(|o| o.latest);
        let now_running = running(latest.as_ref());
        if was_running.get_value() && !now_running {
            on_synced.run(());
        }
        was_running.set_value(now_running);
    });
    if let Ok(handle) = set_interval_with_handle(
        move || {
            let latest = overview
                .get_untracked()
                .and_then(Result::ok)
                .and_then(|o| o.latest);
            if running(latest.as_ref()) {
                overview.refetch();
            }
        },
        Duration::from_millis(700),
    ) {
        on_cleanup(move || handle.clear());
    }
    let error = Signal::derive(move || {
        start
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| confirm.value().get().and_then(Result::err))
    });
    view! {
        <section class="card" data-testid="sync-panel">
            <div class="card-header">
                <h2>"Sync with Plex"</h2>
                {can_edit.then(|| view! {
                    <button
                        class="button button-primary"
                        disabled=move || start.pending().get() || running(overview.get().and_then(Result::ok).and_then(|o| o.latest).as_ref())
                        on:click=move |_| { start.dispatch(()); }
                    >
                        "Sync now"
                    </button>
                })}
            </div>
            <FormError error=error />
            {move || overview.get().map(|result| match result {
                Ok(o) => view! {
                    <SyncSummary latest=o.latest interval=o.interval_hours next_at=o.next_at can_edit=can_edit confirm=confirm />
                }.into_any(),
                Err(e) => view! { <p class="muted">{e.message}</p> }.into_any(),
            })}
            {can_schedule.then(|| view! { <Schedule on_saved=move |()| overview.refetch() /> })}
        </section>
    }
}

#[component]
fn SyncSummary(
    latest: Option<SyncView>,
    interval: u32,
    next_at: Option<chrono::DateTime<chrono::Utc>>,
    can_edit: bool,
    confirm: Action<String, Result<SyncView, ApiError>>,
) -> impl IntoView {
    let schedule = match (interval, next_at) {
        (0, _) => "Scheduled syncs are off.".to_owned(),
        (h, Some(at)) => format!("Every {h} h; next {}.", format::datetime(at)),
        (h, None) => format!("Every {h} h."),
    };
    let Some(sync) = latest else {
        return view! { <p class="muted">"Never synced. " {schedule}</p> }.into_any();
    };
    let (tone, label) = badge(sync.status);
    let when = sync
        .finished_at
        .or(sync.started_at)
        .unwrap_or(sync.queued_at);
    let counts = (sync.status == SyncStatus::Succeeded).then(|| {
        format!(
            "{} added, {} updated, {} marked gone, {} unchanged.",
            sync.added, sync.updated, sync.removed, sync.unchanged
        )
    });
    let held = sync.status == SyncStatus::AwaitingConfirmation;
    let id = sync.id.clone();
    let removals = sync.removals.clone();
    view! {
        <div class="sync-summary" data-testid="sync-status">
            <p>
                <Badge tone=tone label=label />" "
                {format::relative(when)}
                {sync.requested_by.map(|by| format!(" by {by}"))}
                ". "
                {counts}
            </p>
            {sync.message.map(|m| view! {
                <p class=if held || sync.status == SyncStatus::Inconclusive { "notice notice-bad" } else { "muted" } role="status">{m}</p>
            })}
            {held.then(|| view! {
                <details open>
                    <summary>{format!("{} users would be marked as gone", removals.len())}</summary>
                    <ul class="name-list">
                        {removals.into_iter().map(|r| view! { <li>{r.name}</li> }).collect_view()}
                    </ul>
                </details>
                {can_edit.then(|| {
                    let id = id.clone();
                    view! {
                        <button class="button button-danger" on:click=move |_| { confirm.dispatch(id.clone()); }>
                            "Confirm and sync again"
                        </button>
                    }
                })}
            })}
            <p class="muted small">{schedule}</p>
        </div>
    }
    .into_any()
}

/// How often the schedule syncs, for admins who manage settings.
#[component]
fn Schedule(#[prop(into)] on_saved: Callback<()>) -> impl IntoView {
    let hours = RwSignal::new(String::new());
    let save = Action::new_local(move |(): &()| {
        let value = hours.get_untracked().trim().parse().unwrap_or(u32::MAX);
        api::set_sync_schedule(value)
    });
    Effect::new(move |_| {
        if let Some(Ok(o)) = save.value().get() {
            hours.set(o.interval_hours.to_string());
            on_saved.run(());
        }
    });
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    view! {
        <details>
            <summary>"Schedule"</summary>
            <form class="toolbar" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <label class="field inline">
                    "Sync every "
                    <input type="number" name="interval_hours" min="0" max="168" placeholder="6" prop:value=move || hours.get() on:input=move |ev| hours.set(event_target_value(&ev)) />
                    " hours (0: only by hand)"
                </label>
                <button class="button small" type="submit" disabled=move || save.pending().get()>"Save"</button>
            </form>
            <FormError error=error />
        </details>
    }
}
