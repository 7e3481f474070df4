//! The module tab bar (DKFDS tabs as navigation): one tab per module, the current one marked
//! with `aria-current="page"`.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::app::use_environment;
use crate::i18n::{module_texts, use_i18n};

#[component]
pub fn ModuleTabs() -> impl IntoView {
    let i18n = use_i18n();
    let environment = use_environment();
    let pathname = use_location().pathname;
    let modules = move || match environment.get() {
        Some(Ok(info)) => info.modules,
        _ => Vec::new(),
    };

    view! {
        <nav class="tab-container container module-tabs" aria-label=move || i18n.t(crate::i18n::Key::modules_nav_label)>
            <ul class="tab-list">
                <For each=modules key=|m| *m let:module>
                    <li>
                        <a
                            class="tab-button"
                            href=module.route()
                            aria-current=move || (pathname.get() == module.route()).then_some("page")
                        >
                            <span>{move || i18n.t(module_texts(module).0)}</span>
                        </a>
                    </li>
                </For>
            </ul>
        </nav>
    }
}
