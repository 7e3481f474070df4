//! Facts about the running deployment that the SPA shell needs before anyone logs in.

use serde::{Deserialize, Serialize};

use crate::Module;

/// `test` deployments show a banner on every page (AUTH-05).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EnvironmentLabel {
    Test,
    Production,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentInfo {
    pub environment: EnvironmentLabel,
    /// The server's version (Cargo package version).
    pub version: String,
    /// The modules this deployment offers, in front-page order.
    pub modules: Vec<Module>,
}
