//! The pum web interface: a Leptos client-side app that talks only to pum's JSON API.

mod api;
mod app;
mod components;
mod format;
mod pages;
mod state;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
