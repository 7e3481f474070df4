//! The Digital Post core (SPEC §13, issue 14): sender systems submit messages (`memos`), which
//! are routed to platform mailboxes, recipient systems or the SMS gateway, delivered with the
//! guide's retry schedule, held until their value date — every step in the message log.
//! Recall (SPEC §10, `service::recall`) and move mail (SPEC §12, `service::move_mail`) live
//! here too: both act on the core's messages and delivery jobs (ARCHITECTURE.md).

pub mod documents;
pub mod entity;
pub mod error;
pub mod http;
pub mod outbox;
pub mod relay;
pub mod service;

use std::net::IpAddr;

pub use error::MessagingError;
pub use service::dispatch::Dispatcher;
pub use service::move_mail::{MoveWorker, VirkMailMovesPort};
pub use service::tallies::MessageTalliesPort;
pub use service::writer::{IntakeQueue, IntakeWriter};
pub use service::Ports;

/// The OpenAPI tag of this module's endpoints.
pub const TAG: &str = "Digital Post";

/// Deployment settings this module reads (app data).
#[derive(Debug, Clone)]
pub struct MessagingSettings {
    /// Proxies whose `X-Forwarded-For` is believed (SYS-01 behind a load balancer); empty:
    /// the connection's peer is the caller.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The largest memo body (base64 attachments included).
    pub max_memo_bytes: usize,
}

impl Default for MessagingSettings {
    fn default() -> Self {
        MessagingSettings {
            trusted_proxies: Vec::new(),
            max_memo_bytes: 16 * 1024 * 1024,
        }
    }
}

impl MessagingSettings {
    pub fn is_trusted_proxy(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|net| net.contains(&ip))
    }
}

/// The module as the server mounts it.
pub struct MessagingModule {
    pub settings: MessagingSettings,
}

impl adgang_core::ApiModule for MessagingModule {
    fn tags(&self) -> Vec<(&'static str, &'static str)> {
        vec![(
            TAG,
            "For sender and recipient systems: submit messages (memos), collect them from a \
             mailbox (REST PULL). Authenticated with the system's id and API key (CORE-01..05)",
        )]
    }

    fn configure(&self, cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
        cfg.app_data(actix_web::web::Data::new(self.settings.clone()))
            .app_data(actix_web::web::Data::new(service::dispatch::http_client()));
        http::configure(cfg);
    }
}
