//! Where a failed login lands (`/login-fejl?aarsag=…`), with a way to try again.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api;
use crate::i18n::{use_i18n, Key};

#[component]
pub fn LoginErrorPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let reason = move || match query.get().get("aarsag").as_deref() {
        Some("ingen-rettigheder") => Key::login_error_no_rights,
        _ => Key::login_error_generic,
    };
    view! {
        <h1>{i18n.text(Key::login_error_heading)}</h1>
        <div class="alert alert-error" role="alert">
            <div class="alert-body"><p class="alert-text" id="login-error">{move || i18n.t(reason())}</p></div>
        </div>
        <p><a class="button button-primary" rel="external" href=api::auth::login_url("/")>{i18n.text(Key::log_in)}</a></p>
    }
}
