//! Every route no page knows: "page not found". (Each module's own routes answer its path,
//! with its `ModuleGate` telling a user without the right or without a session.)

use leptos::prelude::*;

use crate::i18n::{use_i18n, Key};

#[component]
pub fn ModulePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{i18n.text(Key::not_found_heading)}</h1>
        <p id="page-not-found">{i18n.text(Key::not_found_text)}</p>
        <p><a href="/">{i18n.text(Key::back_to_front)}</a></p>
    }
}
