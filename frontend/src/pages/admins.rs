//! `/admins`: admins and roles.

use leptos::prelude::*;
use pum_api_types::Permission;
use pum_api_types::auth::{AdminView, CreateAdminRequest, PermissionInfo, RoleRequest, RoleView};

use crate::api::{self, ApiError};
use crate::components::feedback::{ErrorView, Loading};
use crate::components::forms::{Check, Field, FormError};
use crate::format;

/// `/admins`.
#[component]
pub(crate) fn Admins() -> impl IntoView {
    super::set_title("Admins");
    let admins = LocalResource::new(api::admins);
    let roles = LocalResource::new(api::roles);
    let refresh = Callback::new(move |()| {
        admins.refetch();
        roles.refetch();
    });
    view! {
        <div class="page-header">
            <div>
                <h1>"Admins and roles"</h1>
                <p class="muted">
                    "The owner can do everything. Other admins get roles; no one can grant what they do not have."
                </p>
            </div>
        </div>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match (admins.await, roles.await) {
                    (Ok(admins), Ok(roles)) => {
                        view! {
                            <AdminTable admins=admins.admins roles=roles.roles.clone() refresh=refresh />
                            <NewAdmin roles=roles.roles.clone() refresh=refresh />
                            <RoleTable roles=roles.roles all=roles.all_permissions refresh=refresh />
                        }
                            .into_any()
                    }
                    (Err(error), _) | (_, Err(error)) => {
                        view! { <ErrorView error=error on_retry=move |()| refresh.run(()) /> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn AdminTable(
    admins: Vec<AdminView>,
    roles: Vec<RoleView>,
    refresh: Callback<()>,
) -> impl IntoView {
    let act = Action::new_local(move |job: &(String, String)| {
        let (kind, id) = job.clone();
        async move {
            match kind.as_str() {
                "delete" => api::delete_admin(id).await.map(|()| None),
                _ => api::reset_admin_password(id)
                    .await
                    .map(|p| Some(p.password)),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = act.value().get() {
            refresh.run(());
        }
    });
    let error = Signal::derive(move || act.value().get().and_then(Result::err));
    let one_time = move || act.value().get().and_then(Result::ok).flatten();
    view! {
        <section class="card">
            <div class="card-header"><h2>"Admins"</h2></div>
            <FormError error=error />
            {move || {
                one_time()
                    .map(|password| {
                        view! {
                            <div class="notice notice-good" role="status" data-testid="one-time-password">
                                "One-time password (shown once): " <code>{password}</code>
                            </div>
                        }
                    })
            }}
            <div class="table-wrap">
                <table class="table" data-testid="admins-table">
                    <thead>
                        <tr>
                            <th>"Admin"</th>
                            <th>"Roles"</th>
                            <th>"Plex"</th>
                            <th>"Last sign-in"</th>
                            <th></th>
                        </tr>
                    </thead>
                    <tbody>
                        {admins
                            .into_iter()
                            .map(|admin| view! { <AdminRow admin=admin roles=roles.clone() act=act refresh=refresh /> })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn AdminRow(
    admin: AdminView,
    roles: Vec<RoleView>,
    act: Action<(String, String), Result<Option<String>, ApiError>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let id = admin.id.clone();
    let held: Vec<String> = admin.roles.iter().map(|r| r.id.clone()).collect();
    let chosen = RwSignal::new(held);
    let save_roles = Action::new_local(move |(id, ids): &(String, Vec<String>)| {
        let (id, ids) = (id.clone(), ids.clone());
        async move { api::set_admin_roles(id, ids).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save_roles.value().get() {
            refresh.run(());
        }
    });
    let (delete_id, reset_id, roles_id) = (id.clone(), id.clone(), id);
    let confirm_delete = move |name: &str| {
        window()
            .confirm_with_message(&format!(
                "Remove {name}? They are signed out at once and their API keys stop working."
            ))
            .unwrap_or(false)
    };
    let name = admin.username.clone();
    view! {
        <tr>
            <td>
                <strong>{admin.username.clone()}</strong>
                {admin.is_owner.then(|| view! { <span class="badge badge-good">"Owner"</span> })}
            </td>
            <td>
                {if admin.is_owner {
                    view! { <span class="muted">"everything"</span> }.into_any()
                } else {
                    view! {
                        <div class="checks">
                            {roles
                                .iter()
                                .map(|role| view! { <Check item=role.id.clone() chosen=chosen label=role.name.clone() /> })
                                .collect_view()}
                            <button
                                class="button small"
                                on:click=move |_| {
                                    save_roles.dispatch((roles_id.clone(), chosen.get_untracked()));
                                }
                            >
                                "Save roles"
                            </button>
                            {move || {
                                save_roles
                                    .value()
                                    .get()
                                    .and_then(Result::err)
                                    .map(|e| view! { <p class="field-error">{e.message}</p> })
                            }}
                        </div>
                    }
                        .into_any()
                }}
            </td>
            <td>{admin.plex.map_or_else(|| "—".to_owned(), |p| p.username)}</td>
            <td>{admin.last_sign_in_at.map_or_else(|| "never".to_owned(), format::datetime)}</td>
            <td class="row-actions">
                {(!admin.is_owner)
                    .then(|| {
                        view! {
                            <button class="button small" on:click=move |_| { act.dispatch(("reset".to_owned(), reset_id.clone())); }>
                                "Reset password"
                            </button>
                            <button
                                class="button small button-danger"
                                on:click=move |_| {
                                    if confirm_delete(&name) {
                                        act.dispatch(("delete".to_owned(), delete_id.clone()));
                                    }
                                }
                            >
                                "Remove"
                            </button>
                        }
                    })}
            </td>
        </tr>
    }
}

#[component]
fn NewAdmin(roles: Vec<RoleView>, refresh: Callback<()>) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let create = Action::new_local(move |(): &()| {
        let body = CreateAdminRequest {
            username: username.get_untracked(),
            password: password.get_untracked(),
            role_ids: chosen.get_untracked(),
        };
        async move { api::create_admin(body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            username.set(String::new());
            password.set(String::new());
            chosen.set(Vec::new());
            refresh.run(());
        }
    });
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <section class="card">
            <div class="card-header"><h2>"Add an admin"</h2></div>
            <form class="form" on:submit=move |ev| { ev.prevent_default(); create.dispatch(()); }>
                <Field label="Username" name="username" value=username error=error />
                <Field
                    label="Temporary password"
                    name="password"
                    value=password
                    error=error
                    kind="password"
                    hint="They must choose their own at first sign-in."
                />
                <fieldset class="field">
                    <legend>"Roles"</legend>
                    {roles
                        .into_iter()
                        .map(|role| view! { <Check item=role.id chosen=chosen label=role.name /> })
                        .collect_view()}
                </fieldset>
                <FormError error=error />
                <button class="button button-primary" type="submit" disabled=move || create.pending().get()>
                    "Add admin"
                </button>
            </form>
        </section>
    }
}

/// Checkboxes for `all` permissions bound to `chosen`.
#[component]
pub(crate) fn PermissionChecks(
    all: Vec<PermissionInfo>,
    chosen: RwSignal<Vec<Permission>>,
) -> impl IntoView {
    view! {
        <div class="checks">
            {all
                .into_iter()
                .map(|info| view! { <Check item=info.permission chosen=chosen label=info.label /> })
                .collect_view()}
        </div>
    }
}

#[component]
fn RoleTable(
    roles: Vec<RoleView>,
    all: Vec<PermissionInfo>,
    refresh: Callback<()>,
) -> impl IntoView {
    let editing = RwSignal::new(None::<String>);
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<Permission>::new());
    let save = Action::new_local(move |(): &()| {
        let body = RoleRequest {
            name: name.get_untracked(),
            description: description.get_untracked(),
            permissions: chosen.get_untracked(),
        };
        let id = editing.get_untracked();
        async move {
            match id {
                Some(id) => api::update_role(id, body).await.map(|_| ()),
                None => api::create_role(body).await.map(|_| ()),
            }
        }
    });
    let remove = Action::new_local(|id: &String| api::delete_role(id.clone()));
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            editing.set(None);
            name.set(String::new());
            description.set(String::new());
            chosen.set(Vec::new());
            refresh.run(());
        }
        if let Some(Ok(())) = remove.value().get() {
            refresh.run(());
        }
    });
    let error = Signal::derive(move || {
        save.value()
            .get()
            .and_then(Result::err)
            .or_else(|| remove.value().get().and_then(Result::err))
    });
    view! {
        <section class="card">
            <div class="card-header"><h2>"Roles"</h2></div>
            <div class="table-wrap">
                <table class="table" data-testid="roles-table">
                    <thead>
                        <tr><th>"Role"</th><th>"Permissions"</th><th>"Admins"</th><th></th></tr>
                    </thead>
                    <tbody>
                        {roles
                            .into_iter()
                            .map(|role| {
                                let edit = role.clone();
                                let id = role.id.clone();
                                view! {
                                    <tr>
                                        <td><strong>{role.name.clone()}</strong><div class="muted small">{role.description.clone()}</div></td>
                                        <td class="small">{role.permissions.iter().map(|p| p.name()).collect::<Vec<_>>().join(", ")}</td>
                                        <td>{role.member_count}</td>
                                        <td class="row-actions">
                                            <button class="button small" on:click=move |_| {
                                                editing.set(Some(edit.id.clone()));
                                                name.set(edit.name.clone());
                                                description.set(edit.description.clone());
                                                chosen.set(edit.permissions.clone());
                                            }>"Edit"</button>
                                            <button class="button small button-danger" on:click=move |_| { remove.dispatch(id.clone()); }>
                                                "Delete"
                                            </button>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <h3>{move || if editing.get().is_some() { "Edit role" } else { "New role" }}</h3>
            <form class="form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <Field label="Name" name="name" value=name error=error />
                <Field label="Description" name="description" value=description error=error />
                <fieldset class="field">
                    <legend>"Permissions"</legend>
                    <PermissionChecks all=all chosen=chosen />
                </fieldset>
                <FormError error=error />
                <button class="button button-primary" type="submit" disabled=move || save.pending().get()>
                    {move || if editing.get().is_some() { "Save role" } else { "Create role" }}
                </button>
            </form>
        </section>
    }
}
