//! The wizard itself: find (CPR/CVR) → details → summary → "Godkend …" → receipt with its PDF,
//! each step judged by the API (`dryRun`).

use adgang_api_types::{ExemptionAction, ExemptionReceipt, MailForwarding, PartyKind};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::draft::Draft;
use super::{address_text, date_text, found_party, step_of, words, yes_no, SUMMARY};
use crate::api::exemptions::Change;
use crate::api::{self, ApiError, Authorised};
use crate::auth::use_auth;
use crate::components::alert::{ConflictAlert, ErrorAlert, FailedAlert};
use crate::components::form::{errors_for, radio, ErrorText, TextField};
use crate::components::party::party_text;
use crate::components::receipt::ReceiptButtons;
use crate::components::step_indicator::StepIndicator;
use crate::components::wizard::{summary_row, WizardButtons, WizardSteps, STEP_HEADING};
use crate::i18n::{conflict_key, use_i18n, Key};

#[component]
pub fn Wizard(kind: PartyKind) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let w = words(kind);
    let draft = Draft::new();
    let steps = WizardSteps::new(0, SUMMARY);
    let step = steps.step;
    let receipt = RwSignal::new(None::<ExemptionReceipt>);
    let failed = RwSignal::new(false);
    let conflict = RwSignal::new(None::<Key>);
    let sending = RwSignal::new(false);
    let errors = draft.errors;

    // Step 0: the lookup itself (logged as a search), then on to the details.
    let search = move || {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let number = draft.number.get_untracked();
        steps.checking.set(true);
        failed.set(false);
        conflict.set(None);
        spawn_local(async move {
            match api::exemptions::look_up(&client, kind, &number).await {
                Ok(found) => {
                    draft.reset_choices();
                    draft.party.set(Some(found));
                    steps.go(1);
                }
                Err(ApiError::Problem(p)) if p.status == 400 => {
                    draft.party.set(None);
                    errors.set(p.errors);
                }
                Err(_) => failed.set(true),
            }
            steps.checking.set(false);
        });
    };

    // Step 1: the page's own required choices, then the API's judgement (dryRun).
    let check_details = move || {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let in_force = draft.in_force();
        let missing = if in_force.is_some() && draft.chosen_change(kind).is_none() {
            Some(Key::ex_choice_required)
        } else if draft.power_of_attorney.get_untracked().is_none() {
            Some(Key::ex_power_of_attorney_required)
        } else {
            None
        };
        draft.missing.set(missing);
        if missing.is_some() {
            return;
        }
        match (in_force, draft.chosen_change(kind)) {
            (Some(exemption), Some(change)) => {
                let body = draft.exemption_change();
                steps.check_and_go(
                    async move {
                        api::exemptions::check_change(&client, kind, &exemption.id, change, &body)
                            .await
                    },
                    step_of,
                    errors,
                    failed,
                )
            }
            _ => {
                let body = draft.new_exemption();
                steps.check_and_go(
                    async move { api::exemptions::check_grant(&client, kind, &body).await },
                    step_of,
                    errors,
                    failed,
                )
            }
        }
    };

    let next = move || {
        if steps.checking.get_untracked() {
            return;
        }
        match step.get_untracked() {
            0 => search(),
            _ => check_details(),
        }
    };

    let approve = move |_| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        failed.set(false);
        conflict.set(None);
        sending.set(true);
        let in_force = draft.in_force();
        let change = draft.chosen_change(kind);
        let (new, body) = (draft.new_exemption(), draft.exemption_change());
        spawn_local(async move {
            let result = match (in_force, change) {
                (Some(exemption), Some(change)) => {
                    api::exemptions::change(&client, kind, &exemption.id, change, &body).await
                }
                _ => api::exemptions::grant(&client, kind, &new).await,
            };
            match result {
                Ok(done) => {
                    errors.set(Vec::new());
                    receipt.set(Some(done));
                }
                Err(ApiError::Problem(p)) if p.status == 400 => {
                    steps.refused(&p.errors, step_of);
                    errors.set(p.errors);
                }
                Err(ApiError::Problem(p)) if p.reason.is_some() => {
                    conflict.set(p.reason.map(conflict_key));
                }
                Err(_) => failed.set(true),
            }
            sending.set(false);
        });
    };

    let start_over = move |_| {
        receipt.set(None);
        draft.party.set(None);
        draft.number.set(String::new());
        draft.reset_choices();
        conflict.set(None);
        steps.go(0);
    };

    let download = move |_: leptos::ev::MouseEvent| {
        let (Some(client), Some(done)) = (Authorised::of(auth), receipt.get_untracked()) else {
            return;
        };
        spawn_local(async move {
            if api::exemptions::download_receipt(&client, &done)
                .await
                .is_err()
            {
                failed.set(true);
            }
        });
    };

    let number_errors = errors_for(errors, &["cpr", "cvr", "party"]);
    let poa_errors = errors_for(errors, &["powerOfAttorney"]);
    let informed_errors = errors_for(errors, &["informedOfConsequences", "forwarding"]);
    let street_errors = errors_for(errors, &["alternativeAddress", "alternativeAddress.street"]);
    let postal_errors = errors_for(errors, &["alternativeAddress.postalCode"]);
    let city_errors = errors_for(errors, &["alternativeAddress.city"]);
    let note_errors = errors_for(errors, &["note"]);
    let missing_text = move || draft.missing.get().map(|k| i18n.t(k));

    let details = move || {
        let in_force = draft.in_force();
        view! {
            {(in_force.is_some() && kind == PartyKind::Company).then(|| view! {
                <fieldset class=move || if draft.missing.get() == Some(Key::ex_choice_required) { "form-group form-error" } else { "form-group" }>
                    <legend class="form-label">{i18n.text(Key::ex_action)}</legend>
                    <Show when=move || draft.missing.get() == Some(Key::ex_choice_required)>
                        <span class="form-error-message" role="alert">{missing_text}</span>
                    </Show>
                    {radio("change", "change-renew", Key::ex_action_renew,
                        Signal::derive(move || draft.change.get() == Some(Change::Renew)),
                        Callback::new(move |_| draft.change.set(Some(Change::Renew))))}
                    {radio("change", "change-lift", Key::ex_action_lift,
                        Signal::derive(move || draft.change.get() == Some(Change::Lift)),
                        Callback::new(move |_| draft.change.set(Some(Change::Lift))))}
                </fieldset>
            })}
            <fieldset class=move || if draft.missing.get() == Some(Key::ex_power_of_attorney_required) || !poa_errors.get().is_empty() { "form-group form-error" } else { "form-group" }>
                <legend class="form-label">{i18n.text(Key::ex_power_of_attorney)}</legend>
                <Show when=move || draft.missing.get() == Some(Key::ex_power_of_attorney_required)>
                    <span class="form-error-message" role="alert" id="poa-error">{missing_text}</span>
                </Show>
                <ErrorText errors=poa_errors id="poa-api-error".to_owned()/>
                {yes_no("poa", draft.power_of_attorney)}
            </fieldset>
            {in_force.is_none().then(|| view! {
                <fieldset class=move || if informed_errors.get().is_empty() { "form-group" } else { "form-group form-error" }>
                    <legend class="form-label">{i18n.text(Key::ex_unopened)}</legend>
                    <ErrorText errors=informed_errors id="declined-error".to_owned()/>
                    <div class="form-group-checkbox">
                        <input type="checkbox" class="form-checkbox" id="declined"
                            prop:checked=move || draft.declined.get()
                            on:change=move |ev| draft.declined.set(event_target_checked(&ev))/>
                        <label for="declined">{i18n.text(w.declined)}</label>
                    </div>
                </fieldset>
                <Show when=move || !draft.declined.get()>
                    <fieldset class="form-group">
                        <legend class="form-label">{i18n.text(Key::ex_forward_to)}</legend>
                        {radio("forward", "forward-registered", w.forward_registered,
                            Signal::derive(move || draft.forward_to.get() == MailForwarding::RegisteredAddress),
                            Callback::new(move |_| draft.forward_to.set(MailForwarding::RegisteredAddress)))}
                        {radio("forward", "forward-alternative", Key::ex_forward_alternative,
                            Signal::derive(move || draft.forward_to.get() == MailForwarding::AlternativeAddress),
                            Callback::new(move |_| draft.forward_to.set(MailForwarding::AlternativeAddress)))}
                    </fieldset>
                    <Show when=move || draft.forward_to.get() == MailForwarding::AlternativeAddress>
                        <TextField id="alt-street" label=Key::ex_street value=draft.street errors=street_errors/>
                        <TextField id="alt-postal-code" label=Key::ex_postal_code value=draft.postal_code errors=postal_errors/>
                        <TextField id="alt-city" label=Key::ex_city value=draft.city errors=city_errors/>
                    </Show>
                </Show>
            })}
            <TextField id="note" label=Key::ex_note value=draft.note errors=note_errors hint=Key::ex_note_hint/>
        }
    };

    let summary = move || {
        let in_force = draft.in_force();
        let change = draft.chosen_change(kind);
        let action = match (&in_force, change) {
            (Some(_), Some(Change::Renew)) => Key::ex_action_renew,
            (Some(_), _) => Key::ex_action_lift,
            (None, _) => Key::ex_summary_grant,
        };
        let poa = if draft.power_of_attorney.get_untracked() == Some(true) {
            Key::ex_yes
        } else {
            Key::ex_no
        };
        let forwarding = in_force.is_none().then(|| {
            let text = match draft.forwarding() {
                MailForwarding::Declined => i18n.t(Key::ex_forward_declined).to_owned(),
                MailForwarding::RegisteredAddress => draft
                    .party
                    .with_untracked(|p| p.as_ref().map(|p| address_text(&p.registered_address)))
                    .map(|a| format!("{}: {a}", i18n.t(w.forward_registered)))
                    .unwrap_or_default(),
                MailForwarding::AlternativeAddress => format!(
                    "{}, {} {}",
                    draft.street.get_untracked(),
                    draft.postal_code.get_untracked(),
                    draft.city.get_untracked()
                ),
            };
            summary_row(Key::ex_unopened, text)
        });
        let has_errors = !errors.get().is_empty();
        view! {
            {has_errors.then(|| view! {
                <ErrorAlert text=Key::wiz_errors/>
            })}
            <section class="summary-part" id="exemption-summary">
                <dl>
                    {summary_row(Key::ex_summary_action, i18n.t(action).to_owned())}
                    {summary_row(Key::ex_power_of_attorney, i18n.t(poa).to_owned())}
                    {forwarding}
                    {draft.note_value().map(|n| summary_row(Key::ex_note, n))}
                </dl>
                <button type="button" class="button button-tertiary" id="edit-details" on:click=move |_| steps.edit(1)>
                    {i18n.text(Key::wiz_edit)}
                </button>
            </section>
        }
    };

    let approve_label = move || match (draft.in_force(), draft.change.get()) {
        (None, _) => Key::ex_approve_grant,
        (Some(_), Some(Change::Renew)) if kind == PartyKind::Company => Key::ex_approve_renew,
        (Some(_), _) => Key::ex_approve_lift,
    };

    let receipt_view = move |done: ExemptionReceipt| {
        let text = match done.action {
            ExemptionAction::Granted => i18n.t(Key::ex_receipt_granted).to_owned(),
            ExemptionAction::Lifted => i18n
                .t(Key::ex_receipt_lifted)
                .replace("{date}", &date_text(done.effective_at)),
            ExemptionAction::Renewed => i18n.t(Key::ex_receipt_renewed).replace(
                "{date}",
                &done.expires_at.map(date_text).unwrap_or_default(),
            ),
        };
        view! {
            <div id="exemption-receipt">
                <h2 id=STEP_HEADING tabindex="-1">{i18n.text(Key::receipt_heading)}</h2>
                <div class="alert alert-success" role="status">
                    <div class="alert-body"><p class="alert-text" id="receipt-text">{text}</p></div>
                </div>
                <dl>
                    {summary_row(Key::ex_name, done.party_name.clone())}
                    {summary_row(w.number, party_text(kind, &done.party))}
                    {summary_row(Key::ex_effective, date_text(done.effective_at))}
                    {done.expires_at.map(|end| summary_row(Key::ex_expires, date_text(end)))}
                    <div class="summary-row"><dt>{i18n.text(Key::ex_receipt_number)}</dt><dd id="receipt-number">{done.id.clone()}</dd></div>
                </dl>
                <ReceiptButtons download=download>
                    <button type="button" class="button button-secondary" id="new-search" on:click=start_over>
                        {i18n.text(Key::ex_new_search)}
                    </button>
                </ReceiptButtons>
            </div>
        }
    };

    view! {
        <FailedAlert failed=failed/>
        <ConflictAlert id="exemption-conflict" conflict=conflict/>
        {move || match receipt.get() {
            Some(done) => receipt_view(done).into_any(),
            None => view! {
                <StepIndicator id="step-indicator" steps=w.steps step=step/>
                {move || (step.get() > 0).then(|| draft.party.get().map(|p| found_party(kind, p))).flatten()}
                <form id="exemption-wizard" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    if step.get_untracked() < SUMMARY { next() }
                }>
                    <h2 id=STEP_HEADING tabindex="-1">{move || i18n.t(w.steps[step.get()])}</h2>
                    {move || match step.get() {
                        0 => view! {
                            <TextField id="party-number" label=w.number value=draft.number errors=number_errors hint=w.number_hint/>
                        }.into_any(),
                        1 => details().into_any(),
                        _ => summary().into_any(),
                    }}
                    <WizardButtons steps=steps first_label=Key::ex_search finish=move || view! {
                        <button type="button" class="button button-primary" id="wizard-approve"
                            disabled=move || sending.get() on:click=approve>
                            {move || i18n.t(approve_label())}
                        </button>
                    }>
                        <button type="button" class="button button-tertiary" id="wizard-cancel" on:click=start_over>
                            {i18n.text(Key::wiz_cancel)}
                        </button>
                    </WizardButtons>
                </form>
            }.into_any(),
        }}
    }
}
