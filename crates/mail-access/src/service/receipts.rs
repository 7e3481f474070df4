//! Receipts (ACC-02, ACC-04): issued with each action in its transaction and kept for the
//! organisation that acted, so it can download one again.

use adgang_api_types::{MailAccessAction, MailAccessReceipt};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use adgang_core::Acting;

use super::to_dto;
use crate::entity::{mail_access, receipt};
use crate::MailAccessError;

pub(crate) async fn issue(
    db: &impl ConnectionTrait,
    acting: &Acting,
    action: MailAccessAction,
    model: &mail_access::Model,
    exemption_lifted: bool,
) -> Result<MailAccessReceipt, MailAccessError> {
    let issued = MailAccessReceipt {
        id: uuid::Uuid::now_v7().to_string(),
        action,
        access: to_dto(model),
        giver: model.giver_cpr.clone(),
        giver_name: model.giver_name.clone(),
        exemption_lifted,
        issued_at: acting.now,
        approved_by: acting.approved_by.clone(),
    };
    receipt::ActiveModel {
        id: Set(issued.id.clone()),
        organisation_cvr: Set(acting.organisation.to_string()),
        access_id: Set(model.id.clone()),
        issued_at: Set(acting.now),
        content: Set(serde_json::to_string(&issued).map_err(anyhow::Error::new)?),
    }
    .insert(db)
    .await?;
    Ok(issued)
}

/// The organisation's receipt `id`; any other is "not found".
pub async fn get(
    db: &impl ConnectionTrait,
    organisation_cvr: &str,
    id: &str,
) -> Result<MailAccessReceipt, MailAccessError> {
    let row = receipt::Entity::find_by_id(id.to_owned())
        .filter(receipt::Column::OrganisationCvr.eq(organisation_cvr))
        .one(db)
        .await?
        .ok_or(MailAccessError::NotFound("receipt"))?;
    Ok(serde_json::from_str(&row.content).map_err(anyhow::Error::new)?)
}
