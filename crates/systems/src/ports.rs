//! The ports of `core` this module answers for other modules.

use adgang_core::ports::{DynConnection, RecipientSystem, RecipientSystems};
use adgang_core::Cvr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::system;
use crate::service::role_of;

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
