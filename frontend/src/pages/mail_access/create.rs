//! "Opret adgang": find the holder (CPR/CVR) → the access (exemption lifted or kept, level,
//! employee, last day or unlimited) → summary → "Godkend adgang", each step judged by the API.

use adgang_api_types::{
    AccessGiver, AccessHolder, AccessLevel, ExemptionChoice, FieldCode, FieldError, NewMailAccess,
    PartyKind,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{level_key, View};
use crate::api::{self, Authorised};
use crate::auth::use_auth;
use crate::components::alert::FailedAlert;
use crate::components::form::{accepted, errors_for, radio, ErrorText, TextField};
use crate::components::party::party_text;
use crate::components::step_indicator::StepIndicator;
use crate::components::wizard::{focus_step_heading, WizardButtons, WizardSteps, STEP_HEADING};
use crate::i18n::{use_i18n, Key};

/// The create wizard's steps.
const HOLDER: usize = 0;
const DETAILS: usize = 1;
const SUMMARY: usize = 2;
const STEPS: [Key; 3] = [
    Key::acc_step_holder,
    Key::acc_step_details,
    Key::wiz_step_summary,
];

/// The step that holds an API field.
fn step_of(field: &str) -> usize {
    match field {
        "holder" | "giver" => HOLDER,
        "level" | "employeeName" | "expiresOn" | "exemption" => DETAILS,
        _ => SUMMARY,
    }
}

#[component]
pub fn CreateAccess(giver: AccessGiver, view_state: RwSignal<View>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let steps = WizardSteps::new(HOLDER, SUMMARY);
    let step = steps.step;
    let number = RwSignal::new(String::new());
    let holder = RwSignal::new(None::<AccessHolder>);
    let level = RwSignal::new(AccessLevel::Read);
    let exemption = RwSignal::new(None::<ExemptionChoice>);
    let employee = RwSignal::new(String::new());
    let limited = RwSignal::new(false);
    let last_day = RwSignal::new(String::new());
    let missing = RwSignal::new(None::<Key>);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failed = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let exempt = giver.exempt_since.is_some();
    let giver_cpr = giver.cpr.clone();
    let giver_cpr_typed = StoredValue::new(giver.cpr.clone());

    let draft = move || NewMailAccess {
        giver: giver_cpr.clone(),
        holder: holder
            .with_untracked(|h| h.as_ref().map(|h| h.holder.clone()))
            .unwrap_or_default(),
        level: level.get_untracked(),
        employee_name: Some(employee.get_untracked()).filter(|e| !e.trim().is_empty()),
        expires_on: if limited.get_untracked() {
            chrono::NaiveDate::parse_from_str(&last_day.get_untracked(), "%Y-%m-%d").ok()
        } else {
            None
        },
        exemption: exemption.get_untracked(),
    };
    let draft = StoredValue::new(draft);

    let next = move || {
        if steps.checking.get_untracked() {
            return;
        }
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        if step.get_untracked() == HOLDER {
            let typed = number.get_untracked();
            // The giver cannot hold access to their own mail: said at once, not after step 2
            // (issue 32 item 8); the server refuses it again when the access is checked.
            let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
            if giver_cpr_typed.with_value(|cpr| digits(&typed) == digits(cpr)) {
                errors.set(vec![FieldError {
                    field: "holder".into(),
                    code: FieldCode::HolderIsGiver,
                    message: String::new(),
                }]);
                return;
            }
            steps.checking.set(true);
            failed.set(false);
            spawn_local(async move {
                let result = api::mail_access::look_up_holder(&client, &typed).await;
                if let Some(found) = accepted(result, errors, None, failed) {
                    holder.set(Some(found));
                    steps.go(DETAILS);
                }
                steps.checking.set(false);
            });
            return;
        }
        let local = if exempt && exemption.get_untracked().is_none() {
            Some(Key::acc_exemption_required)
        } else if limited.get_untracked() && last_day.get_untracked().is_empty() {
            Some(Key::acc_expires_on_required)
        } else {
            None
        };
        missing.set(local);
        if local.is_some() {
            return;
        }
        let body = draft.with_value(|d| d());
        steps.check_and_go(
            async move { api::mail_access::check(&client, &body).await },
            step_of,
            errors,
            failed,
        );
    };

    let approve = move |_| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let body = draft.with_value(|d| d());
        let request = async move { api::mail_access::give(&client, &body).await };
        steps.save(request, step_of, errors, sending, failed, move |done| {
            view_state.set(View::Receipt(done));
            request_animation_frame(focus_step_heading);
        });
    };

    let holder_errors = errors_for(errors, &["holder", "giver"]);
    let employee_errors = errors_for(errors, &["employeeName"]);
    let expiry_errors = errors_for(errors, &["expiresOn"]);
    let exemption_errors = errors_for(errors, &["exemption"]);
    let is_company =
        move || holder.with(|h| h.as_ref().map(|h| h.kind)) == Some(PartyKind::Company);

    let details = move || {
        view! {
            {exempt.then(|| view! {
                <fieldset class=move || if missing.get() == Some(Key::acc_exemption_required) || !exemption_errors.get().is_empty() { "form-group form-error" } else { "form-group" }>
                    <legend class="form-label">{i18n.text(Key::acc_exemption)}</legend>
                    <Show when=move || missing.get() == Some(Key::acc_exemption_required)>
                        <span class="form-error-message" role="alert" id="exemption-error">{i18n.text(Key::acc_exemption_required)}</span>
                    </Show>
                    <ErrorText errors=exemption_errors id="exemption-api-error".to_owned()/>
                    {radio("exemption", "exemption-lift", Key::acc_exemption_lift,
                        Signal::derive(move || exemption.get() == Some(ExemptionChoice::Lift)),
                        Callback::new(move |_| exemption.set(Some(ExemptionChoice::Lift))))}
                    {radio("exemption", "exemption-keep", Key::acc_exemption_keep,
                        Signal::derive(move || exemption.get() == Some(ExemptionChoice::Keep)),
                        Callback::new(move |_| exemption.set(Some(ExemptionChoice::Keep))))}
                </fieldset>
            })}
            <fieldset class="form-group">
                <legend class="form-label">{i18n.text(Key::acc_level)}</legend>
                {radio("level", "level-read", Key::acc_level_read,
                    Signal::derive(move || level.get() == AccessLevel::Read),
                    Callback::new(move |_| level.set(AccessLevel::Read)))}
                {radio("level", "level-read-write", Key::acc_level_read_write,
                    Signal::derive(move || level.get() == AccessLevel::ReadWrite),
                    Callback::new(move |_| level.set(AccessLevel::ReadWrite)))}
            </fieldset>
            <Show when=is_company>
                <TextField id="employee-name" label=Key::acc_employee value=employee errors=employee_errors hint=Key::acc_employee_hint/>
            </Show>
            <fieldset class="form-group">
                <legend class="form-label">{i18n.text(Key::acc_expiry)}</legend>
                {radio("expiry", "expiry-none", Key::acc_expiry_none,
                    Signal::derive(move || !limited.get()), Callback::new(move |_| limited.set(false)))}
                {radio("expiry", "expiry-date", Key::acc_expiry_date,
                    Signal::derive(move || limited.get()), Callback::new(move |_| limited.set(true)))}
            </fieldset>
            <Show when=move || limited.get()>
                <div class=move || if missing.get() == Some(Key::acc_expires_on_required) || !expiry_errors.get().is_empty() { "form-group form-error" } else { "form-group" }>
                    <label class="form-label" for="expires-on">{i18n.text(Key::acc_expires_on)}</label>
                    <Show when=move || missing.get() == Some(Key::acc_expires_on_required)>
                        <span class="form-error-message" role="alert" id="expires-on-missing">{i18n.text(Key::acc_expires_on_required)}</span>
                    </Show>
                    <ErrorText errors=expiry_errors id="expires-on-error".to_owned()/>
                    <input class="form-input" type="date" id="expires-on" prop:value=move || last_day.get()
                        on:input=move |ev| last_day.set(event_target_value(&ev))/>
                </div>
            </Show>
        }
    };

    let summary = move || {
        let d = draft.with_value(|d| d());
        let row = |label: Key, value: String| {
            view! {
                <div class="summary-row"><dt>{i18n.text(label)}</dt><dd>{value}</dd></div>
            }
        };
        let holder_name = holder
            .with_untracked(|h| h.as_ref().map(|h| h.name.clone()))
            .unwrap_or_default();
        let holder_kind = holder
            .with_untracked(|h| h.as_ref().map(|h| h.kind))
            .unwrap_or(PartyKind::Citizen);
        view! {
            <section class="summary-part" id="access-summary">
                <dl>
                    {row(Key::acc_giver, format!("{} ({})", giver.name, party_text(PartyKind::Citizen, &giver.cpr)))}
                    {row(Key::acc_holder_row, format!("{holder_name} ({})", party_text(holder_kind, &d.holder)))}
                    {d.employee_name.clone().map(|e| row(Key::acc_employee, e))}
                    {row(Key::acc_level, i18n.t(level_key(d.level)).to_owned())}
                    {row(Key::acc_col_expires, d.expires_on.map(|x| x.format("%d.%m.%Y").to_string()).unwrap_or_else(|| i18n.t(Key::acc_unlimited).to_owned()))}
                    {d.exemption.map(|e| row(Key::acc_exemption_summary, i18n.t(match e {
                        ExemptionChoice::Lift => Key::acc_exemption_lift,
                        ExemptionChoice::Keep => Key::acc_exemption_keep,
                    }).to_owned()))}
                </dl>
                <button type="button" class="button button-tertiary" id="edit-details" on:click=move |_| steps.edit(DETAILS)>
                    {i18n.text(Key::wiz_edit)}
                </button>
            </section>
        }
    };

    view! {
        <FailedAlert failed=failed/>
        <StepIndicator id="step-indicator" steps=&STEPS step=step/>
        <form id="access-wizard" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if step.get_untracked() < SUMMARY { next() }
        }>
            <h2 id=STEP_HEADING tabindex="-1">{move || i18n.t(STEPS[step.get()])}</h2>
            // §10.3 step 3: the holder's name, number and enrolment status in the blue box.
            {move || (step.get() > HOLDER).then(|| holder.get().map(|h| {
                let status = match h.exempt_since {
                    Some(since) => i18n
                        .t(Key::ex_status_exempt_since)
                        .replace("{date}", &crate::time::display(since)),
                    None => i18n.t(Key::ex_status_enrolled).to_owned(),
                };
                view! {
                    <div class="alert alert-info" role="status" id="holder-found"><div class="alert-body">
                        <p class="alert-text">{format!("{} ({})", h.name, party_text(h.kind, &h.holder))}</p>
                        <p class="alert-text" id="holder-status">{status}</p>
                    </div></div>
                }
            })).flatten()}
            {move || match step.get() {
                HOLDER => view! {
                    <TextField id="holder-number" label=Key::acc_holder value=number errors=holder_errors hint=Key::acc_holder_hint/>
                }.into_any(),
                DETAILS => details().into_any(),
                _ => summary().into_any(),
            }}
            <WizardButtons steps=steps first_label=Key::ex_search finish=move || view! {
                <button type="button" class="button button-primary" id="wizard-approve" disabled=move || sending.get() on:click=approve>
                    {i18n.text(Key::acc_approve)}
                </button>
            }>
                <button type="button" class="button button-tertiary" id="wizard-cancel" on:click=move |_| view_state.set(View::Overview)>
                    {i18n.text(Key::wiz_cancel)}
                </button>
            </WizardButtons>
        </form>
    }
}
