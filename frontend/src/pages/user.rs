//! `/users/:id`: one user's profile, access (changed on Plex first), notes, whitelist,
//! membership expiry, events, and removal.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use pum_api_types::Permission;
use pum_api_types::users::{
    ExpiryChange, LibraryAccess, LibraryView, UpdateUserRequest, UserDetail, UserEvent,
};

use crate::api::{self, ApiError};
use crate::components::feedback::{ErrorView, Loading};
use crate::components::forms::{Check, FormError};
use crate::format;
use crate::pages::users::{avatar, user_badges};
use crate::state::AuthState;

/// `/users/:id`.
#[component]
pub(crate) fn User() -> impl IntoView {
    let params = use_params_map();
    // A memo: the parameters signal also fires while navigating away, with the same id.
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let user = LocalResource::new(move || {
        let id = id.get();
        async move {
            // While navigating away the parameter empties; never ask for "no one".
            if id.is_empty() {
                std::future::pending::<()>().await;
            }
            api::user(id).await
        }
    });
    let libraries = LocalResource::new(api::libraries);
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let libs = libraries.await.map(|l| l.libraries).unwrap_or_default();
                match user.await {
                    Ok(found) => {
                        super::set_title(&found.summary.username.clone().unwrap_or_else(|| found.summary.title.clone()));
                        view! { <Profile user=found libraries=libs on_saved=move |()| user.refetch() /> }.into_any()
                    }
                    Err(error) => view! { <ErrorView error=error on_retry=move |()| user.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Profile(
    user: UserDetail,
    libraries: Vec<LibraryView>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let auth = expect_context::<AuthState>();
    let s = &user.summary;
    let name = s.username.clone().unwrap_or_else(|| s.title.clone());
    let facts = vec![
        ("Plex account", s.plex_account_id.to_string()),
        ("E-mail", s.email.clone().unwrap_or_else(|| "—".to_owned())),
        ("Known since", format::datetime(s.created_at)),
        (
            "Last seen",
            s.last_seen_at
                .map_or_else(|| "never".to_owned(), format::relative),
        ),
        (
            "Discord",
            user.discord_username
                .clone()
                .unwrap_or_else(|| "not linked".to_owned()),
        ),
        (
            "Gone from Plex",
            s.removed_from_plex_at
                .map_or_else(|| "no".to_owned(), format::datetime),
        ),
    ];
    view! {
        <div class="page-header">
            <div class="user-cell">
                {avatar(&name, true)}
                <div>
                    <h1>{name.clone()}</h1>
                    {user_badges(s)}
                </div>
            </div>
            <a class="button" href="/users">"All users"</a>
        </div>
        <section class="card">
            <dl class="facts">
                {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
        </section>
        <AccessForm user=user.clone() libraries=libraries can_edit=auth.can(Permission::UsersEdit) on_saved=on_saved />
        <Events events=user.events.clone() />
        {auth.can(Permission::UsersDelete).then(|| view! { <Remove id=user.summary.id.clone() name=name home=user.summary.home /> })}
    }
}

fn expiry_input(user: &UserDetail) -> String {
    user.summary
        .expires_at
        .map(|at| at.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

#[component]
fn AccessForm(
    user: UserDetail,
    libraries: Vec<LibraryView>,
    can_edit: bool,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let id = StoredValue::new(user.summary.id.clone());
    let all_ids: Vec<u64> = libraries.iter().map(|l| l.id).collect();
    let start: Vec<u64> = if user.summary.all_libraries {
        all_ids.clone()
    } else {
        user.summary.library_ids.clone()
    };
    let original = StoredValue::new((
        start.clone(),
        user.summary.allow_downloads,
        user.notes.clone(),
        user.summary.whitelisted,
        expiry_input(&user),
    ));
    let chosen = RwSignal::new(start);
    let downloads = RwSignal::new(user.summary.allow_downloads);
    let notes = RwSignal::new(user.notes.clone());
    let whitelisted = RwSignal::new(user.summary.whitelisted);
    let expiry = RwSignal::new(expiry_input(&user));
    let save = Action::new_local(move |extra: &Option<ExpiryChange>| {
        let (libs, dl, old_notes, wl, old_expiry) = original.get_value();
        let mut wanted = chosen.get_untracked();
        wanted.sort_unstable();
        let mut before = libs;
        before.sort_unstable();
        let expiry_change = extra.clone().or_else(|| {
            let text = expiry.get_untracked();
            (text != old_expiry).then(|| match text.parse::<chrono::NaiveDate>() {
                Ok(day) => ExpiryChange::Set {
                    at: day.and_hms_opt(23, 59, 59).unwrap_or_default().and_utc(),
                },
                Err(_) => ExpiryChange::Clear,
            })
        });
        let body = UpdateUserRequest {
            libraries: (wanted != before).then_some(LibraryAccess::Only {
                library_ids: wanted,
            }),
            allow_downloads: (downloads.get_untracked() != dl).then_some(downloads.get_untracked()),
            notes: (notes.get_untracked() != old_notes).then(|| notes.get_untracked()),
            whitelisted: (whitelisted.get_untracked() != wl).then_some(whitelisted.get_untracked()),
            expiry: expiry_change,
        };
        async move { api::update_user(id.get_value(), body).await }
    });
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            on_saved.run(());
        }
    });
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let field_error = move |name: &'static str| {
        move || {
            error
                .get()
                .and_then(|e: ApiError| e.fields.get(name).cloned())
        }
    };
    view! {
        <section class="card">
            <div class="card-header"><h2>"Access"</h2></div>
            <form class="form" data-testid="access-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(None); }>
                <fieldset class="field" disabled=!can_edit>
                    <legend>"Libraries"</legend>
                    <div class="checks library-checks">
                        {libraries.iter().map(|l| view! { <Check item=l.id chosen=chosen label=l.title.clone() /> }).collect_view()}
                    </div>
                    <div class="actions">
                        <button type="button" class="button small" on:click=move |_| chosen.set(all_ids.clone())>"All libraries"</button>
                        <button type="button" class="button small" on:click=move |_| chosen.set(Vec::new())>"None"</button>
                    </div>
                    {move || field_error("libraries")().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </fieldset>
                <label class="check">
                    <input type="checkbox" name="allow_downloads" disabled=!can_edit prop:checked=move || downloads.get() on:change=move |ev| downloads.set(event_target_checked(&ev)) />
                    "Allow downloads"
                </label>
                <label class="check">
                    <input type="checkbox" name="whitelisted" disabled=!can_edit prop:checked=move || whitelisted.get() on:change=move |ev| whitelisted.set(event_target_checked(&ev)) />
                    "Whitelisted (never purged)"
                </label>
                <div class="field">
                    <label for="field-notes">"Notes"</label>
                    <textarea id="field-notes" name="notes" rows="3" maxlength="4000" disabled=!can_edit prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                    {move || field_error("notes")().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                <div class="field">
                    <label for="field-expiry">"Membership ends (empty: never)"</label>
                    <input id="field-expiry" type="date" name="expiry" disabled=!can_edit prop:value=move || expiry.get() on:input=move |ev| expiry.set(event_target_value(&ev)) />
                    {move || field_error("expiry")().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                <FormError error=error />
                {can_edit.then(|| view! {
                    <div class="actions">
                        <button class="button button-primary" type="submit" disabled=move || save.pending().get()>"Save"</button>
                        <button class="button" type="button" on:click=move |_| { save.dispatch(Some(ExpiryChange::Extend { days: 30 })); }>"Extend membership by 30 days"</button>
                        {move || save.pending().get().then(|| view! { <span class="muted">"Saving on Plex…"</span> })}
                    </div>
                })}
            </form>
        </section>
    }
}

#[component]
fn Events(events: Vec<UserEvent>) -> impl IntoView {
    view! {
        <section class="card">
            <div class="card-header"><h2>"Events"</h2></div>
            {if events.is_empty() {
                view! { <p class="empty">"Nothing recorded yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="event-list" data-testid="user-events">
                        {events.into_iter().map(|e| view! {
                            <li>
                                <span class="muted small">{format::datetime(e.at)}</span>" "
                                <strong>{e.kind}</strong>
                                {(!e.success).then_some(" (failed)")}
                                {e.actor.map(|a| format!(" by {a}"))}
                                {e.detail.map(|d| view! { <code class="small detail">{d}</code> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Remove(id: String, name: String, home: bool) -> impl IntoView {
    let asking = RwSignal::new(false);
    let stored = StoredValue::new(id);
    let remove = Action::new_local(move |(): &()| api::remove_user(stored.get_value()));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if matches!(remove.value().get(), Some(Ok(()))) {
            navigate("/users", leptos_router::NavigateOptions::default());
        }
    });
    let error = Signal::derive(move || remove.value().get().and_then(Result::err));
    let consequence = if home {
        "They leave your Plex Home and lose access to the server."
    } else {
        "Their friendship and every share of your server end on Plex."
    };
    view! {
        <section class="card danger-zone">
            <div class="card-header"><h2>"Remove"</h2></div>
            {move || if asking.get() {
                view! {
                    <div class="notice notice-bad" role="alertdialog" aria-label="Confirm removal">
                        <p>{format!("Remove {name}? {consequence} pum then forgets their notes, expiry and history. If Plex refuses, nothing changes.")}</p>
                        <div class="actions">
                            <button class="button button-danger" disabled=move || remove.pending().get() on:click=move |_| { remove.dispatch(()); }>"Yes, remove"</button>
                            <button class="button" on:click=move |_| asking.set(false)>"Cancel"</button>
                        </div>
                    </div>
                }.into_any()
            } else {
                view! { <button class="button button-danger" on:click=move |_| asking.set(true)>"Remove user…"</button> }.into_any()
            }}
            <FormError error=error />
        </section>
    }
}
