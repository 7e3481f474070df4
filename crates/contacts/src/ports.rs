//! The ports of `core` this module answers for other modules.

use adgang_core::ports::{BoundContactPoints, DynConnection};
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
