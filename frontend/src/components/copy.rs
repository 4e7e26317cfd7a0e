//! "Copy link": puts a text on the clipboard; where the browser offers no clipboard (a page
//! served over plain http), it shows the text in a prompt to copy by hand.

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::icons::Icon;

/// A button that copies `text`, then says "Copied" for a moment.
#[component]
pub(crate) fn CopyButton(
    #[prop(into)] text: String,
    #[prop(default = "Copy link")] label: &'static str,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let text = StoredValue::new(text);
    let copy = move |_| {
        let text = text.get_value();
        leptos::task::spawn_local(async move {
            if write_clipboard(&text).await {
                copied.try_set(true);
                set_timeout(
                    move || {
                        copied.try_set(false);
                    },
                    Duration::from_secs(2),
                );
            } else {
                let _ = window().prompt_with_message_and_default("Copy this link:", &text);
            }
        });
    };
    view! {
        <span class="copy">
            <button type="button" class="button small" on:click=copy>
                <Icon name="copy" />
                {label}
            </button>
            <span class="copied" role="status" aria-live="polite">
                {move || copied.get().then_some("Copied")}
            </span>
        </span>
    }
}

/// Whether `text` reached the clipboard.
async fn write_clipboard(text: &str) -> bool {
    let navigator = window().navigator();
    // `navigator.clipboard` is undefined outside secure contexts; calling it would throw.
    let available = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .is_ok_and(|clipboard| !clipboard.is_undefined());
    if !available {
        return false;
    }
    let promise = navigator.clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}
