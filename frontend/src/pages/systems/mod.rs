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
}

/// The pages that set a system up: the module's largest, in their own chunk, so that opening
/// the module (the overview) fetches neither them nor more than 60 KB (issue 32 item 14).
#[derive(Clone, Copy)]
pub(crate) enum SetupPage {
    Create,
    Standard,
}

lazy_pages!(systems: fn render(page: Page) -> AnyView {
    match page {
        Page::Overview => view! { <overview::SystemsPage/> }.into_any(),
        Page::Detail => view! { <detail::SystemDetailPage/> }.into_any(),
    }
});

lazy_pages!(system_setup: fn render_setup(page: SetupPage) -> AnyView {
    match page {
        SetupPage::Create => view! { <wizard::CreateSystemPage/> }.into_any(),
        SetupPage::Standard => view! { <standard::StandardSystemsPage/> }.into_any(),
    }
});

lazy_route!(OverviewRoute => render(Page::Overview));
lazy_route!(CreateRoute => render_setup(SetupPage::Create));
lazy_route!(DetailRoute => render(Page::Detail));
lazy_route!(StandardRoute => render_setup(SetupPage::Standard));

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
