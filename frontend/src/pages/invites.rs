//! `/invites`: every invite with its state, uses and rules; a new invite, shown with its link
//! and QR code once made.

use leptos::prelude::*;
use pum_api_types::Permission;
use pum_api_types::invites::{InviteState, InviteView};
use pum_api_types::users::LibraryView;

use crate::api;
use crate::components::badge::{Badge, Tone};
use crate::components::copy::CopyButton;
use crate::components::feedback::{ErrorView, Loading};
use crate::components::qr::QrCode;
use crate::format;
use crate::pages::invite_form::{InviteForm, linking_label};
use crate::state::AuthState;

/// `/invites`.
#[component]
pub(crate) fn Invites() -> impl IntoView {
    super::set_title("Invites");
    let auth = expect_context::<AuthState>();
    let can_manage = auth.can(Permission::InvitesManage);
    let list = LocalResource::new(api::invites);
    let libraries = LocalResource::new(api::libraries);
    let creating = RwSignal::new(false);
    let created = RwSignal::new(None::<InviteView>);
    let on_created = Callback::new(move |invite: InviteView| {
        creating.set(false);
        created.set(Some(invite));
        list.refetch();
    });
    view! {
        <div class="page-header">
            <div>
                <h1>"Invites"</h1>
                <p class="muted">"Links that let people join the server on their own, with the access you choose."</p>
            </div>
            {can_manage.then(|| view! {
                <button
                    class="button button-primary"
                    disabled=move || creating.get()
                    on:click=move |_| {
                        created.set(None);
                        creating.set(true);
                    }
                >
                    "New invite"
                </button>
            })}
        </div>
        {move || created.get().map(|invite| view! { <Created invite=invite on_close=move |()| created.set(None) /> })}
        {move || creating.get().then(|| view! {
            <section class="card" aria-label="New invite">
                <div class="card-header"><h2>"New invite"</h2></div>
                <Transition fallback=|| view! { <Loading /> }>
                    {move || Suspend::new(async move {
                        let libs = libraries.await.map(|l| l.libraries).unwrap_or_default();
                        view! { <InviteForm invite=None libraries=libs on_saved=on_created on_cancel=move |()| creating.set(false) /> }
                    })}
                </Transition>
            </section>
        })}
        <section class="card">
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    let libs = libraries.await.map(|l| l.libraries).unwrap_or_default();
                    match list.await {
                        Ok(found) if found.invites.is_empty() => view! {
                            <p class="empty">"No invites yet. Make one with “New invite” and send its link."</p>
                        }.into_any(),
                        Ok(found) => view! { <InviteTable invites=found.invites libraries=libs /> }.into_any(),
                        Err(error) => view! { <ErrorView error=error on_retry=move |()| list.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The invite just made: its link to send, and its QR code.
#[component]
fn Created(invite: InviteView, #[prop(into)] on_close: Callback<()>) -> impl IntoView {
    view! {
        <section class="card invite-created" data-testid="new-invite" aria-label="Invite created">
            <div class="card-header">
                <h2>"Invite created"</h2>
                <button class="button small" on:click=move |_| on_close.run(())>"Close"</button>
            </div>
            <InviteLink invite=invite />
        </section>
    }
}

/// An invite's link with a copy button and its QR code.
#[component]
pub(crate) fn InviteLink(invite: InviteView) -> impl IntoView {
    view! {
        <div class="invite-link">
            <div class="invite-link-text">
                <p class="muted small">"Send this link to the person you invite:"</p>
                <p><a class="link mono" href=invite.url.clone() data-testid="invite-url">{invite.url.clone()}</a></p>
                <CopyButton text=invite.url.clone() />
                {invite.custom.then(|| view! {
                    <p class="muted small">"A custom path is easy to guess: set an expiry or a use limit."</p>
                })}
            </div>
            <QrCode text=invite.url />
        </div>
    }
}

/// The badge of an invite's state.
pub(crate) fn state_badge(state: InviteState) -> impl IntoView {
    let (tone, label) = match state {
        InviteState::Active => (Tone::Good, "active"),
        InviteState::Expired => (Tone::Neutral, "expired"),
        InviteState::UsedUp => (Tone::Busy, "used up"),
        InviteState::Disabled => (Tone::Bad, "disabled"),
    };
    view! { <Badge tone=tone label=label /> }
}

/// "2 / 10" or "2 / ∞".
pub(crate) fn uses_label(invite: &InviteView) -> String {
    match invite.max_uses {
        Some(max) => format!("{} / {max}", invite.uses),
        None => format!("{} / ∞", invite.uses),
    }
}

/// "All libraries", or the titles of the libraries shared.
pub(crate) fn libraries_label(invite: &InviteView, libraries: &[LibraryView]) -> String {
    if invite.all_libraries {
        return "All libraries".to_owned();
    }
    let titles: Vec<String> = invite
        .library_ids
        .iter()
        .map(|id| {
            libraries
                .iter()
                .find(|l| l.id == *id)
                .map_or_else(|| format!("library {id}"), |l| l.title.clone())
        })
        .collect();
    if titles.is_empty() {
        "None".to_owned()
    } else {
        titles.join(", ")
    }
}

/// "30 days" or "no end".
pub(crate) fn membership_label(days: Option<u32>) -> String {
    days.map_or_else(|| "no end".to_owned(), format::days)
}

/// The Discord rule in effect, and where it comes from.
pub(crate) fn discord_label(invite: &InviteView) -> String {
    let mut text = linking_label(invite.effective_discord_linking).to_owned();
    if invite.discord_linking.is_none() {
        text.push_str(" (global)");
    }
    if invite.require_guild_membership {
        text.push_str(", server member");
    }
    text
}

#[component]
fn InviteTable(invites: Vec<InviteView>, libraries: Vec<LibraryView>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="invites-table">
                <thead>
                    <tr>
                        <th>"Invite"</th>
                        <th>"State"</th>
                        <th>"Uses"</th>
                        <th>"Expires"</th>
                        <th>"Libraries"</th>
                        <th>"Membership"</th>
                        <th>"Discord"</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    {invites
                        .into_iter()
                        .map(|invite| view! { <InviteRow invite=invite libraries=libraries.clone() /> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn InviteRow(invite: InviteView, libraries: Vec<LibraryView>) -> impl IntoView {
    let libs = libraries_label(&invite, &libraries);
    view! {
        <tr data-testid="invite-row">
            <td>
                <a class="user-link mono invite-code" href=format!("/invites/{}", invite.id)>{invite.code.clone()}</a>
                {invite.custom.then(|| view! { <Badge tone=Tone::Neutral label="custom" /> })}
                {(!invite.note.is_empty()).then(|| view! { <div class="muted small">{invite.note.clone()}</div> })}
            </td>
            <td>{state_badge(invite.state)}</td>
            <td class="mono">{uses_label(&invite)}</td>
            <td class="small" title=invite.expires_at.map(format::datetime)>
                {invite.expires_at.map_or_else(|| "never".to_owned(), format::date)}
            </td>
            <td class="small">{libs}</td>
            <td class="small">{membership_label(invite.membership_days)}</td>
            <td class="small">{discord_label(&invite)}</td>
            <td class="invite-actions">
                <CopyButton text=invite.url.clone() />
            </td>
        </tr>
    }
}
