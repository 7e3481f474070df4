//! How the server mounts a module crate: one value per module, listed once in `server`.

use utoipa_actix_web::service_config::ServiceConfig;

/// A module crate as the server mounts it under `/api/v1`.
pub trait ApiModule: Send + Sync + 'static {
    /// The OpenAPI tags of the module's endpoints, each with its description.
    fn tags(&self) -> Vec<(&'static str, &'static str)>;

    /// Registers the module's routes and its own app data (settings, caches).
    fn configure(&self, cfg: &mut ServiceConfig);
}
