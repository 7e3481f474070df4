//! AUTH-04: the first login into an authority that has not joined shows this instead of the
//! modules: accept the agreement, upload it signed (PDF), designate a rights administrator.

use adgang_api_types::{
    FieldError, OnboardingCompletion, OnboardingStatus, RightsAdminDesignation,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Authorised;
use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::alert::FailedAlert;
use crate::i18n::{use_i18n, Key, Lang};

/// Picking "a new user" instead of one of the listed users.
const NEW_USER: &str = "";

/// The Danish (or English) text for a field error the API returned.
fn error_key(error: &FieldError) -> Key {
    use adgang_api_types::FieldCode as C;
    match (error.field.as_str(), error.code) {
        ("acceptAgreement", _) => Key::error_must_accept,
        ("signedAgreement", _) => Key::error_agreement_missing,
        ("document", C::Required) => Key::error_not_pdf,
        ("document", C::NotPdf | C::EncryptedPdf | C::EmptyPdf) => {
            crate::i18n::error_key(error.code)
        }
        ("document", _) => Key::error_unreadable_pdf,
        ("rightsAdmin.name", C::Required) => Key::error_name_required,
        ("rightsAdmin.userId", C::Required) => Key::error_rights_admin_required,
        ("rightsAdmin.email", _) => Key::error_admin_email,
        (_, code) => crate::i18n::error_key(code),
    }
}

fn upload_error_keys(error: &ApiError) -> Vec<Key> {
    match error.status() {
        Some(413) => vec![Key::error_file_too_large],
        Some(400) => error.field_errors().iter().map(error_key).collect(),
        _ => vec![Key::error_generic],
    }
}

#[component]
fn FieldErrors(errors: Signal<Vec<Key>>, id: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || !errors.get().is_empty()>
            <span class="form-error-message" id=id role="alert">
                {move || errors.get().into_iter().map(|k| i18n.t(k)).collect::<Vec<_>>().join(" ")}
            </span>
        </Show>
    }
}

lazy_pages!(onboarding: fn render() -> AnyView {
    view! { <OnboardingPage/> }.into_any()
});

#[component]
pub fn OnboardingPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let status = RwSignal::new(None::<OnboardingStatus>);
    let accepted = RwSignal::new(false);
    let uploading = RwSignal::new(false);
    let upload_errors = RwSignal::new(Vec::<Key>::new());
    let chosen = RwSignal::new(NEW_USER.to_owned());
    let new_name = RwSignal::new(String::new());
    let new_id = RwSignal::new(String::new());
    let admin_email = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failed = RwSignal::new(false);
    let sending = RwSignal::new(false);

    Effect::new(move |_| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        spawn_local(async move {
            if let Ok(loaded) = api::onboarding::status(&client).await {
                if let Some(first) = loaded.users.first() {
                    chosen.set(first.user_id.clone());
                }
                status.set(Some(loaded));
            }
        });
    });

    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = crate::components::form::chosen_file(&ev) else {
            return;
        };
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        upload_errors.set(Vec::new());
        uploading.set(true);
        spawn_local(async move {
            match api::onboarding::upload(&client, file).await {
                Ok(signed) => {
                    // The earlier "upload first" error no longer applies.
                    errors.update(|e| e.retain(|x| x.field != "signedAgreement"));
                    status.update(|s| {
                        if let Some(s) = s {
                            s.signed_agreement = Some(signed);
                        }
                    });
                }
                Err(err) => upload_errors.set(upload_error_keys(&err)),
            }
            uploading.set(false);
        });
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let choice = chosen.get_untracked();
        let rights_admin = if choice == NEW_USER {
            RightsAdminDesignation {
                user_id: new_id.get_untracked(),
                name: Some(new_name.get_untracked()),
                email: admin_email.get_untracked(),
            }
        } else {
            RightsAdminDesignation {
                user_id: choice,
                name: None,
                email: admin_email.get_untracked(),
            }
        };
        let completion = OnboardingCompletion {
            accept_agreement: accepted.get_untracked(),
            rights_admin,
        };
        errors.set(Vec::new());
        failed.set(false);
        sending.set(true);
        spawn_local(async move {
            let completed = api::onboarding::complete(&client, &completion).await;
            sending.set(false);
            match completed {
                // The organisation has joined: a renewed token opens the modules — and removes
                // this page, its signals with it, so nothing here is touched after this
                // (issue 32 item 4: setting `sending` afterwards panicked).
                Ok(_) => auth.renew().await,
                Err(err) if err.status() == Some(400) => errors.set(err.field_errors()),
                Err(_) => failed.set(true),
            }
        });
    };

    let errors_for = move |fields: &'static [&'static str]| {
        Signal::derive(move || {
            errors
                .get()
                .iter()
                .filter(|e| fields.contains(&e.field.as_str()))
                .map(error_key)
                .collect::<Vec<_>>()
        })
    };
    // The agreement as a PDF to print, sign and upload (AUTH-04).
    let download_agreement = move |_| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let name = format!("tilslutningsaftale-{}.pdf", client.cvr);
        client.start_download("/onboarding/agreement", &name, move || {
            upload_errors.set(vec![Key::error_generic])
        });
    };
    let accept_errors = errors_for(&["acceptAgreement"]);
    let document_errors = Signal::derive(move || {
        let mut keys = upload_errors.get();
        keys.extend(errors_for(&["signedAgreement"]).get());
        keys
    });
    let admin_errors = errors_for(&["rightsAdmin.userId", "rightsAdmin.name"]);
    let email_errors = errors_for(&["rightsAdmin.email"]);
    let org_name = move || {
        auth.authorized()
            .map(|a| a.session.organisation.name)
            .unwrap_or_default()
    };

    view! {
        <h1>{i18n.text(Key::onboarding_heading)}</h1>
        <p class="font-lead">{org_name}</p>
        <p>{i18n.text(Key::onboarding_intro)}</p>
        <FailedAlert failed=failed/>
        {move || status.get().map(|s| view! {
            <form id="onboarding-form" on:submit=submit novalidate>
                <fieldset class=move || if accept_errors.get().is_empty() { "form-group" } else { "form-group form-error" }>
                    <legend class="h2">{i18n.text(Key::onboarding_step_agreement)}</legend>
                    <div class="onboarding-agreement" tabindex="0" id="onboarding-agreement" aria-label=s.agreement.title.clone()>
                        <h3>{s.agreement.title.clone()}</h3>
                        {s.agreement.paragraphs.iter().map(|p| view! { <p>{p.clone()}</p> }).collect_view()}
                        <p class="form-hint">"Version "{s.agreement.version.clone()}</p>
                    </div>
                    <FieldErrors errors=accept_errors id="onboarding-accept-error"/>
                    <div class="form-group-checkbox">
                        <input type="checkbox" class="form-checkbox" id="onboarding-accept"
                            prop:checked=move || accepted.get()
                            on:change=move |ev| {
                                accepted.set(event_target_checked(&ev));
                                errors.update(|e| e.retain(|x| x.field != "acceptAgreement"));
                            }/>
                        <label for="onboarding-accept">{i18n.text(Key::onboarding_accept)}</label>
                    </div>
                </fieldset>

                <fieldset class=move || if document_errors.get().is_empty() { "form-group" } else { "form-group form-error" }>
                    <legend class="h2">{i18n.text(Key::onboarding_step_upload)}</legend>
                    <p>
                        <button type="button" class="button button-secondary" id="onboarding-download" on:click=download_agreement>
                            {i18n.text(Key::onboarding_download_agreement)}
                        </button>
                    </p>
                    <label class="form-label" for="onboarding-file">{i18n.text(Key::onboarding_file_label)}</label>
                    <span class="form-hint" id="onboarding-file-hint">{i18n.text(Key::onboarding_upload_hint)}</span>
                    <FieldErrors errors=document_errors id="onboarding-file-error"/>
                    <input type="file" class="form-input" id="onboarding-file" accept="application/pdf,.pdf"
                        aria-describedby="onboarding-file-hint" on:change=on_file/>
                    <Show when=move || uploading.get()>
                        <p role="status">{i18n.text(Key::onboarding_uploading)}</p>
                    </Show>
                    {move || status.get().and_then(|s| s.signed_agreement).map(|signed| view! {
                        <p class="alert alert-success" role="status" id="onboarding-uploaded">
                            {i18n.text(Key::onboarding_uploaded)}": "
                            {signed.page_count}" "{i18n.text(Key::onboarding_pages)}", "
                            {move || {
                                let size = format!("{:.1} KB", signed.size_bytes as f64 / 1024.0);
                                if i18n.lang() == Lang::Da { size.replace('.', ",") } else { size }
                            }}
                        </p>
                    })}
                </fieldset>

                <fieldset class=move || if admin_errors.get().is_empty() { "form-group" } else { "form-group form-error" }>
                    <legend class="h2">{i18n.text(Key::onboarding_step_rights_admin)}</legend>
                    <p class="form-hint">{i18n.text(Key::onboarding_rights_admin_hint)}</p>
                    <FieldErrors errors=admin_errors id="onboarding-admin-error"/>
                    {s.users.iter().map(|u| {
                        let id = format!("admin-{}", u.user_id);
                        let value = u.user_id.clone();
                        let current = u.user_id.clone();
                        view! {
                            <div class="form-group-radio">
                                <input type="radio" class="form-radio" name="rights-admin" id=id.clone()
                                    prop:checked=move || chosen.get() == current
                                    on:change=move |_| chosen.set(value.clone())/>
                                <label for=id>{u.name.clone()}" (RID "{u.user_id.clone()}")"</label>
                            </div>
                        }
                    }).collect_view()}
                    <div class="form-group-radio">
                        <input type="radio" class="form-radio" name="rights-admin" id="admin-new"
                            prop:checked=move || chosen.get() == NEW_USER
                            on:change=move |_| chosen.set(NEW_USER.to_owned())/>
                        <label for="admin-new">{i18n.text(Key::onboarding_new_user)}</label>
                    </div>
                    <Show when=move || chosen.get() == NEW_USER>
                        <div class="form-group">
                            <label class="form-label" for="admin-new-name">{i18n.text(Key::onboarding_new_user_name)}</label>
                            <input class="form-input" id="admin-new-name" autocomplete="off"
                                prop:value=move || new_name.get() on:input=move |ev| new_name.set(event_target_value(&ev))/>
                        </div>
                        <div class="form-group">
                            <label class="form-label" for="admin-new-id">{i18n.text(Key::onboarding_new_user_id)}</label>
                            <input class="form-input" id="admin-new-id" autocomplete="off"
                                prop:value=move || new_id.get() on:input=move |ev| new_id.set(event_target_value(&ev))/>
                        </div>
                    </Show>
                    // §3.1.1: the designated administrator is sent the link to the rights portal.
                    <div class=move || if email_errors.get().is_empty() { "form-group" } else { "form-group form-error" }>
                        <label class="form-label" for="admin-email">{i18n.text(Key::onboarding_admin_email)}</label>
                        <span class="form-hint" id="admin-email-hint">{i18n.text(Key::onboarding_admin_email_hint)}</span>
                        <FieldErrors errors=email_errors id="admin-email-error"/>
                        <input class="form-input" id="admin-email" type="email" autocomplete="off"
                            aria-describedby="admin-email-hint"
                            prop:value=move || admin_email.get() on:input=move |ev| admin_email.set(event_target_value(&ev))/>
                    </div>
                </fieldset>

                <button type="submit" class="button button-primary" id="onboarding-submit" disabled=move || sending.get()>
                    {i18n.text(Key::onboarding_submit)}
                </button>
            </form>
        })}
    }
}
