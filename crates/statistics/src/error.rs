use adgang_api_types::{ConflictReason, FieldCode};
use adgang_core::{DomainError, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum StatisticsError {
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("conflict ({0:?}): {1}")]
    Conflict(ConflictReason, &'static str),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl StatisticsError {
    pub fn field(field: &str, code: FieldCode, message: &str) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, code, message);
        StatisticsError::Validation(errors)
    }
}

impl From<sea_orm::DbErr> for StatisticsError {
    fn from(err: sea_orm::DbErr) -> Self {
        StatisticsError::Unexpected(
            anyhow::Error::new(err).context("statistics database operation"),
        )
    }
}

impl From<StatisticsError> for DomainError {
    fn from(err: StatisticsError) -> Self {
        match err {
            StatisticsError::Validation(fields) => DomainError::Validation(fields),
            StatisticsError::NotFound(what) => DomainError::NotFound(what),
            StatisticsError::Conflict(reason, detail) => DomainError::Conflict {
                reason,
                detail: detail.to_owned(),
                items: vec![],
            },
            StatisticsError::Unexpected(err) => DomainError::Unexpected(err),
        }
    }
}
