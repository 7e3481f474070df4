//! Access to a citizen's Digital Post (Adgang, SPEC §7, guide chapter 10, issue 16): citizen
//! service looks up the giver (CPR) with their holders, gives a citizen or company access to
//! read — or read and act on — the giver's mail until a date or without end (lifting or keeping
//! the giver's exemption through the `ExemptionStatus` port), and revokes it. At most 10
//! holders, never the giver, never twice (ACC-03). Expired accesses end by [`ExpiryWorker`].

pub mod documents;
pub mod entity;
pub mod error;
pub mod http;
pub mod ports;
pub mod service;

pub use error::MailAccessError;
pub use service::expiry::ExpiryWorker;

/// The OpenAPI tag of this module's endpoints.
pub const TAG: &str = "Adgang";

/// The module as the server mounts it.
pub struct MailAccessModule;

impl adgang_core::ApiModule for MailAccessModule {
    fn tags(&self) -> Vec<(&'static str, &'static str)> {
        vec![(
            TAG,
            "Access to citizens' Digital Post: givers, holders, access given and revoked, \
             receipts (SPEC §7)",
        )]
    }

    fn configure(&self, cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
        http::configure(cfg);
    }

    fn jobs(&self, ctx: &adgang_core::JobContext) -> Vec<Box<dyn adgang_core::Job>> {
        vec![Box::new(ExpiryWorker {
            db: ctx.db.clone(),
            clock: ctx.clock.clone(),
            idle: std::time::Duration::from_secs(60),
            sweep: service::expiry::ExpiredAccesses,
        })]
    }
}
