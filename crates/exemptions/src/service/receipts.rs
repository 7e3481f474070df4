//! Receipts (EX-02..04): issued with each action in its transaction and kept, so the
//! organisation that acted can download one again (the real portal cannot — the guide tells
//! staff to keep a copy themselves).

use adgang_api_types::{ExemptionAction, ExemptionReceipt, MailForwarding, PartyKind};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use adgang_core::Acting;

use super::forwarding_address;
use crate::entity::{exemption, exemption_receipt};
use crate::ExemptionError;

/// Stores and returns the receipt of `action` on `model`.
pub(crate) async fn issue(
    db: &impl ConnectionTrait,
    acting: &Acting,
    action: ExemptionAction,
    model: &exemption::Model,
    power_of_attorney: bool,
    note: Option<String>,
) -> Result<ExemptionReceipt, ExemptionError> {
    let kind = PartyKind::parse(&model.kind).ok_or_else(|| anyhow::anyhow!("party kind"))?;
    let receipt = ExemptionReceipt {
        id: uuid::Uuid::now_v7().to_string(),
        exemption_id: model.id.clone(),
        action,
        kind,
        party: model.party_id.clone(),
        party_name: model.party_name.clone(),
        power_of_attorney,
        forwarding: MailForwarding::parse(&model.forwarding)
            .ok_or_else(|| anyhow::anyhow!("forwarding"))?,
        forwarding_address: forwarding_address(model),
        issued_at: acting.now,
        // Every action takes effect when it is approved (EX-03: a lift at once).
        effective_at: acting.now,
        expires_at: match action {
            ExemptionAction::Lifted => None,
            ExemptionAction::Granted | ExemptionAction::Renewed => model.expires_at,
        },
        approved_by: acting.approved_by.clone(),
        note,
    };
    exemption_receipt::ActiveModel {
        id: Set(receipt.id.clone()),
        organisation_cvr: Set(acting.organisation.to_string()),
        exemption_id: Set(model.id.clone()),
        kind: Set(kind.as_str().to_owned()),
        issued_at: Set(acting.now),
        content: Set(serde_json::to_string(&receipt).map_err(anyhow::Error::new)?),
    }
    .insert(db)
    .await?;
    Ok(receipt)
}

/// The organisation's receipt `id`, when the caller's rights open its kind (`kinds`); any other
/// is "not found".
pub async fn get(
    db: &impl ConnectionTrait,
    organisation_cvr: &str,
    kinds: &[PartyKind],
    id: &str,
) -> Result<ExemptionReceipt, ExemptionError> {
    let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    let row = exemption_receipt::Entity::find_by_id(id.to_owned())
        .filter(exemption_receipt::Column::OrganisationCvr.eq(organisation_cvr))
        .filter(exemption_receipt::Column::Kind.is_in(kinds))
        .one(db)
        .await?
        .ok_or(ExemptionError::NotFound("receipt"))?;
    Ok(serde_json::from_str(&row.content).map_err(anyhow::Error::new)?)
}
