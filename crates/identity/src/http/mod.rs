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

/// A user who holds a right of the organisation itself — not only the platform's `operator`
/// role, and not an operator acting on its behalf (issue 13 item 9): joining binds the
/// organisation to the agreement, which only its own people may do (AUTH-04).
pub struct RightHolder;

impl ScopeGuard for RightHolder {
    fn authorise(principal: &Principal) -> Result<(), DomainError> {
        let own_right = principal.rights.iter().any(|r| *r != Right::Operator);
        if own_right && principal.operator_home.is_none() {
            Ok(())
        } else {
            Err(DomainError::Forbidden)
        }
    }
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    organisations::configure(cfg);
    auth::configure(cfg);
    oauth::configure(cfg);
    rights::configure(cfg);
    onboarding::configure(cfg);
}
