//! Statistics (SPEC §11, guide chapter 14, issue 18): counts over the organisation's own
//! messages. Five standard reports are subscribed to with an interval and produced on the 10th
//! of the following period; custom reports of 1–8 variables over at most a year are produced
//! once and deleted after 7 days. Reports are summed from daily counts the scheduler rolls up
//! from the Digital Post core's messages (the `MessageTallies` port).

pub mod entity;
pub mod error;
pub mod http;
pub mod service;

pub use error::StatisticsError;
pub use service::expiry::{ExpiredReports, ExpiryWorker};
pub use service::production::ProductionWorker;

/// The OpenAPI tag of this module's endpoints.
pub const TAG: &str = "Statistik";

/// The module as the server mounts it.
pub struct StatisticsModule {
    /// ST-02: what the report scheduler needs, or `None` where this instance produces no
    /// reports (`ADGANG_STATISTICS_WORKER=false`).
    pub production: Option<Production>,
}

/// The ports and pace of the report scheduler.
pub struct Production {
    pub tallies: std::sync::Arc<dyn adgang_core::ports::MessageTallies>,
    pub authorities: std::sync::Arc<dyn adgang_core::ports::Authorities>,
    pub mailer: std::sync::Arc<dyn adgang_core::ports::Mailer>,
    /// The pause between rounds.
    pub round: std::time::Duration,
}

impl adgang_core::ApiModule for StatisticsModule {
    fn tags(&self) -> Vec<(&'static str, &'static str)> {
        vec![(
            TAG,
            "Standard report subscriptions and custom reports over the organisation's own \
             messages, produced in the background and downloaded as CSV (SPEC §11)",
        )]
    }

    fn configure(&self, cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
        http::configure(cfg);
    }

    fn jobs(&self, ctx: &adgang_core::JobContext) -> Vec<Box<dyn adgang_core::Job>> {
        let mut jobs: Vec<Box<dyn adgang_core::Job>> = vec![Box::new(ExpiryWorker {
            db: ctx.db.clone(),
            clock: ctx.clock.clone(),
            idle: std::time::Duration::from_secs(60),
            sweep: ExpiredReports,
        })];
        if let Some(production) = &self.production {
            jobs.push(Box::new(ProductionWorker {
                idle: production.round,
                ..ProductionWorker::new(
                    ctx.db.clone(),
                    ctx.clock.clone(),
                    production.tallies.clone(),
                    production.authorities.clone(),
                    production.mailer.clone(),
                )
            }));
        }
        jobs
    }
}
