use adgang_api_types::ConflictReason;
use adgang_core::{DomainError, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum ExemptionError {
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// EX-02/EX-04: the party is exempt already.
    #[error("already exempt")]
    AlreadyExempt,
    /// EX-03/EX-04: lifted or expired in the meantime.
    #[error("the exemption has ended")]
    Ended,
    #[error("the register is unavailable: {0}")]
    RegistryUnavailable(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl ExemptionError {
    pub fn field(field: &str, code: adgang_api_types::FieldCode, message: &str) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, code, message);
        ExemptionError::Validation(errors)
    }
}

impl From<sea_orm::DbErr> for ExemptionError {
    fn from(err: sea_orm::DbErr) -> Self {
        ExemptionError::Unexpected(anyhow::Error::new(err).context("exemptions database operation"))
    }
}

impl From<adgang_registry::party::PartyError> for ExemptionError {
    fn from(err: adgang_registry::party::PartyError) -> Self {
        use adgang_registry::party::PartyError;
        match err {
            PartyError::Invalid(fields) => ExemptionError::Validation(fields),
            PartyError::Unavailable(why) => ExemptionError::RegistryUnavailable(why),
            PartyError::Database(err) => err.into(),
        }
    }
}

impl From<ExemptionError> for DomainError {
    fn from(err: ExemptionError) -> Self {
        match err {
            ExemptionError::Validation(fields) => DomainError::Validation(fields),
            ExemptionError::NotFound(what) => DomainError::NotFound(what),
            ExemptionError::AlreadyExempt => DomainError::Conflict {
                reason: ConflictReason::AlreadyExempt,
                detail: "The party is exempt from Digital Post already.".to_owned(),
                items: vec![],
            },
            ExemptionError::Ended => DomainError::Conflict {
                reason: ConflictReason::ExemptionEnded,
                detail: "The exemption has been lifted or has expired.".to_owned(),
                items: vec![],
            },
            ExemptionError::RegistryUnavailable(why) => DomainError::Unavailable(why),
            ExemptionError::Unexpected(err) => DomainError::Unexpected(err),
        }
    }
}
