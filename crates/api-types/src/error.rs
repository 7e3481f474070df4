//! RFC 9457 problem details, the one error body every endpoint returns.

use serde::{Deserialize, Serialize};

/// Stable, language-neutral error codes. The SPA maps each to a Danish/English text in its i18n
/// catalogue, so the API never has to speak Danish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// One or more fields failed validation; see `errors`.
    ValidationFailed,
    /// The request body or query could not be parsed.
    MalformedRequest,
    /// No such resource (or it belongs to another organisation).
    NotFound,
    /// The route exists but not with this HTTP method.
    MethodNotAllowed,
    /// The request body exceeds the size limit.
    PayloadTooLarge,
    /// The media type of the body is not accepted.
    UnsupportedMediaType,
    /// Not authenticated.
    Unauthorized,
    /// Authenticated but lacking the right.
    Forbidden,
    /// The authority has not joined yet: only onboarding is open (AUTH-04).
    OnboardingRequired,
    /// The change conflicts with the current state.
    Conflict,
    /// Something failed on our side; details are in the server log only.
    Internal,
    /// A dependency (e.g. the database) is not available.
    Unavailable,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::MalformedRequest => "malformed_request",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::OnboardingRequired => "onboarding_required",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Internal => "internal",
            ErrorCode::Unavailable => "unavailable",
        }
    }
}

/// One field that failed validation. `field` is the JSON name (camelCase) or query parameter;
/// `code` is a stable key for the UI's i18n catalogue (e.g. `cvr_checksum`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: String,
    /// English fallback text for integrators; the SPA shows its own translation of `code`.
    pub message: String,
}

/// `application/problem+json` (RFC 9457) with our `code` and field-level `errors` extensions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// URI identifying the problem type.
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The request path the problem occurred on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    pub code: ErrorCode,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// Media type of [`Problem`] bodies.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";
