//! The CPR/CVR registry port.
//!
//! Every lookup of a citizen or a company goes through [`Registry`]. The built-in
//! [`SyntheticRegistry`] is deterministic test data (the default); [`HttpRegistry`] is the
//! adapter for the real data distributor, configured by URL. Callers record each lookup in the
//! searches log (LOG-03).

mod http;
pub mod party;
mod synthetic;

use adgang_core::{Cpr, Cvr};
use serde::{Deserialize, Serialize};

pub use http::HttpRegistry;
pub use synthetic::SyntheticRegistry;

/// A postal address as the registers give it: the API's own address.
pub use adgang_api_types::Address;

/// A citizen in the CPR register, with the registered address (folkeregisteradresse).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Citizen {
    pub cpr: String,
    pub name: String,
    pub registered_address: Address,
}

/// A company or authority in the CVR register, with its registered office address
/// (hjemstedsadresse).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Company {
    pub cvr: String,
    pub name: String,
    pub registered_office_address: Address,
    /// True for public authorities (myndigheder).
    pub is_authority: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("the register is unavailable: {0}")]
    Unavailable(String),
}

/// The port. `Ok(None)` means the register has no such person or company.
#[async_trait::async_trait]
pub trait Registry: Send + Sync {
    async fn citizen(&self, cpr: &Cpr) -> Result<Option<Citizen>, RegistryError>;
    async fn company(&self, cvr: &Cvr) -> Result<Option<Company>, RegistryError>;
}
