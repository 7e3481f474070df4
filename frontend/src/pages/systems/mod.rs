//! Systemtilslutning (SPEC §2): overview, "Opret system" wizard with receipt, detail page.

pub mod detail;
pub mod form;
pub mod overview;
pub mod wizard;

use crate::auth::Auth;

/// The signed-in user's token and current organisation's CVR, when signed in.
pub(crate) fn credentials(auth: Auth) -> Option<(String, String)> {
    auth.authorized()
        .map(|a| (a.token, a.session.organisation.cvr_number))
}
