//! Identity's endpoints: the session and login (`auth`), machine clients' tokens (`oauth`),
//! organisations and the operator's lookup (`organisations`), rights administration
//! (`rights`) and authority onboarding (`onboarding`). Handlers authorise, parse, call
//! [`crate::service`] and map to api-types; they never query entities themselves.

pub mod auth;
pub mod oauth;
pub mod onboarding;
pub mod organisations;
pub mod rights;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    organisations::configure(cfg);
    auth::configure(cfg);
    oauth::configure(cfg);
    rights::configure(cfg);
    onboarding::configure(cfg);
}
