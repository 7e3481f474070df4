//! Identity: organisations, users and their rights, OIDC login, our access tokens, sessions,
//! context switching, authority onboarding, machine clients and rights administration.

pub mod auth_http;
pub mod directory;
pub mod entity;
pub mod error;
pub mod http;
pub mod login;
pub mod machine_clients;
pub mod oauth_http;
pub mod onboarding;
pub mod onboarding_http;
pub mod rights;
pub mod rights_http;
pub mod service;
pub mod sessions;

pub use error::IdentityError;

/// The module as the server mounts it. Its login wiring (our OIDC relying party) is app data
/// the server registers, as it depends on where the server is reached.
pub struct IdentityModule;

impl adgang_core::ApiModule for IdentityModule {
    fn tag(&self) -> (&'static str, &'static str) {
        (
            TAG,
            "The caller's session, login, organisations, onboarding, rights and machine clients",
        )
    }

    fn configure(&self, cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
        http::configure(cfg);
        auth_http::configure(cfg);
        oauth_http::configure(cfg);
        rights_http::configure(cfg);
        onboarding_http::configure(cfg);
    }
}

/// The OpenAPI tag of this module's endpoints.
pub const TAG: &str = "Identitet";
