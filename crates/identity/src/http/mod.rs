//! Identity's endpoints: the session and login (`auth`), machine clients' tokens (`oauth`),
//! organisations and the operator's lookup (`organisations`), rights administration
//! (`rights`) and authority onboarding (`onboarding`). Handlers authorise, parse, call
//! [`crate::service`] and map to api-types; they never query entities themselves.

use adgang_api_types::Right;
use adgang_core::{DomainError, Principal, ScopeGuard};

pub mod auth;
pub mod oauth;
pub mod onboarding;
pub mod organisations;
pub mod rights;

/// The organisation's rights administrator (`rights_admin`), once it has joined.
pub struct RightsAdministration;

impl ScopeGuard for RightsAdministration {
    fn authorise(principal: &Principal) -> Result<(), DomainError> {
        principal.require(Right::RightsAdmin)
    }
}

/// Any user of the organisation — even before it has joined, as onboarding itself (AUTH-04) is
/// what such a user does.
pub struct Member;

impl ScopeGuard for Member {
    fn authorise(_: &Principal) -> Result<(), DomainError> {
        Ok(())
    }
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    organisations::configure(cfg);
    auth::configure(cfg);
    oauth::configure(cfg);
    rights::configure(cfg);
    onboarding::configure(cfg);
}
