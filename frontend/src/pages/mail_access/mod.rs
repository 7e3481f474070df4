//! Adgang (SPEC §7, guide chapter 10): find the giver (CPR) → their status and table of holders
//! with "Ophæv" (confirmed, irreversible) → "Opret adgang": find the holder (CPR/CVR) → the
//! access (exemption lifted or kept, level, employee, last day or unlimited) → summary →
//! "Godkend adgang" → receipt with its PDF → "Gå til Adgang".

mod create;
mod giver;
mod receipt;

use adgang_api_types::{AccessLevel, MailAccess, MailAccessReceipt, Module};
use leptos::prelude::*;
use leptos_router::components::Route;
use leptos_router::{Lazy, StaticSegment};

use crate::components::module_gate::IntroducedPage;
use crate::i18n::{I18n, Key};
use giver::Giver;

lazy_pages!(mail_access: fn render() -> AnyView {
    view! { <MailAccessPage/> }.into_any()
});

lazy_route!(MailAccessRoute => render());

/// The module's route, `/adgang`.
#[component(transparent)]
pub fn MailAccessRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=StaticSegment(super::segment(Module::MailAccess)) view={Lazy::<MailAccessRoute>::new()}/>
    }
    .into_inner()
}

/// What the page shows below the giver.
#[derive(Clone, PartialEq)]
enum View {
    Overview,
    Revoke(MailAccess),
    Create,
    Receipt(MailAccessReceipt),
}

fn level_key(level: AccessLevel) -> Key {
    match level {
        AccessLevel::Read => Key::acc_level_read,
        AccessLevel::ReadWrite => Key::acc_level_read_write,
    }
}

fn expiry_text(i18n: I18n, access: &MailAccess) -> String {
    access
        .expires_on
        .map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_else(|| i18n.t(Key::acc_unlimited).to_owned())
}

#[component]
fn MailAccessPage() -> impl IntoView {
    view! {
        <IntroducedPage module=Module::MailAccess heading=Key::module_mail_access_tab intro=Key::acc_intro>
            <Giver/>
        </IntroducedPage>
    }
}
