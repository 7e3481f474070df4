//! Organisations (SPEC §0): identified by CVR, of kind authority or company.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// Myndighed.
    Authority,
    /// Virksomhed.
    Company,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Authority => "authority",
            OrgKind::Company => "company",
        }
    }

    pub fn parse(s: &str) -> Option<OrgKind> {
        match s {
            "authority" => Some(OrgKind::Authority),
            "company" => Some(OrgKind::Company),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Organisation {
    /// CVR number, 8 digits, modulus-11 valid.
    #[cfg_attr(feature = "openapi", schema(examples("29189846")))]
    pub cvr_number: String,
    pub name: String,
    pub kind: OrgKind,
    /// When the authority completed onboarding (accepted the connection agreement); always
    /// absent for companies.
    pub agreement_accepted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// May serve legal notices ("forkyndelse"): the courts. Only such an organisation's
    /// legal notices are accepted, and only its message log has "Forkyndt" (LOG-01).
    #[serde(default)]
    pub legal_notification_allowed: bool,
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub street: String,
    pub postal_code: String,
    pub city: String,
}

/// An organisation as the CVR register knows it (CTX-02: what an operator sees before
/// switching).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrganisationLookup {
    pub cvr_number: String,
    pub name: String,
    pub kind: OrgKind,
    pub registered_office_address: Address,
    /// Whether the organisation is known to Administrativ Adgang.
    pub known_here: bool,
}
