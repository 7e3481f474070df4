//! NemSMS (SPEC §6, guide chapter 9): "NemSMS borger" and "NemSMS virksomhed" — find the party
//! (CPR/CVR) → their enrolment status → "Tilmeld" / "Skift nummer" / "Frameld" → receipt with
//! "Gå til NemSMS" — and the public page the holder's SMS link opens (`/nemsms/bekraeft/…`),
//! where "Bekræft nummer" confirms it (a link preview must not confirm on its own).

use adgang_api_types::{
    FieldError, Module, NemSmsAction, NemSmsReceipt, NemSmsState, NemSmsStatus, NewNemSmsEnrolment,
    PartyKind,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Outlet, ParentRoute, Route};
use leptos_router::hooks::use_params_map;
use leptos_router::{path, Lazy, StaticSegment};

use crate::api::{self, ApiError, Authorised};
use crate::auth::use_auth;
use crate::components::alert::{ConflictAlert, FailedAlert};
use crate::components::form::{accepted, errors_for, TextField};
use crate::components::module_gate::IntroducedPage;
use crate::components::party::party_text;
use crate::components::wizard::{focus_step_heading, WizardSteps, STEP_HEADING};
use crate::i18n::{error_key, use_i18n, Key};

lazy_pages!(nemsms: fn render(page: Page) -> AnyView {
    match page {
        Page::Staff(kind) => view! { <NemSmsPage kind=kind/> }.into_any(),
        Page::Confirm => view! { <ConfirmPage/> }.into_any(),
    }
});

/// Which of the module's pages.
#[derive(Clone, Copy)]
pub(crate) enum Page {
    Staff(PartyKind),
    Confirm,
}

lazy_route!(CitizensRoute => render(Page::Staff(PartyKind::Citizen)));
lazy_route!(CompaniesRoute => render(Page::Staff(PartyKind::Company)));
lazy_route!(ConfirmRoute => render(Page::Confirm));

/// `/nemsms/borgere`, `/nemsms/virksomheder` and the holder's `/nemsms/bekraeft/{token}`.
#[component(transparent)]
pub fn NemSmsRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=StaticSegment("nemsms") view=Outlet>
            <Route path=path!("borgere") view={Lazy::<CitizensRoute>::new()}/>
            <Route path=path!("virksomheder") view={Lazy::<CompaniesRoute>::new()}/>
            <Route path=path!("bekraeft/:token") view={Lazy::<ConfirmRoute>::new()}/>
        </ParentRoute>
    }
    .into_inner()
}

/// The steps of the staff page: find → status → a number or the unenrol confirmation.
const FIND: usize = 0;
const STATUS: usize = 1;
const ACT: usize = 2;

/// What the third step does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Act {
    Enrol,
    Change,
    Unenrol,
}

fn module_of(kind: PartyKind) -> (Module, Key, Key, Key, Key) {
    match kind {
        PartyKind::Citizen => (
            Module::CitizenNemSms,
            Key::module_citizen_nemsms_tab,
            Key::sms_intro_citizen,
            Key::sms_find_citizen,
            Key::ex_cpr,
        ),
        PartyKind::Company => (
            Module::CompanyNemSms,
            Key::module_company_nemsms_tab,
            Key::sms_intro_company,
            Key::sms_find_company,
            Key::ex_cvr,
        ),
    }
}

#[component]
fn NemSmsPage(kind: PartyKind) -> impl IntoView {
    let (module, title, intro, _, _) = module_of(kind);
    view! {
        <IntroducedPage module=module heading=title intro=intro>
            <Enrolment kind=kind/>
        </IntroducedPage>
    }
}

fn state_text(i18n: crate::i18n::I18n, status: &NemSmsStatus) -> String {
    match status.state {
        NemSmsState::NotEnrolled => i18n.t(Key::sms_state_not_enrolled).to_owned(),
        NemSmsState::AwaitingConfirmation => i18n.t(Key::sms_state_awaiting).replace(
            "{phone}",
            status.pending_phone.as_deref().unwrap_or_default(),
        ),
        NemSmsState::Enrolled => i18n
            .t(Key::sms_state_enrolled)
            .replace("{phone}", status.phone.as_deref().unwrap_or_default()),
    }
}

fn receipt_text(i18n: crate::i18n::I18n, receipt: &NemSmsReceipt) -> String {
    let date = receipt
        .confirm_by
        .map(crate::time::display)
        .unwrap_or_default();
    let key = match receipt.action {
        NemSmsAction::Enrolled => Key::sms_receipt_enrolled,
        NemSmsAction::NumberChanged => Key::sms_receipt_changed,
        NemSmsAction::Unenrolled => Key::sms_receipt_unenrolled,
    };
    i18n.t(key)
        .replace("{name}", &receipt.party_name)
        .replace("{phone}", &receipt.phone)
        .replace("{date}", &date)
}

#[component]
fn Enrolment(kind: PartyKind) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let (_, _, _, find_heading, number_label) = module_of(kind);
    let steps = WizardSteps::new(FIND, ACT);
    let step = steps.step;
    let number = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let status = RwSignal::new(None::<NemSmsStatus>);
    let act = RwSignal::new(Act::Enrol);
    let receipt = RwSignal::new(None::<NemSmsReceipt>);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failed = RwSignal::new(false);
    let conflict = RwSignal::new(None::<Key>);
    let busy = RwSignal::new(false);

    let search = move || {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let typed = number.get_untracked();
        busy.set(true);
        failed.set(false);
        conflict.set(None);
        spawn_local(async move {
            let result = api::nemsms::look_up(&client, kind, &typed).await;
            if let Some(found) = accepted(result, errors, None, failed) {
                status.set(Some(found));
                steps.go(STATUS);
            }
            busy.set(false);
        });
    };

    let start = move |chosen: Act| {
        act.set(chosen);
        phone.set(String::new());
        errors.set(Vec::new());
        steps.go(ACT);
    };

    let submit = move || {
        let (Some(client), Some(found)) = (Authorised::of(auth), status.get_untracked()) else {
            return;
        };
        let typed = phone.get_untracked();
        let chosen = act.get_untracked();
        busy.set(true);
        failed.set(false);
        conflict.set(None);
        spawn_local(async move {
            let id = found.enrolment_id.clone().unwrap_or_default();
            let result = match chosen {
                Act::Enrol => {
                    let new = NewNemSmsEnrolment {
                        party: found.party.clone(),
                        phone: typed,
                    };
                    api::nemsms::enrol(&client, kind, &new).await
                }
                Act::Change => api::nemsms::change_number(&client, kind, &id, &typed).await,
                Act::Unenrol => api::nemsms::unenrol(&client, kind, &id).await,
            };
            if let Some(done) = accepted(result, errors, Some(conflict), failed) {
                receipt.set(Some(done));
                request_animation_frame(focus_step_heading);
            }
            busy.set(false);
        });
    };

    let back_to_start = move |_| {
        receipt.set(None);
        status.set(None);
        number.set(String::new());
        errors.set(Vec::new());
        conflict.set(None);
        steps.go(FIND);
    };

    let number_errors = errors_for(errors, &["cpr", "cvr", "party"]);
    let phone_errors = errors_for(errors, &["phone", "party"]);

    let status_view = move || {
        status.get().map(|found| {
            let enrolled = found.state != NemSmsState::NotEnrolled;
            let row = |label: Key, value: String| view! {
                <div class="summary-row"><dt>{i18n.text(label)}</dt><dd>{value}</dd></div>
            };
            view! {
                <div class="alert alert-info" role="status" id="party-found">
                    <div class="alert-body">
                        <dl>
                            {row(Key::ex_name, found.name.clone())}
                            {row(number_label, party_text(kind, &found.party))}
                            <div class="summary-row"><dt>{i18n.text(Key::sms_overview)}</dt>
                                <dd id="sms-state">{state_text(i18n, &found)}</dd></div>
                            {found.enrolled_at.map(|at| row(Key::sms_enrolled_at, crate::time::display(at)))}
                            {(found.state == NemSmsState::Enrolled).then(|| found.pending_phone.clone()).flatten()
                                .map(|p| row(Key::sms_pending, p))}
                        </dl>
                    </div>
                </div>
                <Show when=move || step.get() == STATUS>
                    <p class="wizard-buttons">
                        {if enrolled {
                            view! {
                                <button type="button" class="button button-primary" id="sms-change"
                                    on:click=move |_| start(Act::Change)>{i18n.text(Key::sms_change)}</button>
                                " "
                                <button type="button" class="button button-secondary" id="sms-unenrol"
                                    on:click=move |_| start(Act::Unenrol)>{i18n.text(Key::sms_unenrol)}</button>
                            }.into_any()
                        } else {
                            view! {
                                <button type="button" class="button button-primary" id="sms-enrol"
                                    on:click=move |_| start(Act::Enrol)>{i18n.text(Key::sms_enrol)}</button>
                            }.into_any()
                        }}
                    </p>
                </Show>
            }
        })
    };

    let heading = move || match (step.get(), act.get()) {
        (FIND, _) => i18n.t(find_heading),
        (STATUS, _) => i18n.t(Key::sms_overview),
        (_, Act::Enrol) => i18n.t(Key::sms_phone_heading_enrol),
        (_, Act::Change) => i18n.t(Key::sms_phone_heading_change),
        (_, Act::Unenrol) => i18n.t(Key::sms_confirm_unenrol_heading),
    };

    view! {
        <FailedAlert failed=failed/>
        <ConflictAlert id="sms-conflict" conflict=conflict/>
        {move || match receipt.get() {
            Some(done) => view! {
                <div id="sms-receipt">
                    <h2 id=STEP_HEADING tabindex="-1">{i18n.text(Key::receipt_heading)}</h2>
                    <div class="alert alert-success" role="status">
                        <div class="alert-body"><p class="alert-text" id="sms-receipt-text">{receipt_text(i18n, &done)}</p></div>
                    </div>
                    <p><button type="button" class="button button-primary" id="sms-back" on:click=back_to_start>
                        {i18n.text(Key::sms_back_to_nemsms)}
                    </button></p>
                </div>
            }.into_any(),
            None => view! {
                <h2 id=STEP_HEADING tabindex="-1">{heading}</h2>
                {move || (step.get() > FIND).then(status_view)}
                <Show when=move || step.get() == FIND>
                    <form id="sms-find" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        if !busy.get_untracked() { search() }
                    }>
                        <TextField id="party-number" label=number_label value=number errors=number_errors/>
                        <button type="submit" class="button button-primary" id="sms-search" disabled=move || busy.get()>
                            {i18n.text(Key::ex_search)}
                        </button>
                    </form>
                </Show>
                <Show when=move || step.get() == ACT>
                    <form id="sms-act" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        if !busy.get_untracked() { submit() }
                    }>
                        {move || match act.get() {
                            Act::Unenrol => view! {
                                <p id="sms-unenrol-text">{i18n.t(Key::sms_confirm_unenrol_text).replace(
                                    "{name}",
                                    &status.with(|s| s.as_ref().map(|s| s.name.clone())).unwrap_or_default(),
                                )}</p>
                            }.into_any(),
                            _ => view! {
                                <TextField id="sms-phone" label=Key::sms_phone value=phone errors=phone_errors hint=Key::sms_phone_hint input_type="tel"/>
                            }.into_any(),
                        }}
                        <div class="wizard-buttons">
                            <button type="button" class="button button-secondary" id="wizard-back"
                                on:click=move |_| steps.back()>{i18n.text(Key::wiz_back)}</button>
                            " "
                            <button type="submit" class="button button-primary" id="sms-submit" disabled=move || busy.get()>
                                {move || i18n.t(match act.get() {
                                    Act::Enrol => Key::sms_enrol,
                                    Act::Change => Key::sms_save_number,
                                    Act::Unenrol => Key::sms_confirm_unenrol,
                                })}
                            </button>
                        </div>
                    </form>
                </Show>
                <Show when=move || step.get() == STATUS>
                    <p><button type="button" class="button button-tertiary" id="sms-new-search" on:click=back_to_start>
                        {i18n.text(Key::ex_new_search)}
                    </button></p>
                </Show>
            }.into_any(),
        }}
    }
}

/// The holder's page: the link's token confirms their number once they press "Bekræft".
#[component]
fn ConfirmPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let done = RwSignal::new(None::<String>);
    let refusal = RwSignal::new(None::<Key>);
    let failed = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let confirm = move |_| {
        let token = token();
        busy.set(true);
        failed.set(false);
        spawn_local(async move {
            match api::nemsms::confirm(&token).await {
                Ok(confirmed) => {
                    refusal.set(None);
                    done.set(Some(confirmed.phone));
                }
                Err(ApiError::Problem(p)) if p.status == 400 => {
                    refusal.set(p.errors.first().map(|e| error_key(e.code)))
                }
                Err(_) => failed.set(true),
            }
            busy.set(false);
        });
    };
    view! {
        <h1>{i18n.text(Key::sms_confirm_heading)}</h1>
        <FailedAlert failed=failed/>
        <ConflictAlert id="sms-confirm-error" conflict=refusal/>
        {move || match done.get() {
            Some(phone) => view! {
                <div class="alert alert-success" role="status" id="sms-confirmed">
                    <div class="alert-body"><p class="alert-text">{i18n.t(Key::sms_confirmed).replace("{phone}", &phone)}</p></div>
                </div>
            }.into_any(),
            // A link that is used, expired or unknown cannot confirm anything: no button then
            // (issue 32 item 13), only the reason.
            None if refusal.get().is_some() => ().into_any(),
            None => view! {
                <p>{i18n.text(Key::sms_confirm_text)}</p>
                <button type="button" class="button button-primary" id="sms-confirm" disabled=move || busy.get() on:click=confirm>
                    {i18n.text(Key::sms_confirm_button)}
                </button>
            }.into_any(),
        }}
    }
}
