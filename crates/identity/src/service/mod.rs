//! Identity's rules, each taking the caller's transaction and writing its audit rows in it:
//! organisations, users and rights, machine clients, onboarding (AUTH-04), sessions and the
//! OIDC login (AUTH-01).

pub mod login;
pub mod machine_clients;
pub mod onboarding;
pub mod organisations;
pub mod rights;
pub mod sessions;

pub use organisations::*;
