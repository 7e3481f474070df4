//! DKFDS header: product name, the test-environment banner (AUTH-05), who is signed in and
//! where, "Skift virksomhed" and "Log ud" (CTX-01, AUTH-06) — or "Log ind" — and the
//! language toggle.

use adgang_api_types::EnvironmentLabel;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api;
use crate::auth::{use_auth, AuthStatus};
use crate::environment::use_environment;
use crate::i18n::{use_i18n, Key, Lang};

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let environment = use_environment();
    let location = use_location();
    let navigate = use_navigate();
    let is_test = move || {
        matches!(
            environment.get(),
            Some(Ok(ref info)) if info.environment == EnvironmentLabel::Test
        )
    };
    let log_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            auth.log_out().await;
            navigate("/", Default::default());
        });
    };

    // The page a citizen opens from the SMS is not the administrators' portal: no log-in, no
    // organisation there (issue 32 item 13).
    let citizen_page = move || location.pathname.get().contains("/bekraeft/");
    let account = move || {
        if citizen_page() {
            return ().into_any();
        }
        match auth.status.get() {
        AuthStatus::SignedIn(a) => view! {
            <p class="user" id="signed-in-as">
                <span class="sr-only">{i18n.text(Key::signed_in_as)}" "</span>
                <strong>{a.session.name.clone()}</strong>
                <br/>
                <span id="current-organisation">{a.session.organisation.name.clone()}</span>
            </p>
            <a class="button button-secondary" id="switch-organisation" href="/skift-virksomhed">
                {i18n.text(Key::switch_organisation)}
            </a>
            <button type="button" class="button button-secondary" id="log-out" on:click=log_out.clone()>
                {i18n.text(Key::log_out)}
            </button>
        }
        .into_any(),
        AuthStatus::SignedOut => view! {
            <a
                class="button button-primary"
                id="log-in"
                rel="external"
                href=move || api::auth::login_url(&location.pathname.get())
            >
                {i18n.text(Key::log_in)}
            </a>
        }
        .into_any(),
        AuthStatus::Checking => ().into_any(),
    }
    };

    view! {
        <header class="header">
            <div class="portal-info">
                <div class="portal-info-inner container">
                    <span class="portal-owner">{i18n.text(Key::app_owner)}</span>
                    <div class="portal-user">
                        {account}
                        <button
                            type="button"
                            class="button button-tertiary"
                            id="language-toggle"
                            lang=move || if i18n.lang() == Lang::Da { "en" } else { "da" }
                            aria-label=i18n.text(Key::language_toggle_label)
                            on:click=move |_| i18n.toggle()
                        >
                            {i18n.text(Key::language_toggle)}
                        </button>
                    </div>
                </div>
            </div>
            <div class="solution-info">
                <div class="solution-info-inner container">
                    <div class="solution-heading">
                        <a href="/" id="product-name">{i18n.text(Key::app_name)}</a>
                    </div>
                </div>
            </div>
        </header>
        // An operator acting on behalf of another organisation sees so on every page, with the
        // way back (issue 32 item 7).
        {move || auth.authorized().filter(|a| a.session.operator).map(|a| view! {
            <div class="alert alert-info environment-banner" role="status" id="on-behalf-banner">
                <div class="alert-body container">
                    <p class="alert-text">
                        {i18n.text(Key::on_behalf_banner)}" "
                        <strong>{a.session.organisation.name.clone()}</strong>
                        " (CVR "{a.session.organisation.cvr_number.clone()}"). "
                        <a href="/skift-virksomhed" id="on-behalf-home">{i18n.text(Key::on_behalf_home)}</a>
                    </p>
                </div>
            </div>
        })}
        <Show when=is_test>
            <div class="alert alert-warning environment-banner" role="status" id="environment-banner">
                <div class="alert-body container">
                    <p class="alert-text">{i18n.text(Key::env_banner_test)}</p>
                </div>
            </div>
        </Show>
    }
}
