//! `/users`: everyone who can watch the server; search, filters, sync and mass actions.

use leptos::prelude::*;
use pum_api_types::Permission;
use pum_api_types::users::{BatchView, LibraryView, UserPage, UserSummary};

use crate::api;
use crate::components::badge::{Badge, Tone};
use crate::components::feedback::{ErrorView, Loading};
use crate::format;
use crate::pages::user_batch::{BatchProgress, MassActions};
use crate::pages::user_sync::SyncPanel;
use crate::state::AuthState;

/// Users per page.
const PER_PAGE: u32 = 50;

/// The "Show" filter choices: (value, label, query parameter).
const FILTERS: &[(&str, &str, &str)] = &[
    ("", "Everyone", ""),
    ("home", "Plex Home", "home=true"),
    ("pending", "Invite not accepted", "pending=true"),
    ("shares_back", "Shares a server back", "shares_back=true"),
    ("whitelisted", "Whitelisted", "whitelisted=true"),
    ("discord", "Discord linked", "discord=true"),
    (
        "expiring",
        "Membership ends within 30 days",
        "expiring_days=30",
    ),
    ("inactive", "Not seen for 90 days", "inactive_days=90"),
    ("removed", "Gone from Plex", "removed=true"),
];

fn query(search: &str, filter: &str, sort: &str, page: u32) -> Vec<(&'static str, String)> {
    let mut q = vec![
        ("per_page", PER_PAGE.to_string()),
        ("page", page.to_string()),
    ];
    if !search.trim().is_empty() {
        q.push(("q", search.trim().to_owned()));
    }
    if let Some((key, value)) = FILTERS
        .iter()
        .find(|(v, _, _)| *v == filter)
        .and_then(|(_, _, param)| param.split_once('='))
    {
        q.push((key, value.to_owned()));
    }
    match sort {
        "last_seen" => q.extend([
            ("sort", "last_seen".to_owned()),
            ("order", "desc".to_owned()),
        ]),
        "expires" => q.push(("sort", "expires".to_owned())),
        "created" => q.extend([("sort", "created".to_owned()), ("order", "desc".to_owned())]),
        _ => {}
    }
    q
}

/// `/users`.
#[component]
pub(crate) fn Users() -> impl IntoView {
    super::set_title("Users");
    let auth = expect_context::<AuthState>();
    let can_edit = auth.can(Permission::UsersEdit);
    let search = RwSignal::new(String::new());
    let filter = RwSignal::new(String::new());
    let sort = RwSignal::new("name".to_owned());
    let page = RwSignal::new(1u32);
    let selected = RwSignal::new(Vec::<String>::new());
    let batch = RwSignal::new(None::<String>);
    let list = LocalResource::new(move || {
        let q = query(&search.get(), &filter.get(), &sort.get(), page.get());
        api::users(q)
    });
    let libraries = LocalResource::new(api::libraries);
    let reload = Callback::new(move |()| {
        list.refetch();
        libraries.refetch();
    });
    let started = Callback::new(move |b: BatchView| {
        selected.set(Vec::new());
        batch.set(Some(b.id));
    });
    view! {
        <div class="page-header">
            <div>
                <h1>"Users"</h1>
                <p class="muted">"Everyone who can watch the server: friends with a share and Plex Home members."</p>
            </div>
        </div>
        <SyncPanel can_edit=can_edit can_schedule=auth.can(Permission::SettingsManage) on_synced=reload />
        {move || batch.get().map(|id| view! { <BatchProgress id=id on_finished=reload /> })}
        {move || (can_edit && selected.with(|s| !s.is_empty())).then(|| {
            let libs = libraries.get().and_then(Result::ok).map(|l| l.libraries).unwrap_or_default();
            view! { <MassActions selected=selected libraries=libs on_started=started /> }
        })}
        <section class="card">
            <div class="toolbar">
                <input
                    class="search"
                    type="search"
                    name="search"
                    placeholder="Search name, e-mail or notes"
                    aria-label="Search users"
                    prop:value=move || search.get()
                    on:input=move |ev| { search.set(event_target_value(&ev)); page.set(1); }
                />
                <label class="field inline">
                    "Show "
                    <select name="filter" on:change=move |ev| { filter.set(event_target_value(&ev)); page.set(1); }>
                        {FILTERS.iter().map(|(v, label, _)| view! { <option value=*v>{*label}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field inline">
                    "Sort "
                    <select name="sort" on:change=move |ev| sort.set(event_target_value(&ev))>
                        <option value="name">"Name"</option>
                        <option value="last_seen">"Last seen"</option>
                        <option value="expires">"Membership end"</option>
                        <option value="created">"Newest"</option>
                    </select>
                </label>
            </div>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    let libs = libraries.await.map(|l| l.libraries).unwrap_or_default();
                    match list.await {
                        Ok(found) if found.total == 0 => view! {
                            <p class="empty">"No users match. Sync with Plex, or change the search."</p>
                        }.into_any(),
                        Ok(found) => view! {
                            <UserTable page=found libraries=libs selected=selected selectable=can_edit />
                            <Pager page=page total=list.get().and_then(Result::ok).map_or(0, |p| p.total) />
                        }.into_any(),
                        Err(error) => view! { <ErrorView error=error on_retry=move |()| list.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Pager(page: RwSignal<u32>, total: u64) -> impl IntoView {
    let pages = u32::try_from(total.div_ceil(u64::from(PER_PAGE)))
        .unwrap_or(u32::MAX)
        .max(1);
    view! {
        <div class="pager">
            <span class="muted">{format!("{total} users")}</span>
            <button class="button small" disabled=move || { page.get() <= 1 } on:click=move |_| page.update(|p| *p -= 1)>"Previous"</button>
            <span>{move || format!("Page {} of {pages}", page.get())}</span>
            <button class="button small" disabled=move || { page.get() >= pages } on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
        </div>
    }
}

fn libraries_label(user: &UserSummary, libraries: &[LibraryView]) -> String {
    if user.all_libraries {
        return "All".to_owned();
    }
    let titles: Vec<&str> = user
        .library_ids
        .iter()
        .filter_map(|id| {
            libraries
                .iter()
                .find(|l| l.id == *id)
                .map(|l| l.title.as_str())
        })
        .collect();
    match titles.len() {
        0 => "None".to_owned(),
        n if n == libraries.len() => format!("All {n}"),
        1..=2 => titles.join(", "),
        n => format!("{}, {} and {} more", titles[0], titles[1], n - 2),
    }
}

#[component]
fn UserTable(
    page: UserPage,
    libraries: Vec<LibraryView>,
    selected: RwSignal<Vec<String>>,
    selectable: bool,
) -> impl IntoView {
    let ids: Vec<String> = page.users.iter().map(|u| u.id.clone()).collect();
    let all_ids = ids.clone();
    let all_on = move || selected.with(|s| all_ids.iter().all(|id| s.contains(id)));
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="users-table">
                <thead>
                    <tr>
                        {selectable.then(|| view! {
                            <th><input type="checkbox" aria-label="Select this page" prop:checked=all_on.clone() on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                selected.update(|s| {
                                    s.retain(|id| !ids.contains(id));
                                    if on { s.extend(ids.iter().cloned()); }
                                });
                            } /></th>
                        })}
                        <th>"User"</th><th>"Libraries"</th><th>"Last seen"</th><th>"Membership ends"</th><th></th>
                    </tr>
                </thead>
                <tbody>
                    {page.users.into_iter().map(|user| view! { <UserRow user=user libraries=libraries.clone() selected=selected selectable=selectable /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn UserRow(
    user: UserSummary,
    libraries: Vec<LibraryView>,
    selected: RwSignal<Vec<String>>,
    selectable: bool,
) -> impl IntoView {
    let id = user.id.clone();
    let check_id = id.clone();
    let name = user.username.clone().unwrap_or_else(|| user.title.clone());
    let libs = libraries_label(&user, &libraries);
    let name_for_avatar = name.clone();
    view! {
        <tr data-testid="user-row">
            {selectable.then(|| {
                let toggle_id = check_id.clone();
                view! {
                    <td><input type="checkbox" aria-label=format!("Select {name}") prop:checked=move || selected.with(|s| s.contains(&check_id)) on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| {
                            s.retain(|x| *x != toggle_id);
                            if on { s.push(toggle_id.clone()); }
                        });
                    } /></td>
                }
            })}
            <td>
                <div class="user-cell">
                    {avatar(&name_for_avatar, false)}
                    <div>
                        <a class="user-link" href=format!("/users/{id}")>{user.username.clone().unwrap_or_else(|| user.title.clone())}</a>
                        <div class="muted small">{user.email.clone().unwrap_or_default()}</div>
                    </div>
                </div>
            </td>
            <td class="small">{libs}</td>
            <td class="small">{user.last_seen_at.map_or_else(|| "never".to_owned(), format::relative)}</td>
            <td class="small">{user.expires_at.map_or_else(|| "—".to_owned(), format::datetime)}</td>
            <td>{user_badges(&user)}</td>
        </tr>
    }
}

/// A round avatar with the user's initial, in a colour derived from the name. Plex avatars
/// are not loaded: that would tell plex.tv who looks at the admin pages, and the page's
/// content security policy allows images from pum only.
pub(crate) fn avatar(name: &str, large: bool) -> impl IntoView + use<> {
    let initial = name
        .chars()
        .next()
        .map_or_else(|| "?".to_owned(), |c| c.to_uppercase().to_string());
    let hue = name
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
        % 360;
    let class = if large {
        "avatar avatar-large"
    } else {
        "avatar"
    };
    view! {
        <span class=class aria-hidden="true" style=format!("background: hsl({hue} 45% 45%)")>{initial}</span>
    }
}

/// The badges of a user: Home, pending, shares back, downloads, whitelist, gone.
pub(crate) fn user_badges(user: &UserSummary) -> impl IntoView + use<> {
    let mut badges = Vec::new();
    if user.removed_from_plex_at.is_some() {
        badges.push((Tone::Bad, "gone from Plex"));
    }
    if user.home {
        badges.push((Tone::Neutral, if user.managed { "managed" } else { "home" }));
    }
    if user.pending {
        badges.push((Tone::Busy, "pending"));
    }
    if user.shares_back {
        badges.push((Tone::Good, "shares back"));
    }
    if user.allow_downloads {
        badges.push((Tone::Neutral, "downloads"));
    }
    if user.whitelisted {
        badges.push((Tone::Good, "whitelisted"));
    }
    if user.has_discord {
        badges.push((Tone::Neutral, "discord"));
    }
    view! {
        <span class="badges">
            {badges.into_iter().map(|(tone, label)| view! { <Badge tone=tone label=label /> }).collect_view()}
        </span>
    }
}
