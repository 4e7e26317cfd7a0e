//! `/invites/:id`: one invite's rules, link and QR code, changes, disabling, deletion, and
//! who used it.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use pum_api_types::Permission;
use pum_api_types::invites::{
    InviteDetail, InviteState, InviteView, RedemptionStatus, RedemptionView, UpdateInviteRequest,
};
use pum_api_types::users::LibraryView;

use crate::api;
use crate::components::badge::{Badge, Tone};
use crate::components::feedback::{ErrorView, Loading};
use crate::components::forms::FormError;
use crate::format;
use crate::pages::invite_form::InviteForm;
use crate::pages::invites::{
    InviteLink, discord_label, libraries_label, membership_label, state_badge, uses_label,
};
use crate::state::AuthState;

/// `/invites/:id`.
#[component]
pub(crate) fn Invite() -> impl IntoView {
    let params = use_params_map();
    // A memo: the parameters signal also fires while navigating away, with the same id.
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let invite = LocalResource::new(move || {
        let id = id.get();
        async move {
            // While navigating away the parameter empties; never ask for "no invite".
            if id.is_empty() {
                std::future::pending::<()>().await;
            }
            api::invite(id).await
        }
    });
    let libraries = LocalResource::new(api::libraries);
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let libs = libraries.await.map(|l| l.libraries).unwrap_or_default();
                match invite.await {
                    Ok(found) => {
                        super::set_title(&format!("Invite {}", found.invite.code));
                        view! { <Details detail=found libraries=libs on_changed=move |()| invite.refetch() /> }.into_any()
                    }
                    Err(error) => view! { <ErrorView error=error on_retry=move |()| invite.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Details(
    detail: InviteDetail,
    libraries: Vec<LibraryView>,
    #[prop(into)] on_changed: Callback<()>,
) -> impl IntoView {
    let auth = expect_context::<AuthState>();
    let can_manage = auth.can(Permission::InvitesManage);
    let invite = detail.invite;
    let facts = vec![
        ("Uses", uses_label(&invite)),
        (
            "Expires",
            invite
                .expires_at
                .map_or_else(|| "never".to_owned(), format::datetime),
        ),
        ("Libraries", libraries_label(&invite, &libraries)),
        (
            "Downloads",
            if invite.allow_downloads {
                "allowed"
            } else {
                "not allowed"
            }
            .to_owned(),
        ),
        ("Membership", membership_label(invite.membership_days)),
        ("Discord", discord_label(&invite)),
        (
            "Note",
            if invite.note.is_empty() {
                "—".to_owned()
            } else {
                invite.note.clone()
            },
        ),
        (
            "Created",
            match &invite.created_by {
                Some(by) => format!("{} by {by}", format::datetime(invite.created_at)),
                None => format::datetime(invite.created_at),
            },
        ),
        ("Last change", format::datetime(invite.updated_at)),
    ];
    view! {
        <div class="page-header">
            <div>
                <h1>"Invite " <span class="mono">{invite.code.clone()}</span></h1>
                <span class="badges">
                    {state_badge(invite.state)}
                    {invite.custom.then(|| view! { <Badge tone=Tone::Neutral label="custom" /> })}
                </span>
            </div>
            <a class="button" href="/invites">"All invites"</a>
        </div>
        <section class="card" aria-label="Link">
            <InviteLink invite=invite.clone() />
        </section>
        <section class="card">
            <dl class="facts" data-testid="invite-facts">
                {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
        </section>
        {can_manage.then(|| view! {
            <section class="card">
                <div class="card-header"><h2>"Change"</h2></div>
                <p class="muted small">"The link itself cannot change: people may already have it."</p>
                <InviteForm invite=Some(invite.clone()) libraries=libraries on_saved=move |_| on_changed.run(()) />
            </section>
            <Manage invite=invite.clone() on_changed=on_changed />
        })}
        <Redemptions redemptions=detail.redemptions />
    }
}

/// Disable or enable, and delete.
#[component]
fn Manage(invite: InviteView, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let id = StoredValue::new(invite.id.clone());
    let disabled = invite.state == InviteState::Disabled;
    let toggle = Action::new_local(move |(): &()| {
        let body = UpdateInviteRequest {
            disabled: Some(!disabled),
            ..UpdateInviteRequest::default()
        };
        api::update_invite(id.get_value(), body)
    });
    Effect::new(move |_| {
        if matches!(toggle.value().get(), Some(Ok(_))) {
            on_changed.run(());
        }
    });
    let asking = RwSignal::new(false);
    let remove = Action::new_local(move |(): &()| api::delete_invite(id.get_value()));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if matches!(remove.value().get(), Some(Ok(()))) {
            navigate("/invites", leptos_router::NavigateOptions::default());
        }
    });
    let error = Signal::derive(move || {
        toggle
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| remove.value().get().and_then(Result::err))
    });
    let code = invite.code;
    view! {
        <section class="card danger-zone">
            <div class="card-header"><h2>"Disable or delete"</h2></div>
            <p class="muted small">
                {if disabled {
                    "This invite is disabled: its link shows that it is no longer active."
                } else {
                    "Disabling stops the link from working until you enable it again."
                }}
            </p>
            <div class="actions">
                <button class="button" disabled=move || toggle.pending().get() on:click=move |_| { toggle.dispatch(()); }>
                    {if disabled { "Enable" } else { "Disable" }}
                </button>
                {move || (!asking.get()).then(|| view! {
                    <button class="button button-danger" on:click=move |_| asking.set(true)>"Delete"</button>
                })}
            </div>
            {move || asking.get().then(|| view! {
                <div class="notice notice-bad confirm" role="alertdialog" aria-label="Confirm deletion">
                    <p>{format!(
                        "Delete invite {code}? Its link stops working at once. People who already joined through it keep their access."
                    )}</p>
                    <div class="actions">
                        <button class="button button-danger" disabled=move || remove.pending().get() on:click=move |_| { remove.dispatch(()); }>
                            "Yes, delete"
                        </button>
                        <button class="button" on:click=move |_| asking.set(false)>"Cancel"</button>
                    </div>
                </div>
            })}
            <FormError error=error />
        </section>
    }
}

fn status_badge(redemption: &RedemptionView) -> impl IntoView + use<> {
    let (tone, label) = match redemption.status {
        RedemptionStatus::InProgress => (Tone::Busy, "in progress"),
        RedemptionStatus::Shared if redemption.accepted => (Tone::Good, "shared"),
        RedemptionStatus::Shared => (Tone::Busy, "shared, not accepted yet"),
        RedemptionStatus::Failed => (Tone::Bad, "failed"),
    };
    view! { <Badge tone=tone label=label /> }
}

/// The usage history.
#[component]
fn Redemptions(redemptions: Vec<RedemptionView>) -> impl IntoView {
    view! {
        <section class="card">
            <div class="card-header"><h2>"Usage history"</h2></div>
            {if redemptions.is_empty() {
                view! { <p class="empty">"Nobody has used this invite yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="invite-redemptions">
                            <thead>
                                <tr>
                                    <th>"Who"</th>
                                    <th>"E-mail"</th>
                                    <th>"Discord"</th>
                                    <th>"When"</th>
                                    <th>"Status"</th>
                                    <th>"Message"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {redemptions.into_iter().map(|r| view! { <RedemptionRow redemption=r /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn RedemptionRow(redemption: RedemptionView) -> impl IntoView {
    let badge = status_badge(&redemption);
    let name = redemption.username.clone();
    view! {
        <tr data-testid="redemption-row">
            <td>
                {match redemption.user_id.clone() {
                    Some(user) => view! { <a class="user-link" href=format!("/users/{user}")>{name}</a> }.into_any(),
                    None => view! { <strong>{name}</strong> }.into_any(),
                }}
                {redemption.ip.clone().map(|ip| view! { <div class="muted small mono">{ip}</div> })}
            </td>
            <td class="small">{redemption.email.clone().unwrap_or_else(|| "—".to_owned())}</td>
            <td class="small">{redemption.discord_username.clone().unwrap_or_else(|| "—".to_owned())}</td>
            <td class="small" title=format::datetime(redemption.updated_at)>{format::datetime(redemption.created_at)}</td>
            <td>{badge}</td>
            <td class="small">{redemption.message.clone()}</td>
        </tr>
    }
}
