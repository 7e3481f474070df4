//! NemSMS (SPEC §6, guide chapter 9, issue 16): citizen-service and business-service staff look
//! up a citizen (CPR) or company (CVR) and see their enrolment for the public authorities'
//! service messages by SMS; enrol them with a number, which the holder confirms by a link sent
//! through the SMS gateway port; change the number (confirmed again); unenrol. Each action
//! answers with its receipt; every lookup and action is logged.

pub mod entity;
pub mod error;
pub mod http;
pub mod ports;
pub mod service;

pub use error::NemSmsError;

/// The OpenAPI tag of this module's endpoints.
pub const TAG: &str = "NemSMS";

/// Deployment settings this module reads (app data).
#[derive(Debug, Clone)]
pub struct NemSmsSettings {
    /// Where the SPA is served: confirmation links point at `{base}/nemsms/bekraeft/{token}`.
    pub public_base_url: String,
    /// SMS-02: how long a confirmation link works.
    pub link_lifetime: chrono::Duration,
}

/// The module as the server mounts it.
pub struct NemSmsModule {
    pub settings: NemSmsSettings,
}

impl adgang_core::ApiModule for NemSmsModule {
    fn tags(&self) -> Vec<(&'static str, &'static str)> {
        vec![(
            TAG,
            "Citizens' and companies' NemSMS enrolment: lookups, enrol, confirm by SMS link, \
             change number, unenrol (SPEC §6)",
        )]
    }

    fn configure(&self, cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
        cfg.app_data(actix_web::web::Data::new(self.settings.clone()));
        http::configure(cfg);
    }
}
