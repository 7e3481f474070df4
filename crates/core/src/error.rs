//! [`DomainError`] and its single mapping to RFC 9457 problem+json.
//!
//! Every handler returns `Result<_, DomainError>`; module crates convert their own error enums
//! into it. The status mapping names every variant, so adding one forces a decision here.

use actix_web::{http::header, http::StatusCode, HttpResponse, ResponseError};
use adgang_api_types::{
    error::PROBLEM_CONTENT_TYPE, ConflictReason, ErrorCode, FieldCode, FieldError, Problem,
};

/// Field errors collected while parsing a request, so the caller sees all of them at once.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, code: FieldCode, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code,
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was added, else the collected [`DomainError::Validation`].
    pub fn into_result(self) -> Result<(), DomainError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Validation(self))
        }
    }

    /// Adds every error of `other`, in its order.
    pub fn extend(&mut self, other: FieldErrors) {
        self.0.extend(other.0);
    }

    pub fn into_inner(self) -> Vec<FieldError> {
        self.0
    }
}

/// Why an authenticated system is refused (403, each with its own stable code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemRefusal {
    /// SYS-05: Digital Post uses a system only while it is active.
    NotActive,
    /// SYS-01: the source address is not on the system's allowlist.
    AddressNotAllowed,
    /// CORE-01: only sender systems submit messages.
    NotASender,
}

impl SystemRefusal {
    pub fn code(self) -> ErrorCode {
        match self {
            SystemRefusal::NotActive => ErrorCode::SystemNotActive,
            SystemRefusal::AddressNotAllowed => ErrorCode::AddressNotAllowed,
            SystemRefusal::NotASender => ErrorCode::NotASenderSystem,
        }
    }

    pub fn detail(self) -> &'static str {
        match self {
            SystemRefusal::NotActive => "The system is not active (SYS-05).",
            SystemRefusal::AddressNotAllowed => {
                "The caller's address is not on the system's allowlist (SYS-01)."
            }
            SystemRefusal::NotASender => "The system is not a sender system.",
        }
    }
}

/// What a 429 is about (its detail says it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooMany {
    /// Every reader of uploaded files is busy (issue 29).
    FilesBeingRead,
    /// Too many failed authentications for the client or from the address (issue 31).
    FailedAuthentications,
}

impl TooMany {
    fn detail(self) -> &'static str {
        match self {
            TooMany::FilesBeingRead => "Too many uploaded files are being read",
            TooMany::FailedAuthentications => {
                "Too many failed authentications for this client or from this address"
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("not authenticated")]
    Unauthorized,
    #[error("missing right")]
    Forbidden,
    #[error("the organisation has not completed onboarding")]
    OnboardingRequired,
    #[error("conflict ({reason:?}): {detail}")]
    Conflict {
        reason: ConflictReason,
        detail: String,
        /// What stands in the way, for the caller to list.
        items: Vec<String>,
    },
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error("body larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// A 429 with `Retry-After`: the callers, not the request, are too many — every reader of
    /// uploads busy until the deadline (issue 29), or too many failed authentications (issue
    /// 31). `why` opens the problem's detail.
    #[error("too many requests; retry after {retry_after_seconds} s")]
    TooManyRequests {
        retry_after_seconds: u64,
        why: TooMany,
    },
    /// Issue 29: reading the upload in `field` went over a limit of the sandbox (a 422).
    #[error("the file in {field} went over the sandbox's {limit} limit")]
    FileTooComplex {
        field: &'static str,
        limit: crate::ports::SandboxLimit,
    },
    /// A system authenticated but may not do this (CORE-01: inactive, address, role).
    #[error("system refused: {0:?}")]
    SystemRefused(SystemRefusal),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl DomainError {
    /// A single-field validation error.
    pub fn field(field: &str, code: FieldCode, message: impl Into<String>) -> DomainError {
        let mut errors = FieldErrors::new();
        errors.add(field, code, message);
        DomainError::Validation(errors)
    }
}

impl From<sea_orm::DbErr> for DomainError {
    fn from(err: sea_orm::DbErr) -> Self {
        DomainError::Unexpected(anyhow::Error::new(err).context("database operation failed"))
    }
}

impl ResponseError for DomainError {
    fn status_code(&self) -> StatusCode {
        match self {
            DomainError::Validation(_) => StatusCode::BAD_REQUEST,
            DomainError::NotFound(_) => StatusCode::NOT_FOUND,
            DomainError::Unauthorized => StatusCode::UNAUTHORIZED,
            DomainError::Forbidden
            | DomainError::OnboardingRequired
            | DomainError::SystemRefused(_) => StatusCode::FORBIDDEN,
            DomainError::Conflict { .. } => StatusCode::CONFLICT,
            DomainError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            DomainError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            DomainError::FileTooComplex { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            DomainError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            DomainError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = problem_with(self.status_code(), self.to_problem());
        if let DomainError::TooManyRequests {
            retry_after_seconds,
            ..
        } = self
        {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from(*retry_after_seconds),
            );
        }
        if matches!(self, DomainError::Unauthorized) {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"adgang\""),
            );
        }
        response
    }
}

impl DomainError {
    /// The problem+json body this error answers with — also what a bulk file's result file
    /// says of a refused memo (issue 35).
    pub fn to_problem(&self) -> Problem {
        let (code, detail, errors) = match self {
            DomainError::Validation(fields) => (
                ErrorCode::ValidationFailed,
                Some("One or more fields are invalid.".to_owned()),
                fields.0.clone(),
            ),
            DomainError::NotFound(what) => (
                ErrorCode::NotFound,
                Some(format!("No such {what}.")),
                vec![],
            ),
            DomainError::Unauthorized => (ErrorCode::Unauthorized, None, vec![]),
            DomainError::Forbidden => (ErrorCode::Forbidden, None, vec![]),
            DomainError::OnboardingRequired => (
                ErrorCode::OnboardingRequired,
                Some("The organisation must accept the connection agreement first (/api/v1/onboarding).".to_owned()),
                vec![],
            ),
            DomainError::Conflict { detail, .. } => {
                (ErrorCode::Conflict, Some(detail.clone()), vec![])
            }
            DomainError::Unavailable(what) => {
                tracing::warn!(dependency = %what, "dependency unavailable");
                (ErrorCode::Unavailable, None, vec![])
            }
            DomainError::PayloadTooLarge(limit) => (
                ErrorCode::PayloadTooLarge,
                Some(format!("The body is larger than {limit} bytes.")),
                vec![],
            ),
            DomainError::FileTooComplex { field, limit } => (
                ErrorCode::FileTooComplex,
                Some(format!(
                    "Reading the file went over the {limit} limit for uploaded files."
                )),
                vec![FieldError {
                    field: (*field).to_owned(),
                    code: FieldCode::FileTooComplex,
                    message: "The file takes more memory or time to read than any real one; save it again or split it.".to_owned(),
                }],
            ),
            DomainError::TooManyRequests {
                retry_after_seconds,
                why,
            } => (
                ErrorCode::TooManyRequests,
                Some(format!(
                    "{}; try again in {retry_after_seconds} s.",
                    why.detail()
                )),
                vec![],
            ),
            DomainError::SystemRefused(refusal) => {
                (refusal.code(), Some(refusal.detail().to_owned()), vec![])
            }
            DomainError::Unexpected(err) => {
                // The full chain goes to the log; the client gets an opaque body.
                tracing::error!(error = ?err, "unexpected error");
                (ErrorCode::Internal, None, vec![])
            }
        };
        match self {
            DomainError::Conflict { reason, items, .. } => Problem {
                reason: Some(*reason),
                items: items.clone(),
                ..problem(self.status_code(), code, detail, errors)
            },
            _ => problem(self.status_code(), code, detail, errors),
        }
    }
}

/// Builds a problem+json response. Also used by the server for framework-level errors (unknown
/// route, wrong method, oversized body) so that every error body has the same shape.
pub fn problem_response(
    status: StatusCode,
    code: ErrorCode,
    detail: Option<String>,
    errors: Vec<FieldError>,
) -> HttpResponse {
    problem_with(status, problem(status, code, detail, errors))
}

fn problem(
    status: StatusCode,
    code: ErrorCode,
    detail: Option<String>,
    errors: Vec<FieldError>,
) -> Problem {
    Problem {
        type_: format!("urn:adgang:problem:{}", code.as_str()),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail,
        instance: None,
        code,
        errors,
        reason: None,
        items: vec![],
    }
}

fn problem_with(status: StatusCode, problem: Problem) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE))
        .body(serde_json::to_string(&problem).expect("a Problem always serialises"))
}
