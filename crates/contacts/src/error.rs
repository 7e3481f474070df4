use adgang_core::{DomainError, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum ContactsError {
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for ContactsError {
    fn from(err: sea_orm::DbErr) -> Self {
        ContactsError::Unexpected(anyhow::Error::new(err).context("contacts database operation"))
    }
}

impl From<ContactsError> for DomainError {
    fn from(err: ContactsError) -> Self {
        match err {
            ContactsError::Validation(fields) => DomainError::Validation(fields),
            ContactsError::NotFound(what) => DomainError::NotFound(what),
            ContactsError::Unexpected(err) => DomainError::Unexpected(err),
        }
    }
}
