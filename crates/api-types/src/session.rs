//! The caller's session as the SPA sees it: who, in which organisation, with which rights.

use serde::{Deserialize, Serialize};

use crate::{Module, OrgKind, Right};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SessionOrganisation {
    pub cvr_number: String,
    pub name: String,
    pub kind: OrgKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// The user's id at the identity provider (RID/UUID).
    pub user_id: String,
    pub name: String,
    pub organisation: SessionOrganisation,
    /// The caller's rights in the current organisation.
    pub rights: Vec<Right>,
    /// The modules those rights open here, in front-page order (cards and tabs).
    pub modules: Vec<Module>,
    /// True when an operator acts on behalf of this organisation.
    pub operator: bool,
    /// The authority has not joined yet (AUTH-04): only onboarding is open until it is done.
    #[serde(default)]
    pub onboarding_required: bool,
}

/// Our access token, as the token endpoint returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccessToken {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// An organisation the caller can switch to (CTX-01).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SwitchableOrganisation {
    pub cvr_number: String,
    pub name: String,
    pub kind: OrgKind,
    /// The organisation the session acts in now.
    pub current: bool,
}

/// Switch the session to another organisation (CTX-01, CTX-02).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ContextSwitch {
    pub cvr_number: String,
}

/// Register a machine client (an integrator's system) for the client-credentials grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NewMachineClient {
    /// 1–100 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, pattern = r"\S"))]
    pub name: String,
    /// At least one; `operator` and `rights_admin` cannot be given to machines.
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub rights: Vec<Right>,
}

/// A registered machine client. `clientSecret` is shown only in this answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RegisteredMachineClient {
    pub client_id: String,
    pub client_secret: String,
    pub name: String,
    pub organisation_cvr: String,
    pub rights: Vec<Right>,
}

/// The OAuth2 token endpoint's error body (RFC 6749 §5.2; not problem+json, as the RFC says).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OAuthError {
    pub error: OAuthErrorCode,
}

/// The RFC 6749 §5.2 codes the token endpoint answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OAuthErrorCode {
    /// 400: `grant_type` is not `client_credentials`.
    UnsupportedGrantType,
    /// 401: no such client, a wrong secret, or a client that may no longer act.
    InvalidClient,
}

/// The OAuth2 token response (RFC 6749 §5.1; field names as the RFC spells them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OAuthTokenResponse {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: i64,
}

/// A user with rights in the organisation, as the rights administrator sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrganisationUser {
    /// The identity provider's subject (RID/UUID).
    pub user_id: String,
    pub name: String,
    pub rights: Vec<Right>,
}
