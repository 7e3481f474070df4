use adgang_api_types::ConflictReason;
use adgang_core::{DomainError, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum EventLogError {
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// more rows than one download streams.
    #[error("{rows} rows need an export job")]
    ExportRequired { rows: u64, limit: u64 },
    #[error("the export is not done")]
    ExportNotReady,
    /// A queue the request needs has no consumer running (the searches-log writer): 503.
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for EventLogError {
    fn from(err: sea_orm::DbErr) -> Self {
        EventLogError::Unexpected(anyhow::Error::new(err).context("event log database operation"))
    }
}

impl From<DomainError> for EventLogError {
    /// Field errors checked by core (`FieldErrors::into_result`).
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Validation(fields) => EventLogError::Validation(fields),
            DomainError::Unavailable(why) => EventLogError::Unavailable(why),
            other => EventLogError::Unexpected(anyhow::anyhow!("{other}")),
        }
    }
}

impl From<EventLogError> for DomainError {
    fn from(err: EventLogError) -> Self {
        match err {
            EventLogError::Validation(fields) => DomainError::Validation(fields),
            EventLogError::NotFound(what) => DomainError::NotFound(what),
            EventLogError::Unavailable(why) => DomainError::Unavailable(why),
            EventLogError::ExportRequired { rows, limit } => DomainError::Conflict {
                reason: ConflictReason::ExportRequired,
                detail: format!(
                    "The search matches more than {limit} rows ({rows} or more); ask for an \
                     export with POST …/exports and download it when it is done."
                ),
                items: vec![],
            },
            EventLogError::ExportNotReady => DomainError::Conflict {
                reason: ConflictReason::ExportNotReady,
                detail: "The export is still being made; its progress is at …/exports/{id}."
                    .to_owned(),
                items: vec![],
            },
            EventLogError::Unexpected(err) => DomainError::Unexpected(err),
        }
    }
}
