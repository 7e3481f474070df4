use adgang_api_types::ConflictReason;
use adgang_api_types::FieldCode;
use adgang_core::{DomainError, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum SystemsError {
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("conflict ({reason:?}): {detail}")]
    Conflict {
        reason: ConflictReason,
        detail: String,
        items: Vec<String>,
    },
    #[error("the CVR register is unavailable")]
    RegistryUnavailable,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for SystemsError {
    fn from(err: sea_orm::DbErr) -> Self {
        SystemsError::Unexpected(anyhow::Error::new(err).context("systems database operation"))
    }
}

impl From<SystemsError> for DomainError {
    fn from(err: SystemsError) -> Self {
        match err {
            SystemsError::Validation(fields) => DomainError::Validation(fields),
            SystemsError::NotFound(what) => DomainError::NotFound(what),
            SystemsError::Conflict {
                reason,
                detail,
                items,
            } => DomainError::Conflict {
                reason,
                detail,
                items,
            },
            SystemsError::RegistryUnavailable => DomainError::Unavailable("cvr register".into()),
            SystemsError::Unexpected(err) => DomainError::Unexpected(err),
        }
    }
}

/// A single field error.
pub fn field(field: &str, code: FieldCode, message: &str) -> SystemsError {
    let mut errors = FieldErrors::new();
    errors.add(field, code, message);
    SystemsError::Validation(errors)
}
