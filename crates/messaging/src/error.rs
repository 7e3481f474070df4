use adgang_api_types::{ConflictReason, FieldCode};
use adgang_core::{DomainError, FieldErrors, SystemRefusal};

#[derive(Debug, thiserror::Error)]
pub enum MessagingError {
    #[error("validation failed")]
    Validation(FieldErrors),
    /// No system id, an unknown system or a wrong API key.
    #[error("not authenticated")]
    Unauthenticated,
    #[error("system refused: {0:?}")]
    Refused(SystemRefusal),
    /// Issue 31: too many wrong API keys for the system or from the address.
    #[error("too many failed authentications")]
    TooManyFailures { retry_after_seconds: u64 },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("message id reused for other content")]
    MessageIdReused,
    /// RC-03, MV-04: refused by the current state.
    #[error("conflict: {0:?}")]
    Conflict(ConflictReason),
    #[error("the CVR register is unavailable")]
    RegistryUnavailable,
    /// A job the request waits on is down (intake's writer): 503.
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl MessagingError {
    pub fn field(field: &str, code: FieldCode, message: impl Into<String>) -> MessagingError {
        let mut errors = FieldErrors::new();
        errors.add(field, code, message);
        MessagingError::Validation(errors)
    }
}

impl From<sea_orm::DbErr> for MessagingError {
    fn from(err: sea_orm::DbErr) -> Self {
        MessagingError::Unexpected(anyhow::Error::new(err).context("messaging database operation"))
    }
}

impl From<DomainError> for MessagingError {
    /// A body that could not be read or parsed (core::json) — a technical rejection.
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Validation(fields) => MessagingError::Validation(fields),
            other => MessagingError::Unexpected(anyhow::anyhow!("{other}")),
        }
    }
}

impl From<MessagingError> for DomainError {
    fn from(err: MessagingError) -> Self {
        match err {
            MessagingError::Validation(fields) => DomainError::Validation(fields),
            MessagingError::Unauthenticated => DomainError::Unauthorized,
            MessagingError::Refused(refusal) => DomainError::SystemRefused(refusal),
            MessagingError::TooManyFailures {
                retry_after_seconds,
            } => DomainError::TooManyRequests {
                retry_after_seconds,
                why: adgang_core::error::TooMany::FailedAuthentications,
            },
            MessagingError::NotFound(what) => DomainError::NotFound(what),
            MessagingError::MessageIdReused => DomainError::Conflict {
                reason: ConflictReason::MessageIdReused,
                detail: "The message id was used before for a different message.".to_owned(),
                items: vec![],
            },
            MessagingError::Conflict(reason) => DomainError::Conflict {
                reason,
                detail: match reason {
                    ConflictReason::MoveMailRunning => {
                        "A move of the organisation's mail is running."
                    }
                    ConflictReason::NoValueDate => {
                        "The message has no value date; it was sent at once."
                    }
                    ConflictReason::AlreadyRecalled => "The message has been recalled already.",
                    ConflictReason::ValueDatePassed => {
                        "The value date has come; the message has been sent."
                    }
                    _ => "Conflicts with the current state.",
                }
                .to_owned(),
                items: vec![],
            },
            MessagingError::RegistryUnavailable => DomainError::Unavailable("cvr register".into()),
            MessagingError::Unavailable(why) => DomainError::Unavailable(why),
            MessagingError::Unexpected(err) => DomainError::Unexpected(err),
        }
    }
}
