//! Exemption from Digital Post (Fritagelse, SPEC §5, guide chapter 8, issue 16): citizen-service
//! and business-service staff look up a citizen (CPR) or a company (CVR), exempt them, lift the
//! exemption and — companies only — renew it; each action has a receipt that can be downloaded
//! again. Company exemptions end by themselves at the end of November two years on
//! ([`ExpiryWorker`]). [`ports::ExemptionsPort`] answers the Digital Post core's
//! `ExemptionStatus` question (CORE-02).

pub mod documents;
pub mod entity;
pub mod error;
pub mod http;
pub mod ports;
pub mod service;

pub use error::ExemptionError;
pub use service::expiry::ExpiryWorker;

/// The OpenAPI tag of this module's endpoints.
pub const TAG: &str = "Fritagelse";

/// The module as the server mounts it.
pub struct ExemptionsModule {
    /// EX-01's warning: whether the party has unopened Digital Post (answered by messaging).
    pub unopened_mail: std::sync::Arc<dyn adgang_core::ports::UnopenedMail>,
}

impl adgang_core::ApiModule for ExemptionsModule {
    fn tags(&self) -> Vec<(&'static str, &'static str)> {
        vec![(
            TAG,
            "Citizens' and companies' exemption from Digital Post: lookups, grant, lift, renew, \
             receipts (SPEC §5)",
        )]
    }

    fn configure(&self, cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
        cfg.app_data(actix_web::web::Data::from(self.unopened_mail.clone()));
        http::configure(cfg);
    }

    fn jobs(&self, ctx: &adgang_core::JobContext) -> Vec<Box<dyn adgang_core::Job>> {
        vec![Box::new(ExpiryWorker {
            db: ctx.db.clone(),
            clock: ctx.clock.clone(),
            idle: std::time::Duration::from_secs(60),
            sweep: service::expiry::ExpiredExemptions,
        })]
    }
}
