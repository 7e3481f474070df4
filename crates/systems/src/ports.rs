//! The ports of `core` this module answers for other modules.

use adgang_core::ports::{
    ConnectedSystem, ConnectedSystems, DynConnection, RecipientSystem, RecipientSystems,
};
use adgang_core::secrets::DataKey;
use adgang_core::Cvr;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::system;
use crate::service::{ips_of, protocol_of, role_of, status_of};

/// The organisation's systems that receive mail (CS-05, CS-06 ask; SYS-04 roles decide).
pub struct RecipientSystemsPort;

fn own(org: &Cvr) -> sea_orm::Select<system::Entity> {
    system::Entity::find().filter(system::Column::OrganisationCvr.eq(org.as_str()))
}

async fn one(
    db: &dyn ConnectionTrait,
    org: &Cvr,
    id: &str,
) -> Result<Option<system::Model>, DbErr> {
    let found = own(org).filter(system::Column::Id.eq(id));
    found.one(&DynConnection(db)).await
}

/// The system, when it receives mail.
fn receiving(system: system::Model) -> Option<RecipientSystem> {
    role_of(&system).receives().then_some(RecipientSystem {
        id: system.id,
        name: system.name,
    })
}

#[async_trait::async_trait]
impl RecipientSystems for RecipientSystemsPort {
    async fn list(
        &self,
        db: &dyn ConnectionTrait,
        org: &Cvr,
    ) -> Result<Vec<RecipientSystem>, DbErr> {
        Ok(own(org)
            .order_by_asc(system::Column::Name)
            .all(&DynConnection(db))
            .await?
            .into_iter()
            .filter_map(receiving)
            .collect())
    }

    async fn recipient_system(
        &self,
        db: &dyn ConnectionTrait,
        org: &Cvr,
        id: &str,
    ) -> Result<Option<RecipientSystem>, DbErr> {
        Ok(one(db, org, id).await?.and_then(receiving))
    }

    async fn name(
        &self,
        db: &dyn ConnectionTrait,
        org: &Cvr,
        id: &str,
    ) -> Result<Option<String>, DbErr> {
        Ok(one(db, org, id).await?.map(|s| s.name))
    }
}

/// The systems Digital Post sends from and delivers to (CORE-01..03), with their API keys
/// opened with the data key.
pub struct ConnectedSystemsPort {
    pub data_key: DataKey,
}

impl ConnectedSystemsPort {
    fn connected(
        &self,
        model: system::Model,
        now: DateTime<Utc>,
    ) -> Result<ConnectedSystem, DbErr> {
        let api_key = match model.api_key_sealed.as_deref() {
            Some(sealed) => Some(self.data_key.open(sealed).map_err(|e| {
                DbErr::Custom(format!(
                    "the API key of system {} cannot be opened: {e}",
                    model.id
                ))
            })?),
            None => None,
        };
        Ok(ConnectedSystem {
            role: role_of(&model),
            protocol: protocol_of(&model),
            allowed_ips: ips_of(&model.allowed_ips),
            status: status_of(&model, now),
            api_key,
            ssh_public_key: model.ssh_public_key,
            id: model.id,
            organisation_cvr: model.organisation_cvr,
            name: model.name,
            endpoint: model.endpoint,
            receipt_endpoint: model.receipt_endpoint,
            vendor_cvr: model.vendor_cvr,
            is_primary: model.is_primary,
            contact_email: model.contact_email,
            extra_email: model.contact_extra_email.filter(|e| !e.trim().is_empty()),
        })
    }
}

#[async_trait::async_trait]
impl ConnectedSystems for ConnectedSystemsPort {
    async fn system(
        &self,
        db: &dyn ConnectionTrait,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<ConnectedSystem>, DbErr> {
        let found = system::Entity::find_by_id(id.to_owned())
            .one(&DynConnection(db))
            .await?;
        found.map(|m| self.connected(m, now)).transpose()
    }

    async fn primary(
        &self,
        db: &dyn ConnectionTrait,
        organisation: &adgang_core::Cvr,
        now: DateTime<Utc>,
    ) -> Result<Option<ConnectedSystem>, DbErr> {
        let found = system::Entity::find()
            .filter(system::Column::OrganisationCvr.eq(organisation.as_str()))
            .filter(system::Column::IsPrimary.eq(true))
            .one(&DynConnection(db))
            .await?;
        found.map(|m| self.connected(m, now)).transpose()
    }

    fn admits(&self, system: &ConnectedSystem, caller: std::net::IpAddr) -> bool {
        crate::validation::admits(&system.allowed_ips, caller)
    }
}
