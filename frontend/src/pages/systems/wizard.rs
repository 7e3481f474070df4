//! "Opret system" (SYS-14): new or standard system → name and role → protocol and details →
//! activation → technical contact → summary with "Redigér" per part → "Tilslut" → receipt.
//! The API is the one judge of the rules; its field errors send the user back to the step
//! that holds the field.

use adgang_api_types::{ActivationMode, Module, StandardSystem, SystemReceipt};
use leptos::prelude::*;

use super::link;

use super::form::{
    protocol_key, role_key, ActivationFields, ContactFields, Draft, NameAndRole, ProtocolAndDetails,
};
use crate::api;
use crate::api::Authorised;
use crate::auth::use_auth;
use crate::components::alert::{ErrorAlert, FailedAlert};
use crate::components::form::radio;
use crate::components::module_gate::GatedPage;
use crate::components::receipt::ReceiptButtons;
use crate::components::step_indicator::StepIndicator;
use crate::components::wizard::{summary_row, WizardButtons, WizardSteps, STEP_HEADING};
use crate::i18n::{use_i18n, Key};

const SUMMARY: usize = 5;
const STEPS: [Key; 6] = [
    Key::wiz_step_type,
    Key::wiz_step_name,
    Key::wiz_step_protocol,
    Key::wiz_step_activation,
    Key::wiz_step_contact,
    Key::wiz_step_summary,
];

/// The step that holds an API field.
fn step_of(field: &str) -> usize {
    match field.split(['.', '[']).next().unwrap_or_default() {
        "standardSystemId" | "acceptVendorAgreement" => 0,
        "name" | "role" => 1,
        "protocol" | "allowedIps" | "endpoint" | "receiptEndpoint" | "sshPublicKey"
        | "vendorCvr" => 2,
        "activation" | "deactivateAt" | "moveVirkMail" => 3,
        "technicalContact" => 4,
        _ => 5,
    }
}

#[component]
pub fn CreateSystemPage() -> impl IntoView {
    view! {
        <GatedPage module=Module::SystemConnection heading=Key::sys_create>
            <Wizard/>
        </GatedPage>
    }
}

#[component]
fn Wizard() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let draft = Draft::new();
    let steps = WizardSteps::new(0, SUMMARY);
    let step = steps.step;
    let use_standard = RwSignal::new(false);
    // §5.6: the vendor is chosen first, then one of its standard systems.
    let vendor = RwSignal::new(String::new());
    // "Standardsystem" chosen but none of them picked: the API cannot tell, so the page does.
    let standard_missing = RwSignal::new(false);
    let receipt = RwSignal::new(None::<SystemReceipt>);
    let failed = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let standards = api::loaded(move || {
        let signed_in = Authorised::of(auth);
        async move {
            match signed_in {
                Some(client) => api::systems::standard_systems(&client)
                    .await
                    .unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });

    let pick_standard = move |s: StandardSystem| {
        draft.standard_system_id.set(Some(s.id.clone()));
        draft.role.set(s.role);
        draft.protocol.set(s.protocol);
        draft.ips.set(s.allowed_ips.join("\n"));
        draft.endpoint.set(s.endpoint.clone().unwrap_or_default());
        draft
            .receipt_endpoint
            .set(s.receipt_endpoint.clone().unwrap_or_default());
        draft
            .ssh_key
            .set(s.ssh_public_key.clone().unwrap_or_default());
        draft.vendor_cvr.set(s.vendor_cvr.clone());
        draft.email.set(s.technical_contact.email.clone());
        draft.phone.set(s.technical_contact.phone.clone());
        draft
            .extra_email
            .set(s.technical_contact.extra_email.clone().unwrap_or_default());
    };

    let next = move || {
        if steps.checking.get_untracked() {
            return;
        }
        let missing = step.get_untracked() == 0
            && use_standard.get_untracked()
            && draft.standard_system_id.get_untracked().is_none();
        standard_missing.set(missing);
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        if missing {
            return;
        }
        let body = draft.new_system();
        steps.check_and_go(
            async move { api::systems::check(&client, &body).await },
            step_of,
            draft.errors,
            failed,
        );
    };

    let connect = move |_| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let body = draft.new_system();
        let request = async move { api::systems::create(&client, &body).await };
        steps.save(
            request,
            step_of,
            draft.errors,
            sending,
            failed,
            move |done| {
                draft.errors.set(Vec::new());
                receipt.set(Some(done));
            },
        );
    };

    let indicator = move || view! { <StepIndicator id="step-indicator" steps=&STEPS step=step/> };

    // A part the user cannot change (a standard system's locked settings) offers no "Redigér".
    let edit_button = move |target: usize, id: &'static str, editable: bool| {
        editable.then(|| view! {
            <button type="button" class="button button-tertiary" id=id on:click=move |_| steps.edit(target)>
                {i18n.text(Key::wiz_edit)}
            </button>
        })
    };

    let body = move || {
        match step.get() {
        0 => view! {
            <fieldset class="form-group">
                <legend class="sr-only">{i18n.text(Key::wiz_step_type)}</legend>
                {radio("system-type", "type-new", Key::wiz_new_system,
                    Signal::derive(move || !use_standard.get()),
                    Callback::new(move |_| { use_standard.set(false); draft.standard_system_id.set(None); }))}
                {radio("system-type", "type-standard", Key::wiz_standard_system,
                    Signal::derive(move || use_standard.get()), Callback::new(move |_| use_standard.set(true)))}
            </fieldset>
            <Show when=move || use_standard.get()>
                // §5.6 step 2: the yellow warning, then vendor and system as two choices.
                <div class="alert alert-warning" role="note" id="standard-warning">
                    <div class="alert-body"><p class="alert-text">{i18n.text(Key::wiz_standard_warning)}</p></div>
                </div>
                {move || standards.get().map(|list| {
                    if list.is_empty() {
                        return view! { <p>{i18n.text(Key::wiz_no_standard)}</p> }.into_any();
                    }
                    let mut vendors: Vec<(String, String)> = Vec::new();
                    for s in &list {
                        if !vendors.iter().any(|(cvr, _)| cvr == &s.vendor_cvr) {
                            vendors.push((s.vendor_cvr.clone(), s.vendor_name.clone()));
                        }
                    }
                    let all = StoredValue::new(list);
                    let pick = move |id: String| {
                        match all.with_value(|l| l.iter().find(|s| s.id == id).cloned()) {
                            Some(s) => pick_standard(s),
                            None => draft.standard_system_id.set(None),
                        }
                    };
                    view! {
                        <div class="form-group">
                            <label class="form-label" for="standard-vendor">{i18n.text(Key::wiz_choose_vendor)}</label>
                            <select class="form-select" id="standard-vendor"
                                on:change=move |ev| { vendor.set(event_target_value(&ev)); draft.standard_system_id.set(None); }>
                                <option value="" selected=move || vendor.get().is_empty()>{i18n.text(Key::wiz_choose_vendor_none)}</option>
                                {vendors.into_iter().map(|(cvr, name)| {
                                    let this = cvr.clone();
                                    view! { <option value=cvr.clone() selected=move || vendor.get() == this>{format!("{name} (CVR {cvr})")}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class=move || if standard_missing.get() { "form-group form-error" } else { "form-group" }>
                            <label class="form-label" for="standard-system">{i18n.text(Key::wiz_choose_standard)}</label>
                            <Show when=move || standard_missing.get()>
                                <span class="form-error-message" id="standard-missing-error" role="alert">{i18n.text(Key::wiz_choose_standard_required)}</span>
                            </Show>
                            <select class="form-select" id="standard-system" disabled=move || vendor.get().is_empty()
                                on:change=move |ev| pick(event_target_value(&ev))>
                                <option value="" selected=move || draft.standard_system_id.get().is_none()>{i18n.text(Key::wiz_choose_vendor_none)}</option>
                                {move || {
                                    let chosen_vendor = vendor.get();
                                    all.with_value(|l| l.iter().filter(|s| s.vendor_cvr == chosen_vendor).map(|s| {
                                        let this = s.id.clone();
                                        view! {
                                            <option value=s.id.clone() selected=move || draft.standard_system_id.get().as_deref() == Some(this.as_str())>
                                                {s.name.clone()}
                                            </option>
                                        }
                                    }).collect_view())
                                }}
                            </select>
                        </div>
                        <div class=move || if draft.errors_for(&["acceptVendorAgreement"]).get().is_empty() { "form-group" } else { "form-group form-error" }>
                            <crate::components::form::ErrorText errors=draft.errors_for(&["acceptVendorAgreement"]) id="accept-vendor-error".to_owned()/>
                            <div class="form-group-checkbox">
                                <input type="checkbox" class="form-checkbox" id="accept-vendor"
                                    prop:checked=move || draft.accept_vendor.get()
                                    on:change=move |ev| draft.accept_vendor.set(event_target_checked(&ev))/>
                                <label for="accept-vendor">{i18n.text(Key::wiz_accept_vendor)}</label>
                            </div>
                        </div>
                    }.into_any()
                })}
            </Show>
        }.into_any(),
        1 => view! {
            <NameAndRole draft=draft locked=use_standard.get_untracked()/>
        }.into_any(),
        2 => view! {
            {use_standard.get_untracked().then(|| view! { <p class="form-hint">{i18n.text(Key::wiz_locked_hint)}</p> })}
            <ProtocolAndDetails draft=draft locked=use_standard.get_untracked()/>
        }.into_any(),
        3 => view! {
            <ActivationFields draft=draft/>
            <Show when=move || draft.takes_virk_mail()>
                <fieldset class="form-group" id="move-virk-mail-group">
                    <legend class="form-label">{i18n.text(Key::wiz_move_virk_mail_legend)}</legend>
                    <p class="form-hint" id="move-virk-mail-hint">{i18n.text(Key::wiz_move_virk_mail_hint)}</p>
                    {crate::components::form::flag_checkbox("move-virk-mail", Key::wiz_move_virk_mail, draft.move_virk_mail)}
                </fieldset>
            </Show>
        }.into_any(),
        4 => view! {
            <ContactFields draft=draft locked=use_standard.get_untracked()/>
        }.into_any(),
        _ => {
            let new = draft.new_system();
            let activation = match new.activation.mode {
                ActivationMode::Now => i18n.t(Key::wiz_activation_now).to_owned(),
                ActivationMode::At => new.activation.at.map(crate::time::display).unwrap_or_default(),
                ActivationMode::None => i18n.t(Key::wiz_activation_none).to_owned(),
            };
            let has_errors = !draft.errors.get().is_empty();
            let editable = !use_standard.get_untracked();
            view! {
                {has_errors.then(|| view! {
                    <ErrorAlert text=Key::wiz_errors/>
                })}
                <section class="summary-part" id="summary-name">
                    <h3>{i18n.text(Key::wiz_step_name)}</h3>
                    <dl>
                        {summary_row(Key::wiz_name, new.name.clone())}
                        {summary_row(Key::wiz_role, i18n.t(role_key(new.role)).to_owned())}
                    </dl>
                    {edit_button(1, "edit-name", true)}
                </section>
                <section class="summary-part" id="summary-protocol">
                    <h3>{i18n.text(Key::wiz_step_protocol)}</h3>
                    <dl>
                        {summary_row(Key::wiz_protocol, i18n.t(protocol_key(new.protocol)).to_owned())}
                        {summary_row(Key::wiz_ips, new.allowed_ips.join(", "))}
                        {new.endpoint.clone().map(|v| summary_row(Key::wiz_endpoint, v))}
                        {new.receipt_endpoint.clone().map(|v| summary_row(Key::wiz_receipt_endpoint, v))}
                        {new.ssh_public_key.clone().map(|v| summary_row(Key::wiz_ssh_key, v))}
                        {new.vendor_cvr.clone().map(|v| summary_row(Key::detail_vendor, v))}
                    </dl>
                    {edit_button(2, "edit-protocol", editable)}
                </section>
                <section class="summary-part" id="summary-activation">
                    <h3>{i18n.text(Key::wiz_step_activation)}</h3>
                    <dl>
                        {summary_row(Key::wiz_step_activation, activation)}
                        {new.deactivate_at.map(|d| summary_row(Key::detail_active_to, crate::time::display(d)))}
                        {new.move_virk_mail.then(|| summary_row(Key::wiz_move_virk_mail_summary, i18n.t(Key::wiz_move_virk_mail_yes).to_owned()))}
                    </dl>
                    {edit_button(3, "edit-activation", true)}
                </section>
                <section class="summary-part" id="summary-contact">
                    <h3>{i18n.text(Key::wiz_step_contact)}</h3>
                    <dl>
                        {summary_row(Key::wiz_contact_email, new.technical_contact.email.clone())}
                        {summary_row(Key::wiz_contact_phone, new.technical_contact.phone.clone())}
                        {new.technical_contact.extra_email.clone().map(|v| summary_row(Key::wiz_contact_extra, v))}
                    </dl>
                    {edit_button(4, "edit-contact", true)}
                </section>
            }.into_any()
        }
    }
    };

    let download_receipt = move |_: leptos::ev::MouseEvent| {
        let (Some(client), Some(done)) = (Authorised::of(auth), receipt.get_untracked()) else {
            return;
        };
        let id = &done.system.id;
        client.start_download(
            &format!("/systems/{id}/receipt"),
            &format!("kvittering-{id}.pdf"),
            move || failed.set(true),
        );
    };

    view! {
        <FailedAlert failed=failed/>
        {move || match receipt.get() {
            Some(done) => view! {
                <div id="system-receipt">
                    <h2>{i18n.text(Key::receipt_heading)}</h2>
                    <div class="alert alert-success" role="status">
                        <div class="alert-body"><p class="alert-text">{i18n.text(Key::receipt_text)}</p></div>
                    </div>
                    <dl>
                        {summary_row(Key::sys_col_name, done.system.name.clone())}
                        <div class="summary-row"><dt>{i18n.text(Key::sys_col_id)}</dt><dd id="receipt-system-id">{done.system.id.clone()}</dd></div>
                        {summary_row(Key::wiz_role, i18n.t(role_key(done.system.role)).to_owned())}
                        {summary_row(Key::wiz_protocol, i18n.t(protocol_key(done.system.protocol)).to_owned())}
                        {done.api_key.clone().map(|key| view! {
                            <div class="summary-row"><dt>{i18n.text(Key::api_key)}</dt><dd><code id="receipt-api-key">{key}</code></dd></div>
                        })}
                    </dl>
                    {done.system.sftp.clone().map(|sftp| view! {
                        <super::detail::SftpAccessRows sftp id_prefix="receipt"/>
                    })}
                    {done.virk_mail_move_id.clone().map(|_| view! {
                        <div class="alert alert-info" role="status" id="receipt-virk-mail">
                            <div class="alert-body"><p class="alert-text">{i18n.text(Key::wiz_move_virk_mail_receipt)}</p></div>
                        </div>
                    })}
                    <ReceiptButtons download=download_receipt>
                        <a class="button button-secondary" href=link("") id="to-overview">{i18n.text(Key::receipt_to_overview)}</a>
                    </ReceiptButtons>
                </div>
            }.into_any(),
            None => view! {
                {indicator}
                <form id="system-wizard" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    if step.get_untracked() < SUMMARY { next() }
                }>
                    <h2 id=STEP_HEADING tabindex="-1">{move || i18n.t(STEPS[step.get()])}</h2>
                    {body}
                    <WizardButtons steps=steps finish=move || view! {
                        <button type="button" class="button button-primary" id="wizard-connect"
                            disabled=move || sending.get() on:click=connect>
                            {i18n.text(Key::wiz_connect)}
                        </button>
                    }>
                        <a href=link("") class="button button-tertiary">{i18n.text(Key::wiz_cancel)}</a>
                    </WizardButtons>
                </form>
            }.into_any(),
        }}
    }
}
