use adgang_api_types::ConflictReason;
use adgang_core::{DomainError, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("organisation not found")]
    OrganisationNotFound,
    #[error("organisation {0} already exists")]
    OrganisationExists(String),
    #[error("the organisation has already joined")]
    AlreadyOnboarded,
    #[error("no valid session")]
    SessionInvalid,
    /// Issue 32: revoking the organisation's last `rights_admin`.
    #[error("the organisation's last rights administrator")]
    LastRightsAdmin,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for IdentityError {
    fn from(err: sea_orm::DbErr) -> Self {
        IdentityError::Unexpected(anyhow::Error::new(err).context("identity database operation"))
    }
}

impl From<IdentityError> for DomainError {
    fn from(err: IdentityError) -> Self {
        match err {
            IdentityError::Validation(fields) => DomainError::Validation(fields),
            IdentityError::OrganisationNotFound => DomainError::NotFound("organisation"),
            IdentityError::OrganisationExists(cvr) => DomainError::Conflict {
                reason: ConflictReason::OrganisationExists,
                detail: format!("Organisation {cvr} already exists."),
                items: vec![],
            },
            IdentityError::AlreadyOnboarded => DomainError::Conflict {
                reason: ConflictReason::AlreadyOnboarded,
                detail: "The organisation has already joined Digital Post.".into(),
                items: vec![],
            },
            IdentityError::SessionInvalid => DomainError::Unauthorized,
            IdentityError::LastRightsAdmin => DomainError::Conflict {
                reason: ConflictReason::LastRightsAdmin,
                detail: "The organisation must keep at least one rights administrator: grant \
                         the right to someone else first."
                    .into(),
                items: vec![],
            },
            IdentityError::Unexpected(err) => DomainError::Unexpected(err),
        }
    }
}
