//! The module tab bar (DKFDS tabs as navigation): one tab per module the signed-in user may use
//! in the current organisation, the current one marked with `aria-current="page"`.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use adgang_api_types::Right;

use crate::auth::use_auth;
use crate::i18n::{module_texts, use_i18n, Key};

const RIGHTS_ROUTE: &str = "/rettigheder";

/// The page's title: the section it belongs to (a module, rights administration, "Skift
/// virksomhed"), then the portal's name — so tabs, history and screen readers tell pages apart.
#[component]
pub fn PageTitle() -> impl IntoView {
    let i18n = use_i18n();
    let pathname = use_location().pathname;
    Effect::new(move |_| {
        let path = pathname.get();
        let section = adgang_api_types::Module::ALL
            .into_iter()
            .find(|m| in_module(&path, m.route()))
            .map(|m| module_texts(m).0)
            .or_else(|| in_module(&path, RIGHTS_ROUTE).then_some(Key::rights_heading))
            .or_else(|| in_module(&path, "/skift-virksomhed").then_some(Key::switch_heading));
        let portal = i18n.t(Key::app_name);
        let title = match section {
            Some(key) => format!("{} – {portal}", i18n.t(key)),
            None => portal.to_owned(),
        };
        if let Some(document) = leptos::prelude::window().document() {
            document.set_title(&title);
        }
    });
}

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
    // Rights administration is not one of the guide's modules, but it has a card: a tab too.
    let rights_admin = move || {
        auth.authorized()
            .is_some_and(|a| a.session.rights.contains(&Right::RightsAdmin))
    };

    view! {
        <Show when=move || !modules().is_empty() || rights_admin()>
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
                    <Show when=rights_admin>
                        <li>
                            <a class="tab-button" href=RIGHTS_ROUTE
                                aria-current=move || in_module(&pathname.get(), RIGHTS_ROUTE).then_some("page")>
                                <span>{i18n.text(Key::rights_heading)}</span>
                            </a>
                        </li>
                    </Show>
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
