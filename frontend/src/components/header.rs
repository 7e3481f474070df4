//! DKFDS header: product name, the test-environment banner (AUTH-05), and the places for
//! "Skift virksomhed" and "Log ud" (they come alive with login, issue 3), plus the language
//! toggle.

use adgang_api_types::EnvironmentLabel;
use leptos::prelude::*;

use crate::app::use_environment;
use crate::i18n::{use_i18n, Key};

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let environment = use_environment();
    let is_test = move || {
        matches!(
            environment.get(),
            Some(Ok(ref info)) if info.environment == EnvironmentLabel::Test
        )
    };

    view! {
        <header class="header">
            <div class="portal-info">
                <div class="portal-info-inner container">
                    <span class="portal-owner">{move || i18n.t(Key::app_owner)}</span>
                    <div class="portal-user">
                        <button
                            type="button"
                            class="button button-secondary"
                            id="switch-organisation"
                            disabled=true
                            title=move || i18n.t(Key::coming_with_login)
                        >
                            {move || i18n.t(Key::switch_organisation)}
                        </button>
                        <button
                            type="button"
                            class="button button-secondary"
                            id="log-out"
                            disabled=true
                            title=move || i18n.t(Key::coming_with_login)
                        >
                            {move || i18n.t(Key::log_out)}
                        </button>
                        <button
                            type="button"
                            class="button button-tertiary"
                            id="language-toggle"
                            lang=move || if i18n.lang() == crate::i18n::Lang::Da { "en" } else { "da" }
                            aria-label=move || i18n.t(Key::language_toggle_label)
                            on:click=move |_| i18n.toggle()
                        >
                            {move || i18n.t(Key::language_toggle)}
                        </button>
                    </div>
                </div>
            </div>
            <div class="solution-info">
                <div class="solution-info-inner container">
                    <div class="solution-heading">
                        <a href="/" id="product-name">{move || i18n.t(Key::app_name)}</a>
                    </div>
                </div>
            </div>
        </header>
        <Show when=is_test>
            <div class="alert alert-warning environment-banner" role="status" id="environment-banner">
                <div class="alert-body container">
                    <p class="alert-text">{move || i18n.t(Key::env_banner_test)}</p>
                </div>
            </div>
        </Show>
    }
}
