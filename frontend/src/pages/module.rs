//! Every other route: a module's page (not built yet, in Danish) when the user may use it, a
//! no-access or login notice when not, or "page not found".

use adgang_api_types::Module;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::auth::{use_auth, AuthStatus};
use crate::i18n::{module_texts, use_i18n, Key};

fn notice(i18n: crate::i18n::I18n, key: Key) -> AnyView {
    view! {
        <div class="alert alert-info" role="status">
            <div class="alert-body"><p class="alert-text">{move || i18n.t(key)}</p></div>
        </div>
    }
    .into_any()
}

/// The chapter of the user guide ("Administrativ Adgang – Vejledning") that describes a module.
fn guide_chapter(module: Module) -> u8 {
    match module {
        Module::SystemConnection => 5,
        Module::ContactStructure => 6,
        Module::EventLog => 7,
        Module::CitizenExemption | Module::CompanyExemption => 8,
        Module::CitizenNemSms | Module::CompanyNemSms => 9,
        Module::MailAccess => 10,
        Module::AuthorityInformation => 11,
        Module::Recall => 13,
        Module::Statistics => 14,
        Module::MoveMail => 15,
    }
}

/// A module the user may use but that is not built yet: what it will do, and where the guide
/// describes it — so its card is not a dead end.
fn not_built(i18n: crate::i18n::I18n, module: Module) -> AnyView {
    let (_, card) = module_texts(module);
    let chapter = guide_chapter(module);
    view! {
        <div class="alert alert-info" role="status" id="module-not-built">
            <div class="alert-body">
                <p class="alert-heading">{move || i18n.t(Key::module_not_built)}</p>
                <p class="alert-text">
                    {move || i18n.t(Key::module_will)}" "{move || i18n.t(card)}". "
                    {move || i18n.t(Key::module_guide_chapter).replace("{chapter}", &chapter.to_string())}
                </p>
            </div>
        </div>
    }
    .into_any()
}

#[component]
pub fn ModulePage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let pathname = use_location().pathname;

    move || match Module::from_route(&pathname.get()) {
        Some(module) => {
            let (tab, _) = module_texts(module);
            let body = match auth.status.get() {
                AuthStatus::Checking => ().into_any(),
                AuthStatus::SignedOut => notice(i18n, Key::module_signed_out),
                AuthStatus::SignedIn(a) if a.session.onboarding_required => {
                    notice(i18n, Key::onboarding_module_blocked)
                }
                AuthStatus::SignedIn(a) if a.session.modules.contains(&module) => {
                    not_built(i18n, module)
                }
                AuthStatus::SignedIn(_) => notice(i18n, Key::module_no_access),
            };
            view! {
                <h1>{move || i18n.t(tab)}</h1>
                {body}
                <p><a href="/">{i18n.text(Key::back_to_front)}</a></p>
            }
            .into_any()
        }
        None => view! {
            <h1>{i18n.text(Key::not_found_heading)}</h1>
            <p>{i18n.text(Key::not_found_text)}</p>
            <p><a href="/">{i18n.text(Key::back_to_front)}</a></p>
        }
        .into_any(),
    }
}
