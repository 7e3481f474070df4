use adgang_api_types::FieldCode;
use adgang_core::{DomainError, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum AuthorityInfoError {
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl AuthorityInfoError {
    pub fn field(field: &str, code: FieldCode, message: &str) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, code, message);
        AuthorityInfoError::Validation(errors)
    }
}

impl From<sea_orm::DbErr> for AuthorityInfoError {
    fn from(err: sea_orm::DbErr) -> Self {
        AuthorityInfoError::Unexpected(
            anyhow::Error::new(err).context("authority information database operation"),
        )
    }
}

impl From<AuthorityInfoError> for DomainError {
    fn from(err: AuthorityInfoError) -> Self {
        match err {
            AuthorityInfoError::Validation(fields) => DomainError::Validation(fields),
            AuthorityInfoError::NotFound(what) => DomainError::NotFound(what),
            AuthorityInfoError::Unexpected(err) => DomainError::Unexpected(err),
        }
    }
}
