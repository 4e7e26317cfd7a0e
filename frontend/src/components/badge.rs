//! Small coloured status labels.

use leptos::prelude::*;

/// The colour of a badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    Good,
    Bad,
    Busy,
    Neutral,
}

/// A status label.
#[component]
pub(crate) fn Badge(tone: Tone, #[prop(into)] label: String) -> impl IntoView {
    let class = match tone {
        Tone::Good => "badge badge-good",
        Tone::Bad => "badge badge-bad",
        Tone::Busy => "badge badge-busy",
        Tone::Neutral => "badge",
    };
    view! { <span class=class>{label}</span> }
}
