//! The shell: header, environment banner, module tabs, routed page, footer.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy};

use crate::auth::Auth;
use crate::components::{
    footer::Footer,
    header::Header,
    module_tabs::{ModuleTabs, PageTitle},
};
use crate::i18n::{use_i18n, I18n, Key};
use crate::pages::{
    authority_info, contacts, eventlog, exemptions, mail_access, move_mail, nemsms, recall, rights,
    statistics, switch, systems,
};
use crate::pages::{front::FrontPage, login_error::LoginErrorPage, module::ModulePage};

#[component]
pub fn App() -> impl IntoView {
    I18n::provide();
    crate::environment::provide();
    Auth::provide();
    let i18n = use_i18n();
    close_menus_on_escape();

    view! {
        <Router>
            <a class="skipnav" href="#main-content">{i18n.text(Key::skip_to_content)}</a>
            <Header/>
            <ModuleTabs/>
            <PageTitle/>
            <main id="main-content" class="container page-container" tabindex="-1">
                <Routes fallback=|| view! { <ModulePage/> }>
                    <Route path=path!("/") view=FrontPage/>
                    <Route path=path!("/skift-virksomhed") view={Lazy::<switch::SwitchRoute>::new()}/>
                    <Route path=path!("/login-fejl") view=LoginErrorPage/>
                    <Route path=path!("/rettigheder") view={Lazy::<rights::RightsRoute>::new()}/>
                    <systems::SystemRoutes/>
                    <contacts::ContactRoutes/>
                    <eventlog::EventLogRoutes/>
                    <exemptions::ExemptionRoutes/>
                    <nemsms::NemSmsRoutes/>
                    <mail_access::MailAccessRoutes/>
                    <authority_info::AuthorityInfoRoutes/>
                    <recall::RecallRoutes/>
                    <move_mail::MoveMailRoutes/>
                    <statistics::StatisticsRoutes/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

/// Escape closes an open "Flere valg"/"Opret" menu (a `<details class="row-menu">`) and puts
/// the focus back on its button, as keyboard users expect of a menu.
fn close_menus_on_escape() {
    use wasm_bindgen::JsCast;
    // Dropping the handle keeps the listener (only `remove` ends it): the shell lives as long
    // as the page.
    let _ = window_event_listener(leptos::ev::keydown, |ev| {
        if ev.key() != "Escape" {
            return;
        }
        let Ok(open) = document().query_selector_all("details.row-menu[open]") else {
            return;
        };
        for i in 0..open.length() {
            let Some(menu) = open
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            let _ = menu.remove_attribute("open");
            if let Some(summary) = menu
                .query_selector("summary")
                .ok()
                .flatten()
                .and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = summary.focus();
            }
        }
    });
}
