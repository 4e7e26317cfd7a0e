//! `/api-keys`: keys for scripts.

use leptos::prelude::*;
use pum_api_types::Permission;
use pum_api_types::auth::{ApiKeyView, CreateApiKeyRequest, PermissionInfo};

use crate::api;
use crate::components::feedback::{ErrorView, Loading};
use crate::components::forms::{Field, FormError};
use crate::format;
use crate::pages::admins::PermissionChecks;
use crate::state::{AuthState, Session};

/// `/api-keys`.
#[component]
pub(crate) fn ApiKeys() -> impl IntoView {
    super::set_title("API keys");
    let keys = LocalResource::new(api::api_keys);
    let auth = expect_context::<AuthState>();
    let mine: Vec<PermissionInfo> = match auth.session.get_untracked() {
        Session::SignedIn(me) => me
            .permissions
            .iter()
            .map(|p| PermissionInfo {
                permission: *p,
                label: p.label().to_owned(),
            })
            .collect(),
        _ => Vec::new(),
    };
    let name = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<Permission>::new());
    let create = Action::new_local(move |(): &()| {
        let expires_at = expires
            .get_untracked()
            .trim()
            .parse::<chrono::NaiveDate>()
            .ok()
            .and_then(|d| d.and_hms_opt(23, 59, 59))
            .map(|t| t.and_utc());
        let body = CreateApiKeyRequest {
            name: name.get_untracked(),
            permissions: chosen.get_untracked(),
            expires_at,
        };
        async move { api::create_api_key(body).await }
    });
    let revoke = Action::new_local(|id: &String| api::revoke_api_key(id.clone()));
    Effect::new(move |_| {
        if matches!(create.value().get(), Some(Ok(_)))
            || matches!(revoke.value().get(), Some(Ok(())))
        {
            keys.refetch();
        }
    });
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <div class="page-header">
            <div>
                <h1>"API keys"</h1>
                <p class="muted">
                    "For scripts: send " <code>"Authorization: Bearer <key>"</code>
                    ". A key can do only what its permissions allow, and never more than you."
                </p>
            </div>
        </div>
        {move || {
            create
                .value()
                .get()
                .and_then(Result::ok)
                .map(|created| {
                    view! {
                        <div class="notice notice-good" role="status">
                            <strong>"Copy the key now; it is not shown again: "</strong>
                            <code data-testid="new-api-key">{created.key}</code>
                        </div>
                    }
                })
        }}
        <section class="card">
            <div class="card-header"><h2>"Keys"</h2></div>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match keys.await {
                        Ok(list) if list.keys.is_empty() => view! { <p class="empty">"No API keys yet."</p> }.into_any(),
                        Ok(list) => view! { <KeyTable keys=list.keys revoke=revoke /> }.into_any(),
                        Err(error) => view! { <ErrorView error=error on_retry=move |()| keys.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <section class="card">
            <div class="card-header"><h2>"New key"</h2></div>
            <form class="form" on:submit=move |ev| { ev.prevent_default(); create.dispatch(()); }>
                <Field label="Name" name="name" value=name error=error hint="What the key is for, such as \"backup script\"." />
                <Field label="Expires on (optional)" name="expires_at" value=expires error=error kind="date" />
                <fieldset class="field">
                    <legend>"Permissions"</legend>
                    <PermissionChecks all=mine chosen=chosen />
                </fieldset>
                <FormError error=error />
                <button class="button button-primary" type="submit" disabled=move || create.pending().get()>
                    "Create key"
                </button>
            </form>
        </section>
    }
}

#[component]
fn KeyTable(
    keys: Vec<ApiKeyView>,
    revoke: Action<String, Result<(), api::ApiError>>,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="api-keys-table">
                <thead>
                    <tr><th>"Name"</th><th>"Key"</th><th>"Permissions"</th><th>"By"</th><th>"Last used"</th><th>"Expires"</th><th></th></tr>
                </thead>
                <tbody>
                    {keys
                        .into_iter()
                        .map(|key| {
                            let id = key.id.clone();
                            view! {
                                <tr>
                                    <td>{key.name}</td>
                                    <td><code>{key.prefix}"…"</code></td>
                                    <td class="small">{key.permissions.iter().map(|p| p.name()).collect::<Vec<_>>().join(", ")}</td>
                                    <td>{key.created_by}</td>
                                    <td>{key.last_used_at.map_or_else(|| "never".to_owned(), format::relative)}</td>
                                    <td>{key.expires_at.map_or_else(|| "never".to_owned(), format::datetime)}</td>
                                    <td>
                                        <button class="button small button-danger" on:click=move |_| { revoke.dispatch(id.clone()); }>
                                            "Revoke"
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
