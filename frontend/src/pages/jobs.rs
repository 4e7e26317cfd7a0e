use std::time::Duration;

use leptos::prelude::*;
use pum_api_types::jobs::{JobInfo, JobRun, JobRunStatus, JobTrigger};

use crate::api::{self, ApiError};
use crate::components::badge::{Badge, Tone};
use crate::components::feedback::{ErrorView, Loading};
use crate::components::icons::Icon;
use crate::format;

/// Scheduled jobs, their recent runs, and "run now".
#[component]
pub(crate) fn Jobs() -> impl IntoView {
    super::set_title("Jobs");
    let jobs = LocalResource::new(api::jobs);
    let runs = LocalResource::new(|| api::job_runs(50));
    let run_job = Action::new_local(|name: &String| api::run_job(name.clone()));

    // Refresh after a run is queued, then poll while any run is unfinished. An idle page is
    // not re-rendered, so nothing moves under the pointer.
    Effect::new(move |_| {
        if run_job.value().get().is_some() {
            runs.refetch();
            jobs.refetch();
        }
    });
    let unfinished = move || {
        runs.get().and_then(Result::ok).is_some_and(|list| {
            list.runs
                .iter()
                .any(|run| matches!(run.status, JobRunStatus::Queued | JobRunStatus::Running))
        })
    };
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if unfinished() {
                runs.refetch();
                jobs.refetch();
            }
        },
        Duration::from_secs(2),
    ) {
        on_cleanup(move || handle.clear());
    }

    let run_error = move || run_job.value().get().and_then(Result::err);
    view! {
        <div class="page-header">
            <div>
                <h1>"Jobs"</h1>
                <p class="muted">
                    "Background work pum does on a schedule. Every instance sharing the database \
                     runs each scheduled tick once."
                </p>
            </div>
        </div>
        {move || {
            run_error()
                .map(|error: ApiError| {
                    view! {
                        <div class="notice notice-bad" role="alert">
                            "Could not start the job: " {error.message}
                        </div>
                    }
                })
        }}
        <section class="card">
            <div class="card-header">
                <h2>"Scheduled jobs"</h2>
            </div>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match jobs.await {
                        Ok(list) => {
                            view! { <JobTable jobs=list.jobs run_job=run_job /> }.into_any()
                        }
                        Err(error) => {
                            view! { <ErrorView error=error on_retry=move |()| jobs.refetch() /> }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
        <section class="card">
            <div class="card-header">
                <h2>"Recent runs"</h2>
                <button class="icon-button" aria-label="Refresh runs" on:click=move |_| runs.refetch()>
                    <Icon name="refresh" />
                </button>
            </div>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match runs.await {
                        Ok(list) => view! { <RunTable runs=list.runs /> }.into_any(),
                        Err(error) => {
                            view! { <ErrorView error=error on_retry=move |()| runs.refetch() /> }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn JobTable(
    jobs: Vec<JobInfo>,
    run_job: Action<String, Result<JobRun, ApiError>>,
) -> impl IntoView {
    let pending = run_job.pending();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="jobs-table">
                <thead>
                    <tr>
                        <th>"Job"</th>
                        <th>"Schedule (UTC)"</th>
                        <th>"Next run"</th>
                        <th>"Last run"</th>
                        <th class="actions"></th>
                    </tr>
                </thead>
                <tbody>
                    {jobs
                        .into_iter()
                        .map(|job| {
                            let name = job.name.clone();
                            view! {
                                <tr>
                                    <td>
                                        <div class="job-title">{job.title}</div>
                                        <div class="muted small">{job.description}</div>
                                    </td>
                                    <td class="mono">{job.schedule}</td>
                                    <td>
                                        {job
                                            .next_run_at
                                            .map_or_else(
                                                || "—".to_owned(),
                                                format::relative,
                                            )}
                                    </td>
                                    <td>
                                        {job
                                            .last_run
                                            .map_or_else(
                                                || view! { <span class="muted">"Never"</span> }.into_any(),
                                                |run| view! { <StatusBadge status=run.status /> }.into_any(),
                                            )}
                                    </td>
                                    <td class="actions">
                                        <button
                                            class="button"
                                            disabled=move || pending.get()
                                            on:click=move |_| {
                                                run_job.dispatch(name.clone());
                                            }
                                        >
                                            <Icon name="play" />
                                            "Run now"
                                        </button>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn RunTable(runs: Vec<JobRun>) -> impl IntoView {
    if runs.is_empty() {
        return view! {
            <p class="empty">"No runs yet. Scheduled runs and runs you start appear here."</p>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="runs-table">
                <thead>
                    <tr>
                        <th>"Job"</th>
                        <th>"Trigger"</th>
                        <th>"Queued"</th>
                        <th>"Status"</th>
                        <th>"Result"</th>
                    </tr>
                </thead>
                <tbody>
                    {runs
                        .into_iter()
                        .map(|run| {
                            view! {
                                <tr>
                                    <td class="mono">{run.job}</td>
                                    <td>
                                        {match run.trigger {
                                            JobTrigger::Schedule => "Schedule",
                                            JobTrigger::Manual => "Manual",
                                        }}
                                    </td>
                                    <td title=format::datetime(run.queued_at)>
                                        {format::relative(run.queued_at)}
                                    </td>
                                    <td>
                                        <StatusBadge status=run.status />
                                    </td>
                                    <td class="muted">{run.detail.unwrap_or_default()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn StatusBadge(status: JobRunStatus) -> impl IntoView {
    let (tone, label) = match status {
        JobRunStatus::Queued => (Tone::Busy, "Queued"),
        JobRunStatus::Running => (Tone::Busy, "Running"),
        JobRunStatus::Succeeded => (Tone::Good, "Succeeded"),
        JobRunStatus::Failed => (Tone::Bad, "Failed"),
    };
    view! { <Badge tone=tone label=label /> }
}
