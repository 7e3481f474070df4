use adgang_api_types::{ConflictReason, FieldCode};
use adgang_core::{DomainError, FieldErrors};
use adgang_registry::party::PartyError;

#[derive(Debug, thiserror::Error)]
pub enum MailAccessError {
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// ACC-04: revoked or expired in the meantime.
    #[error("the access has ended")]
    Ended,
    #[error("the register is unavailable: {0}")]
    RegistryUnavailable(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl MailAccessError {
    pub fn field(field: &str, code: FieldCode, message: &str) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, code, message);
        MailAccessError::Validation(errors)
    }
}

impl From<sea_orm::DbErr> for MailAccessError {
    fn from(err: sea_orm::DbErr) -> Self {
        MailAccessError::Unexpected(
            anyhow::Error::new(err).context("mail-access database operation"),
        )
    }
}

impl From<PartyError> for MailAccessError {
    fn from(err: PartyError) -> Self {
        match err {
            PartyError::Invalid(fields) => MailAccessError::Validation(fields),
            PartyError::Unavailable(why) => MailAccessError::RegistryUnavailable(why),
            PartyError::Database(err) => err.into(),
        }
    }
}

impl From<MailAccessError> for DomainError {
    fn from(err: MailAccessError) -> Self {
        match err {
            MailAccessError::Validation(fields) => DomainError::Validation(fields),
            MailAccessError::NotFound(what) => DomainError::NotFound(what),
            MailAccessError::Ended => DomainError::Conflict {
                reason: ConflictReason::AccessEnded,
                detail: "The access has been revoked or has expired.".to_owned(),
                items: vec![],
            },
            MailAccessError::RegistryUnavailable(why) => DomainError::Unavailable(why),
            MailAccessError::Unexpected(err) => DomainError::Unexpected(err),
        }
    }
}
