//! The module tab bar (DKFDS tabs as navigation): one tab per module the signed-in user may use
//! in the current organisation, the current one marked with `aria-current="page"`.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::auth::use_auth;
use crate::i18n::{module_texts, use_i18n, Key};

#[component]
pub fn ModuleTabs() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let pathname = use_location().pathname;
    let modules = move || {
        auth.authorized()
            .map(|a| a.session.modules)
            .unwrap_or_default()
    };

    view! {
        <Show when=move || !modules().is_empty()>
            <nav class="tab-container container module-tabs" aria-label=i18n.text(Key::modules_nav_label)>
                <ul class="tab-list">
                    <For each=modules key=|m| *m let:module>
                        <li>
                            <a
                                class="tab-button"
                                href=module.route()
                                aria-current=move || in_module(&pathname.get(), module.route()).then_some("page")
                            >
                                <span>{move || i18n.t(module_texts(module).0)}</span>
                            </a>
                        </li>
                    </For>
                </ul>
            </nav>
        </Show>
    }
}

/// The module's own page and every page below it (`/kontaktstruktur/kontaktpunkt/…`).
fn in_module(path: &str, route: &str) -> bool {
    path == route
        || path
            .strip_prefix(route)
            .is_some_and(|rest| rest.starts_with('/'))
}
