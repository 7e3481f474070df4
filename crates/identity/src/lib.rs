//! Identity: organisations, users and their rights, OIDC login, our access tokens, sessions,
//! context switching, authority onboarding, machine clients and rights administration.

pub mod entity;
pub mod error;
pub mod http;
pub mod ports;
pub mod service;

pub use error::IdentityError;

/// The module as the server mounts it. Its login wiring (our OIDC relying party) is app data
/// the server registers, as it depends on where the server is reached.
pub struct IdentityModule {
    /// The revoked sessions every request checks (core's extractor); this module's job fills it.
    pub revocations: std::sync::Arc<adgang_core::SessionRevocations>,
    /// Issue 31: wrong client secrets at the token endpoint, limited per client and address.
    pub client_secrets: ClientSecrets,
    /// §3.1.1: the designated rights administrator is told through it at onboarding.
    pub mailer: std::sync::Arc<dyn adgang_core::ports::Mailer>,
    /// The rights portal the notice links to.
    pub rights_portal_url: RightsPortalUrl,
}

/// Where the rights portal is (app data): the notice to a new rights administrator links to it.
#[derive(Debug, Clone)]
pub struct RightsPortalUrl(pub String);

/// The limiter of the token endpoint's failed client authentications (app data).
#[derive(Debug, Clone)]
pub struct ClientSecrets(pub std::sync::Arc<adgang_core::throttle::Throttle>);

impl Default for ClientSecrets {
    fn default() -> Self {
        ClientSecrets(std::sync::Arc::new(
            adgang_core::throttle::Throttle::for_credentials("oauth_client_secret"),
        ))
    }
}

impl adgang_core::ApiModule for IdentityModule {
    fn tags(&self) -> Vec<(&'static str, &'static str)> {
        vec![
            (
                TAG,
                "The caller's session, organisations, onboarding, rights and machine clients",
            ),
            (
                http::auth::TAG,
                "OpenID Connect login, sessions, context switching, machine clients' tokens",
            ),
        ]
    }

    fn configure(&self, cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
        cfg.app_data(actix_web::web::Data::new(self.client_secrets.clone()));
        cfg.app_data(actix_web::web::Data::from(self.mailer.clone()));
        cfg.app_data(actix_web::web::Data::new(self.rights_portal_url.clone()));
        http::configure(cfg);
    }

    fn jobs(&self, ctx: &adgang_core::JobContext) -> Vec<Box<dyn adgang_core::Job>> {
        vec![Box::new(service::sessions::RevocationWatcher {
            db: ctx.db.clone(),
            clock: ctx.clock.clone(),
            revocations: self.revocations.clone(),
        })]
    }
}

/// The OpenAPI tag of this module's endpoints.
pub const TAG: &str = "Identitet";
