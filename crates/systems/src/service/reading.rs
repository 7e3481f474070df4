//! Reading systems: the organisation's list, the overview's summary rows (SYS-11) and one
//! system by id.

use super::*;

/// The organisation's systems, by name (one query).
pub async fn list(
    db: &impl ConnectionTrait,
    owner: &Cvr,
) -> Result<Vec<system::Model>, SystemsError> {
    Ok(system::Entity::find()
        .filter(system::Column::OrganisationCvr.eq(owner.as_str()))
        .order_by_asc(system::Column::Name)
        .order_by_asc(system::Column::Id)
        .all(db)
        .await?)
}

/// The overview's columns only, for the hot list path (SYS-11).
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct SummaryRow {
    pub id: String,
    pub name: String,
    pub role: String,
    pub protocol: String,
    pub active_from: Option<DateTime<Utc>>,
    pub active_to: Option<DateTime<Utc>>,
    pub is_primary: bool,
    pub created_at: DateTime<Utc>,
}

pub async fn list_summaries(
    db: &impl ConnectionTrait,
    owner: &Cvr,
) -> Result<Vec<SummaryRow>, SystemsError> {
    use sea_orm::QuerySelect;
    Ok(system::Entity::find()
        .select_only()
        .columns([
            system::Column::Id,
            system::Column::Name,
            system::Column::Role,
            system::Column::Protocol,
            system::Column::ActiveFrom,
            system::Column::ActiveTo,
            system::Column::IsPrimary,
            system::Column::CreatedAt,
        ])
        .filter(system::Column::OrganisationCvr.eq(owner.as_str()))
        .order_by_asc(system::Column::Name)
        .order_by_asc(system::Column::Id)
        .into_model::<SummaryRow>()
        .all(db)
        .await?)
}

pub fn summary_dto(row: &SummaryRow, now: DateTime<Utc>) -> adgang_api_types::SystemSummary {
    adgang_api_types::SystemSummary {
        id: row.id.clone(),
        name: row.name.clone(),
        role: SystemRole::parse(&row.role).unwrap_or(SystemRole::Sender),
        protocol: Protocol::parse(&row.protocol).unwrap_or(Protocol::RestPull),
        status: SystemStatus::derive(row.active_from, row.active_to, now),
        is_primary: row.is_primary,
    }
}

/// One of the organisation's systems; any other organisation's is "not found".
pub async fn get(
    db: &impl ConnectionTrait,
    owner: &Cvr,
    id: &str,
) -> Result<system::Model, SystemsError> {
    system::Entity::find_by_id(id)
        .filter(system::Column::OrganisationCvr.eq(owner.as_str()))
        .one(db)
        .await?
        .ok_or(SystemsError::NotFound("system"))
}
