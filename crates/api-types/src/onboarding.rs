//! Onboarding of authorities (AUTH-04): accept the connection agreement, upload it signed,
//! designate a rights administrator. Until then nothing else is open for the organisation.

use serde::{Deserialize, Serialize};

use crate::OrganisationUser;

/// The agreement the authority accepts ("Aftale om tilslutning til og benyttelse af Digital
/// Post"), as shown before acceptance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConnectionAgreement {
    pub title: String,
    /// Which text was accepted; stored in the actions log with the acceptance.
    pub version: String,
    pub paragraphs: Vec<String>,
}

/// The uploaded signed agreement (the PDF itself is kept, not returned here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SignedAgreement {
    pub size_bytes: u64,
    pub page_count: u32,
    /// Lower-case hex SHA-256 of the file: the receipt's fingerprint.
    pub sha256: String,
    pub uploaded_at: chrono::DateTime<chrono::Utc>,
}

/// Where the current organisation stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OnboardingStatus {
    /// True until the authority has completed onboarding; always false for companies.
    pub required: bool,
    /// When the agreement was accepted (absent for companies and before completion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub agreement: ConnectionAgreement,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_agreement: Option<SignedAgreement>,
    /// The organisation's users, any of whom can be designated rights administrator.
    pub users: Vec<OrganisationUser>,
    /// The largest signed agreement accepted, in bytes.
    pub max_document_bytes: u64,
}

/// Complete onboarding. The signed agreement must have been uploaded first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OnboardingCompletion {
    /// Must be true: the caller accepts the agreement on the organisation's behalf.
    pub accept_agreement: bool,
    pub rights_admin: RightsAdminDesignation,
}

/// The organisation's rights administrator: an existing user (by RID/UUID) or a new one (give
/// the name too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RightsAdminDesignation {
    /// RID/UUID at the identity provider.
    pub user_id: String,
    /// Required when the user is not known here yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where the designated administrator is told, with the link to the rights portal where
    /// they give their colleagues rights (the guide's §3.1.1). Required.
    #[serde(default)]
    pub email: String,
}
