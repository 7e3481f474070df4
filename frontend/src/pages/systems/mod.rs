//! Systemtilslutning (SPEC §2): overview, "Opret system" wizard with receipt, detail page.

pub mod detail;
pub mod form;
pub mod overview;
pub mod wizard;

use leptos::prelude::*;

use crate::auth::Auth;

/// The module's pages, one chunk.
#[derive(Clone, Copy)]
pub(crate) enum Page {
    Overview,
    Create,
    Detail,
}

lazy_pages!(systems: fn render(page: Page) -> AnyView {
    match page {
        Page::Overview => view! { <overview::SystemsPage/> }.into_any(),
        Page::Create => view! { <wizard::CreateSystemPage/> }.into_any(),
        Page::Detail => view! { <detail::SystemDetailPage/> }.into_any(),
    }
});

lazy_route!(
    /// `/systemtilslutning`
    OverviewRoute => render(Page::Overview)
);
lazy_route!(
    /// `/systemtilslutning/opret`
    CreateRoute => render(Page::Create)
);
lazy_route!(
    /// `/systemtilslutning/:id`
    DetailRoute => render(Page::Detail)
);

/// The signed-in user's token and current organisation's CVR, when signed in.
pub(crate) fn credentials(auth: Auth) -> Option<(String, String)> {
    auth.authorized()
        .map(|a| (a.token, a.session.organisation.cvr_number))
}
