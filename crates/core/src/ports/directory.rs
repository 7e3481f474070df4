//! The directory of organisations, users, rights and machine clients, as the built-in test
//! IdP and the test portal (AUTH-02) see it. Implemented by the identity module, which owns
//! those tables; everything written through it is written by identity's own services, so it
//! is exactly what production data looks like and is in the actions log.

use adgang_api_types::{OrgKind, Right};
use chrono::{DateTime, Utc};

use crate::{Cvr, FieldErrors};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryUser {
    /// The IdP subject: RID or UUID.
    pub subject: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryOrganisation {
    pub cvr: String,
    pub name: String,
    pub kind: OrgKind,
    /// When the authority joined (accepted the agreement); `None` while onboarding waits.
    pub joined_at: Option<DateTime<Utc>>,
}

/// A right a user holds in an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RightGrant {
    pub subject: String,
    pub organisation_cvr: String,
    pub right: Right,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryMachineClient {
    pub client_id: String,
    pub name: String,
    pub organisation_cvr: String,
    pub rights: Vec<Right>,
}

/// Everything in the directory, sorted as the test portal lists it (organisations and users by
/// name, machine clients oldest first).
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub organisations: Vec<DirectoryOrganisation>,
    pub users: Vec<DirectoryUser>,
    pub grants: Vec<RightGrant>,
    pub machine_clients: Vec<DirectoryMachineClient>,
}

pub struct NewDirectoryOrganisation {
    pub cvr: Cvr,
    pub name: String,
    pub kind: OrgKind,
    /// Already joined: the authority skips onboarding (AUTH-04).
    pub joined: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("organisation {0} already exists")]
    OrganisationExists(String),
    #[error("a user with subject {0} already exists")]
    UserExists(String),
    #[error("organisation not found")]
    OrganisationNotFound,
    #[error("user not found")]
    UserNotFound,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[async_trait::async_trait]
pub trait UserDirectory: Send + Sync {
    /// Every user, by name (the test IdP's login page).
    async fn users(&self) -> Result<Vec<DirectoryUser>, DirectoryError>;

    /// The user with this IdP subject.
    async fn user(&self, subject: &str) -> Result<Option<DirectoryUser>, DirectoryError>;

    /// The whole directory (the test portal's overview).
    async fn directory(&self) -> Result<Directory, DirectoryError>;
    async fn create_organisation(
        &self,
        new: NewDirectoryOrganisation,
    ) -> Result<(), DirectoryError>;

    /// A new user; refused when the subject is taken.
    async fn create_user(&self, subject: &str, name: &str) -> Result<(), DirectoryError>;

    /// Grants every right in one transaction, logged with actor `System` (the test portal
    /// stands in for the external rights portal).
    async fn grant(&self, subject: &str, cvr: &Cvr, rights: &[Right])
        -> Result<(), DirectoryError>;

    async fn revoke(&self, subject: &str, cvr: &Cvr, right: Right) -> Result<(), DirectoryError>;

    /// Registers a machine client; returns it with its secret, shown once.
    async fn register_machine_client(
        &self,
        cvr: &Cvr,
        name: &str,
        rights: &[Right],
    ) -> Result<(DirectoryMachineClient, String), DirectoryError>;
}

/// The authorities among the organisations (ST-06 customer types): all statistics asks of the
/// directory, so all it is given.
#[async_trait::async_trait]
pub trait Authorities: Send + Sync {
    /// The CVR numbers of the authorities.
    async fn authorities(&self) -> Result<Vec<Cvr>, DirectoryError>;
}
