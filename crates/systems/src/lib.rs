//! System connection (Systemtilslutning, SPEC §2, guide chapter 5): organisations' sender
//! and recipient systems with their connection details, primary-system rules, API keys for
//! vendors with power of attorney, vendors' standard systems, receipts and the overview.

pub mod documents;
pub mod entity;
pub mod error;
pub mod http;
pub mod ports;
pub mod service;
pub mod validation;

pub use error::SystemsError;

/// The OpenAPI tag of this module's endpoints.
pub const TAG: &str = "Systemtilslutning";

/// Deployment settings this module reads (app data).
#[derive(Debug, Clone, Default)]
pub struct SystemsSettings {
    /// SYS-02: a test deployment may allow plain `http` endpoints; production never does.
    pub allow_http_endpoints: bool,
}

/// The module as the server mounts it.
pub struct SystemsModule {
    pub settings: SystemsSettings,
}

impl adgang_core::ApiModule for SystemsModule {
    fn tags(&self) -> Vec<(&'static str, &'static str)> {
        vec![(
            TAG,
            "Sender and recipient systems, API keys, standard systems, receipts (SPEC §2)",
        )]
    }

    fn configure(&self, cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
        cfg.app_data(actix_web::web::Data::new(self.settings.clone()));
        http::configure(cfg);
    }
}
