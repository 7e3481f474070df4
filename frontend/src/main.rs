//! The Administrativ Adgang SPA (Leptos, client-side rendered, built by Trunk).

mod api;
mod app;
mod auth;
mod components;
mod environment;
mod i18n;
mod pages;
mod time;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
