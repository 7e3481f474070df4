//! Hændelseslog (SPEC §4, guide chapter 7): the three logs as tabs — only those the user's
//! rights open (LOG-05) — each with its search form, result table paged by cursor, CSV download
//! and, for a search too large to stream, an export with a progress bar. The search
//! lives in the URL's query string, so a search is a link that can be bookmarked and shared.

mod fields;
mod search;
mod table;

use adgang_api_types::{EventLogKind, Module};
use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Route};
use leptos_router::{path, Lazy, StaticSegment};

use crate::auth::use_auth;
use crate::components::module_gate::GatedPage;
use crate::i18n::{use_i18n, Key};
use search::LogSearch;

lazy_pages!(eventlog: fn render(log: Option<EventLogKind>) -> AnyView {
    view! { <EventLogPage log=log/> }.into_any()
});

lazy_route!(FirstLogRoute => render(None));
lazy_route!(MessagesRoute => render(Some(EventLogKind::Messages)));
lazy_route!(ActionsRoute => render(Some(EventLogKind::Actions)));
lazy_route!(SearchesRoute => render(Some(EventLogKind::Searches)));

/// A log's path below the module, e.g. `/haendelseslog/meddelelser`.
fn link(log: EventLogKind) -> String {
    format!("{}/{}", Module::EventLog.route(), segment(log))
}

fn segment(log: EventLogKind) -> &'static str {
    match log {
        EventLogKind::Messages => "meddelelser",
        EventLogKind::Actions => "handlinger",
        EventLogKind::Searches => "soegninger",
    }
}

/// The module's routes, below its `Module::route()`.
#[component(transparent)]
pub fn EventLogRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=StaticSegment(super::segment(Module::EventLog)) view=Outlet>
            <Route path=path!("") view={Lazy::<FirstLogRoute>::new()}/>
            <Route path=path!("meddelelser") view={Lazy::<MessagesRoute>::new()}/>
            <Route path=path!("handlinger") view={Lazy::<ActionsRoute>::new()}/>
            <Route path=path!("soegninger") view={Lazy::<SearchesRoute>::new()}/>
        </ParentRoute>
    }
    .into_inner()
}

fn tab_key(log: EventLogKind) -> Key {
    match log {
        EventLogKind::Messages => Key::log_tab_messages,
        EventLogKind::Actions => Key::log_tab_actions,
        EventLogKind::Searches => Key::log_tab_searches,
    }
}

/// The logs the signed-in user's rights open (LOG-05), in the guide's order.
fn open_logs(rights: &[adgang_api_types::Right]) -> Vec<EventLogKind> {
    EventLogKind::ALL
        .into_iter()
        .filter(|log| log.rights().iter().any(|r| rights.contains(r)))
        .collect()
}

#[component]
fn EventLogPage(log: Option<EventLogKind>) -> impl IntoView {
    view! {
        <GatedPage module=Module::EventLog heading=Key::module_event_log_tab>
            <LogTabs log=log/>
        </GatedPage>
    }
}

#[component]
fn LogTabs(log: Option<EventLogKind>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let open = move || {
        auth.authorized()
            .map(|a| open_logs(&a.session.rights))
            .unwrap_or_default()
    };
    let chosen = move || log.or_else(|| open().first().copied());
    view! {
        <p>{i18n.text(Key::log_intro)}</p>
        <nav class="tab-container log-tabs" aria-label=i18n.text(Key::log_tabs_label)>
            <ul class="tab-list">
                {move || open().into_iter().map(|l| view! {
                    <li><a class="tab-button" href=link(l) id=format!("log-tab-{}", l.as_str())
                        aria-current=move || (chosen() == Some(l)).then_some("page")>
                        <span>{move || i18n.t(tab_key(l))}</span>
                    </a></li>
                }).collect_view()}
            </ul>
        </nav>
        {move || match chosen() {
            Some(l) if open().contains(&l) => view! { <LogSearch log=l/> }.into_any(),
            _ => view! {
                <div class="alert alert-info" role="status"><div class="alert-body">
                    <p class="alert-text">{i18n.text(Key::log_no_access)}</p>
                </div></div>
            }.into_any(),
        }}
    }
}
