//! The built-in test identity provider (AUTH-02, §3.2 "test-IDP").
//!
//! A real OpenID Connect provider mounted at `/idp`: discovery document, JWKS, an authorization
//! endpoint with a Danish login page, and a token endpoint for the authorization-code grant with
//! PKCE (S256), issuing EdDSA-signed ID tokens. The portal logs in through it with exactly the
//! code path it uses against NemLog-in or Keycloak in production, where this provider is off.
//!
//! Its user directory is the portal's users (name and RID), which the test portal
//! (`/testportal`) creates along with organisations, rights and machine clients.

mod html;
mod provider;
mod testportal;

pub use provider::{IdentityProvider, IdpConfig, RegisteredClient};

/// Registers `/idp/...` and the test portal `/testportal` on the app (outside `/api`, like a
/// separate system would be).
pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    provider::configure(cfg);
    testportal::configure(cfg);
}
