//! Shows a module's page only to users who may use the module in the current organisation;
//! otherwise the same notices as the generic module page.

use adgang_api_types::Module;
use leptos::prelude::*;

use crate::auth::{use_auth, AuthStatus};
use crate::i18n::{use_i18n, Key};

#[component]
pub fn ModuleGate(module: Module, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let notice = move |key: Key| {
        view! {
            <div class="alert alert-info" role="status">
                <div class="alert-body"><p class="alert-text">{move || i18n.t(key)}</p></div>
            </div>
        }
        .into_any()
    };
    move || match auth.status.get() {
        AuthStatus::Checking => view! { <p>{i18n.text(Key::front_loading)}</p> }.into_any(),
        AuthStatus::SignedOut => notice(Key::module_signed_out),
        AuthStatus::SignedIn(a) if a.session.onboarding_required => {
            notice(Key::onboarding_module_blocked)
        }
        AuthStatus::SignedIn(a) if a.session.modules.contains(&module) => children().into_any(),
        AuthStatus::SignedIn(_) => notice(Key::module_no_access),
    }
}

/// A module's page: its heading, then `children` for the users the gate lets in.
#[component]
pub fn GatedPage(module: Module, heading: Key, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{i18n.text(heading)}</h1>
        <ModuleGate module=module>{children()}</ModuleGate>
    }
}

/// A [`GatedPage`] whose gated part opens with the `intro` text.
#[component]
pub fn IntroducedPage(
    module: Module,
    heading: Key,
    intro: Key,
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <GatedPage module=module heading=heading>
            <p>{i18n.text(intro)}</p>
            {children()}
        </GatedPage>
    }
}
