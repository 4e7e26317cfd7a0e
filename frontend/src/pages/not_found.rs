use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// Any path the app does not know.
#[component]
pub(crate) fn NotFound() -> impl IntoView {
    super::set_title("Not found");
    let location = use_location();
    view! {
        <section class="not-found">
            <p class="not-found-code">"404"</p>
            <h1>"Page not found"</h1>
            <p class="muted">
                "There is nothing at " <code>{move || location.pathname.get()}</code> "."
            </p>
            <A href="/" attr:class="button button-primary">
                "Back to the dashboard"
            </A>
        </section>
    }
}
