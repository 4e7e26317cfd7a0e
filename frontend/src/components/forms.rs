//! Form pieces: a labelled field that shows its server-side error, and a form-level notice.

use leptos::prelude::*;

use crate::api::ApiError;

/// A labelled input bound to `value`; `error` is the server's message for `name`.
#[component]
pub(crate) fn Field(
    #[prop(into)] label: String,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<ApiError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let message = move || error.get().and_then(|e| e.fields.get(name).cloned());
    let id = format!("field-{name}");
    view! {
        <div class="field" class:field-invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete.unwrap_or("off")
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
            />
            {hint.map(|hint| view! { <p class="field-hint">{hint}</p> })}
            {move || message().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </div>
    }
}

/// The error of a failed submit that is not about one field (or lists them all).
#[component]
pub(crate) fn FormError(#[prop(into)] error: Signal<Option<ApiError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! { <div class="notice notice-bad" role="alert">{e.message}</div> }
        })
    }
}

/// A checkbox that puts `item` into `chosen` when ticked and takes it out when not.
#[component]
pub(crate) fn Check<T>(
    item: T,
    chosen: RwSignal<Vec<T>>,
    #[prop(into)] label: String,
) -> impl IntoView
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let shown = item.clone();
    view! {
        <label class="check">
            <input
                type="checkbox"
                prop:checked=move || chosen.with(|c| c.contains(&shown))
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    chosen
                        .update(|c| {
                            c.retain(|x| *x != item);
                            if on {
                                c.push(item.clone());
                            }
                        });
                }
            />
            {label}
        </label>
    }
}

/// `Some(text)` unless `text` is blank.
pub(crate) fn non_empty(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}
