//! The event log (Hændelseslog, SPEC §4, guide chapter 7, issue 15): the reading side of the
//! three logs every module writes through `core::audit` — the message log (LOG-01), the actions
//! log (LOG-02) and the searches log (LOG-03). Each is searched within the caller's
//! organisation and a period (LOG-04), opened by its own right (LOG-05), paged by keyset
//! cursor, downloaded as CSV — streamed when small, made by a background export job when large
//! . Nothing here changes or deletes a log row (LOG-06).

pub mod entity;
pub mod error;
pub mod http;
pub mod service;

pub use error::EventLogError;
pub use service::exports::ExportWorker;

/// The OpenAPI tag of this module's endpoints.
pub const TAG: &str = "Hændelseslog";

/// Deployment settings this module reads (app data).
#[derive(Debug, Clone)]
pub struct EventLogSettings {
    /// the most rows one CSV response streams; a larger search becomes an export job.
    pub stream_limit: u64,
    /// How long a finished export can be downloaded.
    pub export_lifetime: chrono::Duration,
}

impl Default for EventLogSettings {
    fn default() -> Self {
        EventLogSettings {
            stream_limit: 100_000,
            export_lifetime: chrono::Duration::hours(24),
        }
    }
}

/// The module as the server mounts it.
pub struct EventLogModule {
    pub settings: EventLogSettings,
    /// LOG-01 ContentresponsibleID/RepresentativeID: the mail-access register's history
    /// (answered by the mail-access module).
    pub holders: std::sync::Arc<dyn adgang_core::ports::MailAccessHolders>,
}

impl adgang_core::ApiModule for EventLogModule {
    fn tags(&self) -> Vec<(&'static str, &'static str)> {
        vec![(
            TAG,
            "The message, actions and searches logs: search, keyset pages, CSV downloads and \
             export jobs (SPEC §4)",
        )]
    }

    fn configure(&self, cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
        cfg.app_data(actix_web::web::Data::new(self.settings.clone()));
        cfg.app_data(actix_web::web::Data::from(self.holders.clone()));
        http::configure(cfg);
    }

    fn jobs(&self, ctx: &adgang_core::JobContext) -> Vec<Box<dyn adgang_core::Job>> {
        vec![Box::new(ExportWorker {
            db: ctx.db.clone(),
            clock: ctx.clock.clone(),
            lifetime: self.settings.export_lifetime,
            holders: self.holders.clone(),
        })]
    }
}
