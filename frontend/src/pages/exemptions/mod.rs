//! Fritagelse (SPEC §5, guide chapter 8): "Fritag borger" and "Fritag virksomhed" as one DKFDS
//! wizard each — find (CPR/CVR) → details (power of attorney, forwarding of unopened mail, or
//! lift/renew) → summary → "Godkend …" → receipt with its PDF. The API judges every step
//! (`dryRun`); its field errors come back to the step that holds the field.

mod draft;
mod wizard;

use adgang_api_types::{Address, Module, PartyExemption, PartyKind};
use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Route};
use leptos_router::{path, Lazy, StaticSegment};

use crate::components::module_gate::IntroducedPage;
use crate::components::party::party_text;
use crate::i18n::{use_i18n, Key};
use wizard::Wizard;

lazy_pages!(exemptions: fn render(kind: PartyKind) -> AnyView {
    view! { <ExemptionPage kind=kind/> }.into_any()
});

lazy_route!(CitizensRoute => render(PartyKind::Citizen));
lazy_route!(CompaniesRoute => render(PartyKind::Company));

/// The two modules' routes: `/fritagelse/borgere` and `/fritagelse/virksomheder`.
#[component(transparent)]
pub fn ExemptionRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=StaticSegment("fritagelse") view=Outlet>
            <Route path=path!("borgere") view={Lazy::<CitizensRoute>::new()}/>
            <Route path=path!("virksomheder") view={Lazy::<CompaniesRoute>::new()}/>
        </ParentRoute>
    }
    .into_inner()
}

const SUMMARY: usize = 2;
const CITIZEN_STEPS: [Key; 3] = [
    Key::ex_step_find_citizen,
    Key::ex_step_details,
    Key::wiz_step_summary,
];
const COMPANY_STEPS: [Key; 3] = [
    Key::ex_step_find_company,
    Key::ex_step_details,
    Key::wiz_step_summary,
];

/// The step that holds an API field.
fn step_of(field: &str) -> usize {
    match field.split(['.', '[']).next().unwrap_or_default() {
        "cpr" | "cvr" | "party" => 0,
        "powerOfAttorney"
        | "forwarding"
        | "informedOfConsequences"
        | "alternativeAddress"
        | "note" => 1,
        _ => SUMMARY,
    }
}

/// Texts that differ between citizens and companies.
struct Words {
    module: Module,
    title: Key,
    intro: Key,
    steps: &'static [Key; 3],
    number: Key,
    number_hint: Key,
    registered: Key,
    warning: Key,
    declined: Key,
    forward_registered: Key,
}

fn words(kind: PartyKind) -> Words {
    match kind {
        PartyKind::Citizen => Words {
            module: Module::CitizenExemption,
            title: Key::module_citizen_exemption_tab,
            intro: Key::ex_intro_citizen,
            steps: &CITIZEN_STEPS,
            number: Key::ex_cpr,
            number_hint: Key::ex_cpr_hint,
            registered: Key::ex_registered_address_citizen,
            warning: Key::ex_warning_citizen,
            declined: Key::ex_declined_citizen,
            forward_registered: Key::ex_forward_registered_citizen,
        },
        PartyKind::Company => Words {
            module: Module::CompanyExemption,
            title: Key::module_company_exemption_tab,
            intro: Key::ex_intro_company,
            steps: &COMPANY_STEPS,
            number: Key::ex_cvr,
            number_hint: Key::ex_cvr_hint,
            registered: Key::ex_registered_address_company,
            warning: Key::ex_warning_company,
            declined: Key::ex_declined_company,
            forward_registered: Key::ex_forward_registered_company,
        },
    }
}

fn address_text(a: &Address) -> String {
    format!("{}, {} {}", a.street, a.postal_code, a.city)
}

fn date_text(at: chrono::DateTime<chrono::Utc>) -> String {
    crate::time::display(at)
}

#[component]
fn ExemptionPage(kind: PartyKind) -> impl IntoView {
    let w = words(kind);
    view! {
        <IntroducedPage module=w.module heading=w.title intro=w.intro>
            <Wizard kind=kind/>
        </IntroducedPage>
    }
}

/// A yes/no radio pair.
fn yes_no(name: &'static str, value: RwSignal<Option<bool>>) -> AnyView {
    let i18n = use_i18n();
    view! {
        <div class="form-group-radio">
            <input type="radio" class="form-radio" name=name id=format!("{name}-yes")
                prop:checked=move || value.get() == Some(true) on:change=move |_| value.set(Some(true))/>
            <label for=format!("{name}-yes")>{i18n.text(Key::ex_yes)}</label>
        </div>
        <div class="form-group-radio">
            <input type="radio" class="form-radio" name=name id=format!("{name}-no")
                prop:checked=move || value.get() == Some(false) on:change=move |_| value.set(Some(false))/>
            <label for=format!("{name}-no")>{i18n.text(Key::ex_no)}</label>
        </div>
    }
    .into_any()
}

/// The blue box with who was found and their status; the yellow warning before an exemption.
fn found_party(kind: PartyKind, party: PartyExemption) -> AnyView {
    let i18n = use_i18n();
    let w = words(kind);
    let status = match &party.exemption {
        None => i18n.t(Key::ex_status_enrolled).to_owned(),
        Some(e) => match e.expires_at {
            Some(end) => i18n
                .t(Key::ex_status_exempt_until)
                .replace("{date}", &date_text(end)),
            None => i18n
                .t(Key::ex_status_exempt_since)
                .replace("{date}", &date_text(e.granted_at)),
        },
    };
    let warn = party.exemption.is_none() && party.may_have_unopened_mail;
    view! {
        <div class="alert alert-info" role="status" id="party-found">
            <div class="alert-body">
                <dl>
                    <div class="summary-row"><dt>{i18n.text(Key::ex_name)}</dt><dd id="party-name">{party.name.clone()}</dd></div>
                    <div class="summary-row"><dt>{i18n.text(w.number)}</dt><dd>{party_text(kind, &party.party)}</dd></div>
                    <div class="summary-row"><dt>{i18n.text(w.registered)}</dt><dd>{address_text(&party.registered_address)}</dd></div>
                    <div class="summary-row"><dt>{i18n.text(Key::ex_status)}</dt><dd id="party-status">{status}</dd></div>
                </dl>
            </div>
        </div>
        {warn.then(|| view! {
            <div class="alert alert-warning" role="note" id="unopened-warning">
                <div class="alert-body"><p class="alert-text">{i18n.text(w.warning)}</p></div>
            </div>
        })}
    }
    .into_any()
}
