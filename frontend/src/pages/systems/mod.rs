//! Systemtilslutning (SPEC §2): overview, "Opret system" wizard with receipt, detail page.

pub mod detail;
pub mod form;
pub mod overview;
pub mod standard;
pub mod wizard;

use adgang_api_types::Module;
use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Route};
use leptos_router::{path, Lazy, StaticSegment};

/// The module's pages, one chunk.
#[derive(Clone, Copy)]
pub(crate) enum Page {
    Overview,
    Detail,
    Standard,
}

lazy_pages!(systems: fn render(page: Page) -> AnyView {
    match page {
        Page::Overview => view! { <overview::SystemsPage/> }.into_any(),
        Page::Detail => view! { <detail::SystemDetailPage/> }.into_any(),
        Page::Standard => view! { <standard::StandardSystemsPage/> }.into_any(),
    }
});

// The wizard is the module's largest page: its own chunk, so that opening the module (the
// overview) fetches neither it nor more than 60 KB (issue 32 item 14).
lazy_pages!(system_wizard: fn render_wizard() -> AnyView {
    view! { <wizard::CreateSystemPage/> }.into_any()
});

lazy_route!(OverviewRoute => render(Page::Overview));
lazy_route!(CreateRoute => render_wizard());
lazy_route!(DetailRoute => render(Page::Detail));
lazy_route!(StandardRoute => render(Page::Standard));

/// A path in this module: `Module::route()` + `rest` (no module path typed by hand).
pub(crate) fn link(rest: &str) -> String {
    format!("{}{rest}", Module::SystemConnection.route())
}

/// The module's routes, below its `Module::route()`.
#[component(transparent)]
pub fn SystemRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=StaticSegment(super::segment(Module::SystemConnection)) view=Outlet>
            <Route path=path!("") view={Lazy::<OverviewRoute>::new()}/>
            <Route path=path!("opret") view={Lazy::<CreateRoute>::new()}/>
            <Route path=path!("standardsystemer") view={Lazy::<StandardRoute>::new()}/>
            <Route path=path!(":id") view={Lazy::<DetailRoute>::new()}/>
        </ParentRoute>
    }
    .into_inner()
}
