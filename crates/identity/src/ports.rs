//! The port of `core` this module answers: the [`UserDirectory`] for the built-in test IdP and
//! the test portal (AUTH-02). They see organisations, users, rights and machine clients only
//! through it, and everything they write goes through this module's own services (so it is in
//! the actions log, with actor `System`: the test portal stands in for the external rights
//! portal).

use std::sync::Arc;

use adgang_api_types::Right;
use adgang_core::audit::Actor;
use adgang_core::ports::{
    Directory, DirectoryError, DirectoryMachineClient, DirectoryOrganisation, DirectoryUser,
    NewDirectoryOrganisation, RightGrant, UserDirectory,
};
use adgang_core::{Clock, Cvr};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};

use crate::entity::{machine_client, organisation, user, user_right};
use crate::service::NewOrganisation;
use crate::service::{self, machine_clients, rights};
use crate::IdentityError;

/// The directory over this module's tables.
pub struct IdentityDirectory {
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
}

impl From<IdentityError> for DirectoryError {
    fn from(err: IdentityError) -> Self {
        match err {
            IdentityError::Validation(fields) => DirectoryError::Validation(fields),
            IdentityError::OrganisationExists(cvr) => DirectoryError::OrganisationExists(cvr),
            IdentityError::OrganisationNotFound => DirectoryError::OrganisationNotFound,
            other => DirectoryError::Unexpected(anyhow::Error::new(other)),
        }
    }
}

fn unexpected(err: sea_orm::DbErr) -> DirectoryError {
    DirectoryError::Unexpected(anyhow::Error::new(err).context("reading the user directory"))
}

fn directory_user(model: user::Model) -> DirectoryUser {
    DirectoryUser {
        subject: model.subject,
        name: model.name,
    }
}

fn directory_client(model: &machine_client::Model) -> DirectoryMachineClient {
    DirectoryMachineClient {
        client_id: model.client_id.clone(),
        name: model.name.clone(),
        organisation_cvr: model.organisation_cvr.clone(),
        rights: machine_clients::rights_of(model),
    }
}

impl IdentityDirectory {
    async fn known_user(&self, subject: &str) -> Result<user::Model, DirectoryError> {
        rights::user_by_subject(&self.db, subject)
            .await?
            .ok_or(DirectoryError::UserNotFound)
    }
}

#[async_trait::async_trait]
impl UserDirectory for IdentityDirectory {
    async fn users(&self) -> Result<Vec<DirectoryUser>, DirectoryError> {
        let users = user::Entity::find().order_by_asc(user::Column::Name);
        Ok(users
            .all(&self.db)
            .await
            .map_err(unexpected)?
            .into_iter()
            .map(directory_user)
            .collect())
    }

    async fn user(&self, subject: &str) -> Result<Option<DirectoryUser>, DirectoryError> {
        Ok(rights::user_by_subject(&self.db, subject)
            .await?
            .map(directory_user))
    }

    async fn directory(&self) -> Result<Directory, DirectoryError> {
        let db = &self.db;
        let organisations = organisation::Entity::find().order_by_asc(organisation::Column::Name);
        let organisations = organisations.all(db).await.map_err(unexpected)?;
        let users = user::Entity::find().order_by_asc(user::Column::Name);
        let users = users.all(db).await.map_err(unexpected)?;
        let grants = user_right::Entity::find()
            .all(db)
            .await
            .map_err(unexpected)?;
        let clients =
            machine_client::Entity::find().order_by_asc(machine_client::Column::CreatedAt);
        let clients = clients.all(db).await.map_err(unexpected)?;
        // Grants name users by internal id; the directory speaks in IdP subjects.
        let subjects: std::collections::HashMap<&str, &str> = users
            .iter()
            .map(|u| (u.id.as_str(), u.subject.as_str()))
            .collect();
        let subject_of = |user_id: &str| subjects.get(user_id).map(|s| (*s).to_owned());
        Ok(Directory {
            organisations: organisations
                .into_iter()
                .map(|o| DirectoryOrganisation {
                    cvr: o.cvr,
                    name: o.name,
                    kind: o.kind.into(),
                    joined_at: o.agreement_accepted_at,
                })
                .collect(),
            grants: grants
                .into_iter()
                .filter_map(|g| {
                    Some(RightGrant {
                        subject: subject_of(&g.user_id)?,
                        organisation_cvr: g.organisation_cvr,
                        right: Right::parse(&g.right)?,
                    })
                })
                .collect(),
            users: users.iter().cloned().map(directory_user).collect(),
            machine_clients: clients.iter().map(directory_client).collect(),
        })
    }

    async fn create_organisation(
        &self,
        new: NewDirectoryOrganisation,
    ) -> Result<(), DirectoryError> {
        let now = self.clock.now();
        let new = NewOrganisation {
            cvr: new.cvr,
            name: new.name,
            kind: new.kind,
            // Not joined: an authority's first login goes through onboarding (AUTH-04).
            agreement_accepted_at: new.joined.then_some(now),
        };
        service::create_organisation(&self.db, new, now).await?;
        Ok(())
    }

    async fn create_user(&self, subject: &str, name: &str) -> Result<(), DirectoryError> {
        if rights::user_by_subject(&self.db, subject).await?.is_some() {
            return Err(DirectoryError::UserExists(subject.to_owned()));
        }
        rights::ensure_user(&self.db, subject, name, self.clock.now()).await?;
        Ok(())
    }

    async fn grant(
        &self,
        subject: &str,
        cvr: &Cvr,
        granted: &[Right],
    ) -> Result<(), DirectoryError> {
        let user = self.known_user(subject).await?;
        let now = self.clock.now();
        let txn = self.db.begin().await.map_err(unexpected)?;
        for right in granted {
            rights::grant(&txn, &Actor::System, cvr, &user, *right, now).await?;
        }
        txn.commit().await.map_err(unexpected)?;
        Ok(())
    }

    async fn revoke(&self, subject: &str, cvr: &Cvr, right: Right) -> Result<(), DirectoryError> {
        let user = self.known_user(subject).await?;
        let txn = self.db.begin().await.map_err(unexpected)?;
        rights::revoke(&txn, &Actor::System, cvr, &user, right, self.clock.now()).await?;
        txn.commit().await.map_err(unexpected)?;
        Ok(())
    }

    async fn register_machine_client(
        &self,
        cvr: &Cvr,
        name: &str,
        granted: &[Right],
    ) -> Result<(DirectoryMachineClient, String), DirectoryError> {
        let txn = self.db.begin().await.map_err(unexpected)?;
        service::get_organisation(&txn, cvr).await?;
        let (client, secret) =
            machine_clients::register(&txn, &Actor::System, cvr, name, granted, self.clock.now())
                .await?;
        txn.commit().await.map_err(unexpected)?;
        Ok((directory_client(&client), secret))
    }
}

#[async_trait::async_trait]
impl adgang_core::ports::Authorities for IdentityDirectory {
    async fn authorities(&self) -> Result<Vec<Cvr>, DirectoryError> {
        let numbers: Vec<String> = organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Cvr)
            .filter(organisation::Column::Kind.eq(organisation::Kind::Authority))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        // Organisations are created from parsed CVR numbers, so each parses again.
        Ok(numbers.iter().filter_map(|n| Cvr::parse(n).ok()).collect())
    }
}

/// Who may serve legal notices (core's [`adgang_core::ports::LegalNotificationSenders`]).
pub struct LegalNotificationPort;

#[async_trait::async_trait]
impl adgang_core::ports::LegalNotificationSenders for LegalNotificationPort {
    async fn may_serve_legal_notices(
        &self,
        db: &dyn sea_orm::ConnectionTrait,
        organisation: &Cvr,
    ) -> Result<bool, sea_orm::DbErr> {
        let db = adgang_core::ports::DynConnection(db);
        Ok(organisation::Entity::find_by_id(organisation.as_str())
            .one(&db)
            .await?
            .is_some_and(|o| o.legal_notification_allowed))
    }
}
