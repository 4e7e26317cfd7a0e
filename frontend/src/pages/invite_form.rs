//! The invite form: a new invite on `/invites`, or changes to one on `/invites/:id` (where the
//! code cannot change: people may already have the link). Empty number and date fields mean
//! "no limit"; the server checks everything else and its field errors show beside the fields.

use leptos::prelude::*;
use pum_api_types::invites::InviteView;
use pum_api_types::settings::DiscordLinking;
use pum_api_types::users::LibraryView;

use crate::api::{self, ApiError};
use crate::components::forms::{Field, FormError};
use crate::pages::invite_draft::{Draft, expiry_text};

/// The server's message for field `name`, shown under it.
fn field_error(
    error: Signal<Option<ApiError>>,
    name: &'static str,
) -> impl Fn() -> Option<AnyView> + Send + Sync + 'static {
    move || {
        error
            .get()
            .and_then(|e| e.fields.get(name).cloned())
            .map(|m| view! { <p class="field-error" role="alert">{m}</p> }.into_any())
    }
}

/// The invite form. `invite` is the invite to change, or `None` for a new one; `on_saved`
/// gets the invite as the server stored it.
#[component]
pub(crate) fn InviteForm(
    invite: Option<InviteView>,
    libraries: Vec<LibraryView>,
    #[prop(into)] on_saved: Callback<InviteView>,
    #[prop(optional, into)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let editing = invite.is_some();
    let draft = Draft::new(invite.as_ref());
    let expires_start = expiry_text(invite.as_ref());
    let effective = invite.as_ref().map(|i| i.effective_discord_linking);
    let original = StoredValue::new(invite);
    let save = Action::new_local(move |(): &()| {
        let parsed = draft.parse();
        let old = original.get_value();
        let expiry_changed = draft.expires.get_untracked() != expires_start;
        async move {
            let parsed = parsed?;
            match old {
                Some(old) => {
                    let body = parsed.update(&old, expiry_changed);
                    api::update_invite(old.id, body).await
                }
                None => api::create_invite(parsed.create()).await,
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            on_saved.run(saved);
        }
    });
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    view! {
        <form
            class="form invite-form"
            data-testid="invite-form"
            on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(());
            }
        >
            {(!editing).then(|| view! {
                <Field
                    label="Custom path"
                    name="custom_path"
                    value=draft.custom_path
                    error=error
                    hint="Leave empty for a random link nobody can guess. A custom path (3 to 64 letters, digits, - or _) is easy to type, and easy to guess."
                />
            })}
            <div class="form-row">
                <Field label="Expires" name="expires_at" value=draft.expires error=error kind="date" hint="Empty: never." />
                <Field label="Max uses" name="max_uses" value=draft.max_uses error=error kind="number" hint="Empty: unlimited." />
                <Field
                    label="Membership (days)"
                    name="membership_days"
                    value=draft.membership
                    error=error
                    kind="number"
                    hint="Access ends this many days after joining. Empty: no end."
                />
            </div>
            <LibraryChoice libraries=libraries all=draft.all_libraries chosen=draft.library_ids error=error />
            <label class="check">
                <input
                    type="checkbox"
                    name="allow_downloads"
                    prop:checked=move || draft.downloads.get()
                    on:change=move |ev| draft.downloads.set(event_target_checked(&ev))
                />
                "Allow downloads"
            </label>
            <DiscordChoice rule=draft.discord guild=draft.guild effective=effective error=error />
            <div class="field">
                <label for="field-note">"Note"</label>
                <textarea
                    id="field-note"
                    name="note"
                    rows="2"
                    maxlength="500"
                    prop:value=move || draft.note.get()
                    on:input=move |ev| draft.note.set(event_target_value(&ev))
                ></textarea>
                <p class="field-hint">"Only admins see it."</p>
                {field_error(error, "note")}
            </div>
            <FormError error=error />
            <div class="actions">
                <button class="button button-primary" type="submit" disabled=move || save.pending().get()>
                    {if editing { "Save changes" } else { "Create invite" }}
                </button>
                {on_cancel.map(|cancel| view! {
                    <button class="button" type="button" on:click=move |_| cancel.run(())>"Cancel"</button>
                })}
            </div>
        </form>
    }
}

/// "All libraries", or a checkbox per library; ticking one unticks "All libraries".
#[component]
fn LibraryChoice(
    libraries: Vec<LibraryView>,
    all: RwSignal<bool>,
    chosen: RwSignal<Vec<u64>>,
    error: Signal<Option<ApiError>>,
) -> impl IntoView {
    view! {
        <fieldset class="field">
            <legend>"Libraries"</legend>
            <label class="check">
                <input
                    type="checkbox"
                    name="all_libraries"
                    prop:checked=move || all.get()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        all.set(on);
                        if on {
                            chosen.set(Vec::new());
                        }
                    }
                />
                "All libraries"
            </label>
            <div class="checks library-checks">
                {libraries
                    .into_iter()
                    .map(|library| {
                        let id = library.id;
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    name="library_ids"
                                    value=id.to_string()
                                    prop:checked=move || chosen.with(|ids| ids.contains(&id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|ids| {
                                            ids.retain(|x| *x != id);
                                            if on {
                                                ids.push(id);
                                            }
                                        });
                                        if on {
                                            all.set(false);
                                        }
                                    }
                                />
                                {library.title}
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            {field_error(error, "library_ids")}
        </fieldset>
    }
}

/// The Discord rule and the Discord server membership requirement.
#[component]
fn DiscordChoice(
    rule: RwSignal<String>,
    guild: RwSignal<bool>,
    effective: Option<DiscordLinking>,
    error: Signal<Option<ApiError>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for="field-discord_linking">"Discord linking"</label>
            <select
                id="field-discord_linking"
                name="discord_linking"
                prop:value=move || rule.get()
                on:change=move |ev| rule.set(event_target_value(&ev))
            >
                <option value="">"Follow the global setting"</option>
                <option value="off">"Off"</option>
                <option value="optional">"Optional"</option>
                <option value="required">"Required"</option>
            </select>
            {effective.map(|rule| view! {
                <p class="field-hint">"In effect now: " {linking_label(rule)} "."</p>
            })}
            {field_error(error, "discord_linking")}
        </div>
        <div class="field">
            <label class="check">
                <input
                    type="checkbox"
                    name="require_guild_membership"
                    prop:checked=move || guild.get()
                    on:change=move |ev| guild.set(event_target_checked(&ev))
                />
                "Require Discord server membership"
            </label>
            <p class="field-hint">
                "The invitee's Discord account must be in the Discord server set in the settings."
            </p>
            {field_error(error, "require_guild_membership")}
        </div>
    }
}

/// "off", "optional", "required".
pub(crate) fn linking_label(rule: DiscordLinking) -> &'static str {
    match rule {
        DiscordLinking::Off => "off",
        DiscordLinking::Optional => "optional",
        DiscordLinking::Required => "required",
    }
}
