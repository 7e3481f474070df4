//! The front page: one DKFDS card per module the signed-in user may use in the current
//! organisation (SPEC §0 texts), or a login prompt.

use adgang_api_types::Right;
use leptos::prelude::*;

use crate::api;
use crate::auth::{use_auth, AuthStatus};
use crate::components::lazy::LazyView;
use crate::i18n::{hyphenated, module_texts, use_i18n, Key};
use crate::pages::onboarding;

#[component]
pub fn FrontPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();

    let content = move || {
        match auth.status.get() {
        AuthStatus::Checking => view! { <p class="loading">{i18n.text(Key::front_loading)}</p> }.into_any(),
        AuthStatus::SignedOut => view! {
            <p>{i18n.text(Key::front_signed_out)}</p>
            <p>
                <a class="button button-primary" id="front-log-in" rel="external" href=api::auth::login_url("/")>
                    {i18n.text(Key::log_in)}
                </a>
            </p>
        }
        .into_any(),
        AuthStatus::SignedIn(a) if a.session.onboarding_required => view! { <LazyView view=onboarding::render()/> }.into_any(),
        AuthStatus::SignedIn(a) if a.session.modules.is_empty() && !a.session.rights.contains(&Right::RightsAdmin) => view! {
            <div class="alert alert-info" role="status">
                <div class="alert-body"><p class="alert-text">{i18n.text(Key::front_no_modules)}</p></div>
            </div>
        }
        .into_any(),
        AuthStatus::SignedIn(a) => view! {
            <ul class="card-row row module-cards">
                {a.session.rights.contains(&Right::RightsAdmin).then(|| view! {
                    <li class="col-12 col-md-6 col-lg-4">
                        <a class="card long" href="/rettigheder" id="rights-admin-card">
                            <div class="card-content">
                                <h2 class="card-heading">{move || hyphenated(i18n.t(Key::rights_heading))}</h2>
                                <p class="card-subheading">{i18n.text(Key::front_rights_admin)}</p>
                            </div>
                        </a>
                    </li>
                })}
                {a.session.modules.into_iter().map(|module| {
                    let (tab, card) = module_texts(module);
                    view! {
                        <li class="col-12 col-md-6 col-lg-4">
                            <a class="card long" href=module.route() data-module=module.id()>
                                <div class="card-content">
                                    <h2 class="card-heading">{move || hyphenated(i18n.t(tab))}</h2>
                                    <p class="card-subheading">{move || i18n.t(card)}</p>
                                </div>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any(),
    }
    };

    // The moment the cards are on screen, for `cargo xtask bench` (User Timing; issue 11).
    Effect::new(move |_| {
        if matches!(auth.status.get(), AuthStatus::SignedIn(_)) {
            if let Some(performance) = window().performance() {
                let _ = performance.mark("adgang:front-page-rendered");
            }
        }
    });

    let onboarding = move || {
        auth.authorized()
            .is_some_and(|a| a.session.onboarding_required)
    };
    view! {
        <Show when=move || !onboarding()>
            <h1>{i18n.text(Key::front_heading)}</h1>
            <p class="font-lead">{i18n.text(Key::front_intro)}</p>
        </Show>
        {content}
    }
}
