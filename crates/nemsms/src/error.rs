use adgang_api_types::{ConflictReason, FieldCode};
use adgang_core::{DomainError, FieldErrors};
use adgang_registry::party::PartyError;

#[derive(Debug, thiserror::Error)]
pub enum NemSmsError {
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// SMS-03: unenrolled in the meantime.
    #[error("the enrolment has ended")]
    Ended,
    #[error("the register is unavailable: {0}")]
    RegistryUnavailable(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl NemSmsError {
    pub fn field(field: &str, code: FieldCode, message: &str) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, code, message);
        NemSmsError::Validation(errors)
    }
}

impl From<sea_orm::DbErr> for NemSmsError {
    fn from(err: sea_orm::DbErr) -> Self {
        NemSmsError::Unexpected(anyhow::Error::new(err).context("NemSMS database operation"))
    }
}

impl From<PartyError> for NemSmsError {
    fn from(err: PartyError) -> Self {
        match err {
            PartyError::Invalid(fields) => NemSmsError::Validation(fields),
            PartyError::Unavailable(why) => NemSmsError::RegistryUnavailable(why),
            PartyError::Database(err) => err.into(),
        }
    }
}

impl From<NemSmsError> for DomainError {
    fn from(err: NemSmsError) -> Self {
        match err {
            NemSmsError::Validation(fields) => DomainError::Validation(fields),
            NemSmsError::NotFound(what) => DomainError::NotFound(what),
            NemSmsError::Ended => DomainError::Conflict {
                reason: ConflictReason::EnrolmentEnded,
                detail: "The NemSMS enrolment has been ended.".to_owned(),
                items: vec![],
            },
            NemSmsError::RegistryUnavailable(why) => DomainError::Unavailable(why),
            NemSmsError::Unexpected(err) => DomainError::Unexpected(err),
        }
    }
}
