//! System connection (Systemtilslutning, SPEC §2, guide chapter 5): organisations' sender
//! and recipient systems with their connection details, primary-system rules, API keys for
//! vendors with power of attorney, vendors' standard systems, receipts and the overview.

pub mod documents;
pub mod entity;
pub mod error;
pub mod http;
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

/// The names of the contact points bound to a system. Declared here and implemented by the
/// contacts module (which depends on this one), so a system with bound points is refused
/// with their names (SYS-12) without this module reading the other's tables.
pub trait BoundContactPoints: Send + Sync {
    fn names<'a>(
        &'a self,
        db: &'a sea_orm::DatabaseTransaction,
        system_id: &'a str,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Vec<String>, sea_orm::DbErr>> + Send + 'a>,
    >;
}

/// Registers this module's routes under the API scope.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    http::configure(cfg);
}
