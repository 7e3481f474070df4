//! How the server mounts a module crate: one value per module, listed once in `server`.

use utoipa_actix_web::service_config::ServiceConfig;

use crate::jobs::{Job, JobContext};

/// A module crate as the server mounts it: its routes under `/api/v1` and its background jobs.
pub trait ApiModule: Send + Sync + 'static {
    /// The OpenAPI tags of the module's endpoints, each with its description.
    fn tags(&self) -> Vec<(&'static str, &'static str)>;

    /// Registers the module's routes and its own app data (settings, caches).
    fn configure(&self, cfg: &mut ServiceConfig);

    /// The module's background jobs; the server starts, supervises and stops them.
    fn jobs(&self, _ctx: &JobContext) -> Vec<Box<dyn Job>> {
        Vec::new()
    }
}
