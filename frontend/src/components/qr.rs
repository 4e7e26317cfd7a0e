//! A QR code drawn as one SVG path, computed in the browser (the link never leaves the page).

use std::fmt::Write as _;

use leptos::prelude::*;
use qrcode::{Color, EcLevel};

/// Light modules around the code, as the QR specification asks for.
const QUIET_ZONE: usize = 4;

/// The QR code of `text`, `size` pixels wide.
#[component]
pub(crate) fn QrCode(
    #[prop(into)] text: String,
    #[prop(default = 200)] size: u32,
    #[prop(default = "QR code of the invite link")] label: &'static str,
) -> impl IntoView {
    let Ok(code) = qrcode::QrCode::with_error_correction_level(text, EcLevel::M) else {
        return view! { <p class="muted small">"This link is too long for a QR code."</p> }
            .into_any();
    };
    let width = code.width();
    let path = dark_runs(&code.into_colors(), width);
    let full = width + 2 * QUIET_ZONE;
    view! {
        <svg
            class="qr"
            role="img"
            aria-label=label
            viewBox=format!("0 0 {full} {full}")
            width=size
            height=size
            shape-rendering="crispEdges"
        >
            <rect width=full height=full fill="#fff" />
            <path d=path fill="#000" />
        </svg>
    }
    .into_any()
}

/// An SVG path with one rectangle per horizontal run of dark modules.
fn dark_runs(modules: &[Color], width: usize) -> String {
    let mut path = String::new();
    for (y, row) in modules.chunks(width).enumerate() {
        let mut x = 0;
        while x < row.len() {
            if row[x] == Color::Dark {
                let run = row[x..].iter().take_while(|c| **c == Color::Dark).count();
                let _ = write!(
                    path,
                    "M{} {}h{run}v1h-{run}z",
                    x + QUIET_ZONE,
                    y + QUIET_ZONE
                );
                x += run;
            } else {
                x += 1;
            }
        }
    }
    path
}
