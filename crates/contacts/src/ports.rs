//! The ports of `core` this module answers for other modules.

use adgang_core::ports::{BoundContactPoints, DeliveryPoint, DeliveryPoints, DynConnection};
use adgang_core::Cvr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::contact_point;

/// Which contact points are bound to a system, by name (SYS-12 asks before a system goes).
pub struct BoundContactPointsPort;

#[async_trait::async_trait]
impl BoundContactPoints for BoundContactPointsPort {
    async fn names(
        &self,
        db: &dyn ConnectionTrait,
        org: &Cvr,
        system_id: &str,
    ) -> Result<Vec<String>, DbErr> {
        Ok(contact_point::Entity::find()
            .filter(contact_point::Column::OrganisationCvr.eq(org.as_str()))
            .filter(contact_point::Column::RecipientSystemId.eq(system_id))
            .order_by_asc(contact_point::Column::Name)
            .all(&DynConnection(db))
            .await?
            .into_iter()
            .map(|p| p.name)
            .collect())
    }
}

/// A recipient organisation's contact point as delivery needs it (CS-01 capacity, CS-05 binding).
pub struct DeliveryPointsPort;

#[async_trait::async_trait]
impl DeliveryPoints for DeliveryPointsPort {
    async fn point(
        &self,
        db: &dyn ConnectionTrait,
        organisation: &Cvr,
        id: &str,
    ) -> Result<Option<DeliveryPoint>, DbErr> {
        Ok(contact_point::Entity::find_by_id(id.to_owned())
            .filter(contact_point::Column::OrganisationCvr.eq(organisation.as_str()))
            .one(&DynConnection(db))
            .await?
            .map(delivery_point))
    }

    async fn points(
        &self,
        db: &dyn ConnectionTrait,
        organisation: &Cvr,
    ) -> Result<Vec<DeliveryPoint>, DbErr> {
        Ok(contact_point::Entity::find()
            .filter(contact_point::Column::OrganisationCvr.eq(organisation.as_str()))
            .order_by_asc(contact_point::Column::Name)
            .all(&DynConnection(db))
            .await?
            .into_iter()
            .map(delivery_point)
            .collect())
    }
}

fn delivery_point(p: contact_point::Model) -> DeliveryPoint {
    DeliveryPoint {
        id: p.id,
        name: p.name,
        active: p.active,
        max_message_size_bytes: u64::try_from(p.max_message_size_bytes).unwrap_or(0),
        max_attachments: u32::try_from(p.max_attachments).unwrap_or(0),
        recipient_system_id: p.recipient_system_id,
    }
}
