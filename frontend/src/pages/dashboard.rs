use leptos::prelude::*;
use leptos_router::components::A;
use pum_api_types::jobs::{JobInfo, JobRunStatus};
use pum_api_types::system::{DatabaseEngine, PlexStatus, SystemStatus};

use crate::api;
use crate::components::badge::{Badge, Tone};
use crate::components::feedback::{ErrorView, Loading};
use crate::format;

/// The landing page: server, database, instance and jobs at a glance.
#[component]
pub(crate) fn Dashboard() -> impl IntoView {
    super::set_title("Dashboard");
    let status = LocalResource::new(api::system_status);
    let jobs = LocalResource::new(api::jobs);
    view! {
        <div class="page-header">
            <div>
                <h1>"Dashboard"</h1>
                <p class="muted">"Your Plex server and this installation at a glance."</p>
            </div>
        </div>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(status) => view! { <StatusCards status=status /> }.into_any(),
                    Err(error) => {
                        view! { <ErrorView error=error on_retry=move |()| status.refetch() /> }
                            .into_any()
                    }
                }
            })}
        </Transition>
        <section class="card">
            <div class="card-header">
                <h2>"Background jobs"</h2>
                <A href="/jobs" attr:class="link">
                    "All jobs"
                </A>
            </div>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match jobs.await {
                        Ok(list) => view! { <JobSummary jobs=list.jobs /> }.into_any(),
                        Err(error) => {
                            view! { <ErrorView error=error on_retry=move |()| jobs.refetch() /> }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn StatusCards(status: SystemStatus) -> impl IntoView {
    let plex = match status.plex {
        PlexStatus::NotConfigured => view! {
            <StatCard title="Plex Media Server" value="Not configured".to_owned() tone=Tone::Neutral>
                <p class="muted">"Set PUM_PLEX_URL and PUM_PLEX_TOKEN to connect your server."</p>
            </StatCard>
        }
        .into_any(),
        PlexStatus::Online { name, machine_identifier, version, url } => view! {
            <StatCard
                title="Plex Media Server"
                value=name.unwrap_or_else(|| "Online".to_owned())
                tone=Tone::Good
            >
                <dl class="facts">
                    <dt>"Status"</dt>
                    <dd>
                        <Badge tone=Tone::Good label="Online" />
                    </dd>
                    <dt>"Version"</dt>
                    <dd>{version}</dd>
                    <dt>"Address"</dt>
                    <dd class="truncate">{url}</dd>
                    <dt>"Machine id"</dt>
                    <dd class="truncate mono">{machine_identifier}</dd>
                </dl>
            </StatCard>
        }
        .into_any(),
        PlexStatus::Offline { url, reason } => view! {
            <StatCard title="Plex Media Server" value="Unreachable".to_owned() tone=Tone::Bad>
                <dl class="facts">
                    <dt>"Status"</dt>
                    <dd>
                        <Badge tone=Tone::Bad label="Offline" />
                    </dd>
                    <dt>"Address"</dt>
                    <dd class="truncate">{url}</dd>
                </dl>
                <p class="muted small">{reason}</p>
            </StatCard>
        }
        .into_any(),
    };
    let engine = match status.database.engine {
        DatabaseEngine::Sqlite => "SQLite",
        DatabaseEngine::Postgres => "PostgreSQL",
    };
    let (db_tone, db_label) = if status.database.reachable {
        (Tone::Good, "Connected")
    } else {
        (Tone::Bad, "Unreachable")
    };
    view! {
        <div class="grid" data-testid="status-cards">
            {plex}
            <StatCard title="Database" value=engine.to_owned() tone=db_tone>
                <dl class="facts">
                    <dt>"Status"</dt>
                    <dd>
                        <Badge tone=db_tone label=db_label />
                    </dd>
                    <dt>"Migrations"</dt>
                    <dd>{status.database.migrations_applied.to_string()}</dd>
                </dl>
            </StatCard>
            <StatCard
                title="This instance"
                value=format!("pum {}", status.version)
                tone=Tone::Neutral
            >
                <dl class="facts">
                    <dt>"Up for"</dt>
                    <dd>{format::uptime(status.started_at)}</dd>
                    <dt>"Job worker"</dt>
                    <dd>{if status.worker_enabled { "Running" } else { "Off (API only)" }}</dd>
                    <dt>"Mode"</dt>
                    <dd>
                        {if status.demo {
                            view! { <Badge tone=Tone::Busy label="Demo · simulated Plex" /> }
                                .into_any()
                        } else {
                            view! { <span>"Production"</span> }.into_any()
                        }}
                    </dd>
                </dl>
            </StatCard>
        </div>
    }
}

#[component]
fn StatCard(title: &'static str, value: String, tone: Tone, children: Children) -> impl IntoView {
    let accent = match tone {
        Tone::Good => "stat stat-good",
        Tone::Bad => "stat stat-bad",
        Tone::Busy => "stat stat-busy",
        Tone::Neutral => "stat",
    };
    view! {
        <section class=format!("card {accent}")>
            <h2 class="stat-title">{title}</h2>
            <p class="stat-value">{value}</p>
            {children()}
        </section>
    }
}

#[component]
fn JobSummary(jobs: Vec<JobInfo>) -> impl IntoView {
    view! {
        <ul class="job-summary">
            {jobs
                .into_iter()
                .map(|job| {
                    let last = job.last_run.map(|run| run.status);
                    let (tone, label) = match last {
                        None => (Tone::Neutral, "Not run yet"),
                        Some(JobRunStatus::Succeeded) => (Tone::Good, "Succeeded"),
                        Some(JobRunStatus::Failed) => (Tone::Bad, "Failed"),
                        Some(JobRunStatus::Queued | JobRunStatus::Running) => {
                            (Tone::Busy, "In progress")
                        }
                    };
                    view! {
                        <li>
                            <span class="job-title">{job.title}</span>
                            <span class="muted small">
                                {job
                                    .next_run_at
                                    .map(|at| format!("next {}", format::relative(at)))}
                            </span>
                            <Badge tone=tone label=label />
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
