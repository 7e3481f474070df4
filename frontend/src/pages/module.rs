//! Every route that is not the front page: a module's page (not built yet, in Danish) or
//! "page not found".

use adgang_api_types::Module;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::{module_texts, use_i18n, Key};

#[component]
pub fn ModulePage() -> impl IntoView {
    let i18n = use_i18n();
    let pathname = use_location().pathname;

    move || match Module::from_route(&pathname.get()) {
        Some(module) => {
            let (tab, _) = module_texts(module);
            view! {
                <h1>{move || i18n.t(tab)}</h1>
                <div class="alert alert-info" role="status">
                    <div class="alert-body">
                        <p class="alert-text">{move || i18n.t(Key::module_not_built)}</p>
                    </div>
                </div>
                <p><a href="/">{move || i18n.t(Key::back_to_front)}</a></p>
            }
            .into_any()
        }
        None => view! {
            <h1>{move || i18n.t(Key::not_found_heading)}</h1>
            <p>{move || i18n.t(Key::not_found_text)}</p>
            <p><a href="/">{move || i18n.t(Key::back_to_front)}</a></p>
        }
        .into_any(),
    }
}
