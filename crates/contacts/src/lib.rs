//! Contact structure (Kontaktstruktur, SPEC §3, guide chapter 6): the groups and points
//! citizens and businesses write to, for authorities' `contact_admin`s.

pub mod deep_links;
pub mod entity;
pub mod error;
pub mod http;
pub mod service;
pub mod validation;

pub use error::ContactsError;

/// The OpenAPI tag of this module's endpoints.
pub const TAG: &str = "Kontaktstruktur";

/// Registers this module's routes under the API scope.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    http::configure(cfg);
}
