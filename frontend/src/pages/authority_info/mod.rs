//! Authority information (SPEC §8, guide chapter 11): "Myndighedsinformation" — the link to the
//! organisation's privacy policy ("Afprøv link" lets the server fetch it, then "Gem") and the
//! organisation's PNG logo shown with its mail (upload with preview, replace, remove).

use adgang_api_types::{AuthorityInformation, FieldError, LinkCheck, LinkProblem, Module};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Route;
use leptos_router::{Lazy, StaticSegment};

use crate::api::{self, ApiError, Authorised};
use crate::auth::use_auth;
use crate::components::alert::FailedAlert;
use crate::components::form::{accepted, errors_for, ErrorText, TextField};
use crate::components::module_gate::IntroducedPage;
use crate::i18n::{use_i18n, Key};

lazy_pages!(authority_info: fn render() -> AnyView {
    view! { <AuthorityInfoPage/> }.into_any()
});

lazy_route!(AuthorityInfoRoute => render());

/// `/myndighedsinformation`.
#[component(transparent)]
pub fn AuthorityInfoRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=StaticSegment(crate::pages::segment(Module::AuthorityInformation)) view={Lazy::<AuthorityInfoRoute>::new()}/>
    }
    .into_inner()
}

#[component]
fn AuthorityInfoPage() -> impl IntoView {
    view! {
        <IntroducedPage module=Module::AuthorityInformation heading=Key::module_authority_information_tab intro=Key::info_intro>
            <AuthorityInfo/>
        </IntroducedPage>
    }
}

fn problem_key(problem: LinkProblem) -> Key {
    match problem {
        LinkProblem::HttpsRequired => Key::info_problem_https,
        LinkProblem::ForbiddenAddress => Key::info_problem_forbidden,
        LinkProblem::UnknownHost => Key::info_problem_unknown_host,
        LinkProblem::ConnectionFailed => Key::info_problem_connection,
        LinkProblem::Timeout => Key::info_problem_timeout,
        LinkProblem::TooManyRedirects => Key::info_problem_redirects,
        LinkProblem::InvalidRedirect => Key::info_problem_invalid_redirect,
        LinkProblem::HttpStatus => Key::info_problem_status,
    }
}

#[component]
fn AuthorityInfo() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let info = RwSignal::new(None::<AuthorityInformation>);
    let url = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let logo_errors = RwSignal::new(Vec::<FieldError>::new());
    let check = RwSignal::new(None::<LinkCheck>);
    let saved = RwSignal::new(None::<Key>);
    let failed = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let confirm_remove = RwSignal::new(false);

    Effect::new(move |_| {
        if let Some(client) = Authorised::of(auth) {
            spawn_local(async move {
                match api::authority_info::get(&client).await {
                    Ok(found) => {
                        url.set(found.privacy_policy_url.clone().unwrap_or_default());
                        info.set(Some(found));
                    }
                    Err(_) => failed.set(true),
                }
            });
        }
    });

    let outcome = move |result: Result<AuthorityInformation, ApiError>,
                        errors: RwSignal<Vec<FieldError>>,
                        done: Key| {
        match result {
            Ok(found) => {
                errors.set(Vec::new());
                info.set(Some(found));
                saved.set(Some(done));
            }
            Err(ApiError::Problem(p)) if p.status == 400 => errors.set(p.errors),
            Err(ApiError::Problem(p)) if p.status == 413 => errors.set(vec![FieldError {
                field: "logo".to_owned(),
                code: adgang_api_types::FieldCode::TooLarge,
                message: String::new(),
            }]),
            Err(_) => failed.set(true),
        }
        busy.set(false);
    };
    let begin = move || {
        failed.set(false);
        saved.set(None);
        busy.set(true);
    };

    let test_link = move |_| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let typed = url.get_untracked();
        begin();
        check.set(None);
        spawn_local(async move {
            let result = api::authority_info::test_link(&client, typed.trim()).await;
            if let Some(link_check) = accepted(result, errors, None, failed) {
                check.set(Some(link_check));
            }
            busy.set(false);
        });
    };
    let save_link = move || {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let typed = url.get_untracked();
        begin();
        spawn_local(async move {
            let result = api::authority_info::save_link(&client, typed.trim()).await;
            outcome(result, errors, Key::info_link_saved);
        });
    };
    let on_file = move |ev: leptos::ev::Event| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let Some(file) = crate::components::form::chosen_file(&ev) else {
            return;
        };
        begin();
        spawn_local(async move {
            let result = api::authority_info::upload_logo(&client, file).await;
            outcome(result, logo_errors, Key::info_logo_saved);
        });
    };
    let remove_logo = move |_| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        begin();
        spawn_local(async move {
            match api::authority_info::remove_logo(&client).await {
                Ok(()) => {
                    info.update(|i| {
                        if let Some(i) = i {
                            i.logo = None
                        }
                    });
                    saved.set(Some(Key::info_logo_removed));
                    confirm_remove.set(false);
                }
                Err(_) => failed.set(true),
            }
            busy.set(false);
        });
    };

    let url_errors = errors_for(errors, &["url"]);
    let file_errors = errors_for(logo_errors, &["logo"]);

    let check_view = move || {
        check.get().map(|result| {
            let status = result.status.map(|s| s.to_string()).unwrap_or_default();
            match result.problem {
                None => view! {
                    <div class="alert alert-success" role="status" id="info-link-check">
                        <div class="alert-body"><p class="alert-text">{move || i18n.t(Key::info_link_ok)
                            .replace("{status}", &status).replace("{url}", &result.final_url)}</p></div>
                    </div>
                }.into_any(),
                Some(problem) => view! {
                    <div class="alert alert-warning" role="status" id="info-link-check">
                        <div class="alert-body">
                            <p class="alert-heading">{i18n.text(Key::info_link_not_ok)}</p>
                            <p class="alert-text">{move || i18n.t(problem_key(problem)).replace("{status}", &status)}</p>
                        </div>
                    </div>
                }.into_any(),
            }
        })
    };

    let logo_view = move || {
        info.get().map(|found| match found.logo {
            Some(logo) => view! {
                <figure class="logo-preview" id="info-logo">
                    <img src=logo.url.clone() alt=i18n.text(Key::info_logo_alt)
                        style="max-width: 300px; max-height: 150px; border: 1px solid #ccc; padding: 8px;"/>
                    <figcaption>{move || i18n.t(Key::info_logo_size)
                        .replace("{width}", &logo.width.to_string())
                        .replace("{height}", &logo.height.to_string())
                        .replace("{kb}", &format!("{:.1}", logo.bytes as f64 / 1024.0))}</figcaption>
                </figure>
                <Show when=move || !confirm_remove.get() fallback=move || view! {
                    <div class="alert alert-warning" role="alert" id="info-remove-warning">
                        <div class="alert-body"><p class="alert-text">{i18n.text(Key::info_remove_text)}</p></div>
                    </div>
                    <p class="wizard-buttons">
                        <button type="button" class="button button-secondary" id="info-remove-cancel"
                            on:click=move |_| confirm_remove.set(false)>{i18n.text(Key::rc_cancel)}</button>
                        " "
                        <button type="button" class="button button-primary" id="info-remove-confirm"
                            disabled=move || busy.get() on:click=remove_logo>{i18n.text(Key::info_remove_confirm)}</button>
                    </p>
                }>
                    <p><button type="button" class="button button-secondary" id="info-remove"
                        on:click=move |_| confirm_remove.set(true)>{i18n.text(Key::info_remove)}</button></p>
                </Show>
            }.into_any(),
            None => view! { <p id="info-no-logo">{i18n.text(Key::info_no_logo)}</p> }.into_any(),
        })
    };

    view! {
        <FailedAlert failed=failed/>
        {move || saved.get().map(|key| view! {
            <div class="alert alert-success" role="status" id="info-saved"><div class="alert-body"><p class="alert-text">{i18n.text(key)}</p></div></div>
        })}
        <h2>{i18n.text(Key::info_link_heading)}</h2>
        <p>{i18n.text(Key::info_link_text)}</p>
        <form id="info-link" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if !busy.get_untracked() { save_link() }
        }>
            <TextField id="info-url" label=Key::info_url value=url errors=url_errors hint=Key::info_url_hint input_type="url"/>
            <p class="wizard-buttons">
                <button type="button" class="button button-secondary" id="info-test" disabled=move || busy.get() on:click=test_link>
                    {i18n.text(Key::info_test)}
                </button>
                " "
                <button type="submit" class="button button-primary" id="info-save" disabled=move || busy.get()>
                    {i18n.text(Key::info_save)}
                </button>
            </p>
        </form>
        {check_view}
        <h2>{i18n.text(Key::info_logo_heading)}</h2>
        <p>{i18n.text(Key::info_logo_text)}</p>
        {logo_view}
        <div class=move || if file_errors.get().is_empty() { "form-group" } else { "form-group form-error" }>
            <label class="form-label" for="info-logo-file">{i18n.text(Key::info_logo_file)}</label>
            <span class="form-hint" id="info-logo-file-hint">{i18n.text(Key::info_logo_hint)}</span>
            <ErrorText errors=file_errors id="info-logo-file-error".to_owned()/>
            <input type="file" class="form-input" id="info-logo-file" accept="image/png,.png"
                aria-describedby="info-logo-file-hint" on:change=on_file/>
        </div>
    }
}
