//! Business receipts (forretningskvitteringer, CORE-03): a recipient system reports on a
//! message it received; Digital Post passes the receipt to the sender system — pushed to its
//! receipt endpoint on the retry schedule, or waiting for a pull sender to collect. Events:
//! `Forretningskvittering modtaget` (recipient's log), `… sendt` / `… fejlet` (sender's log).

use adgang_api_types::MessageEvent;
use adgang_api_types::Protocol;
use adgang_core::audit::record_message_events;
use adgang_core::ports::ConnectedSystem;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::routing::{event_of, job};
use super::{JobKind, Ports, State};
use crate::entity::{business_receipt, message};
use crate::error::MessagingError;

crate::wire_enum!(
    /// Where a business receipt is (`business_receipts.state`).
    ReceiptState {
        Pushing => "pushing",
        Waiting => "waiting",
        Sent => "sent",
        Failed => "failed",
    }
);

/// What the recipient system reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptStatus {
    Received,
    Processed,
    Rejected,
}

/// A business receipt a recipient system sends about a message it received.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewBusinessReceipt {
    pub message_id: String,
    /// The sending organisation (the memo's `senderCvr`). Message ids are unique per sender, so
    /// it is needed only when two senders' memos delivered to this system share the id (then
    /// a receipt without it is refused on this field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_cvr: Option<String>,
    pub status: ReceiptStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 2000)]
    pub text: Option<String>,
}

/// A business receipt as the sender system receives it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BusinessReceipt {
    pub id: String,
    pub message_id: String,
    /// The organisation that received the message.
    pub recipient: String,
    pub status: ReceiptStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub received_at: DateTime<Utc>,
}

/// The answer to a business receipt.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReceiptAccepted {
    pub id: String,
}

/// The receipt as delivered: the stored content is this JSON.
pub fn parse(stored: &business_receipt::Model) -> Result<BusinessReceipt, MessagingError> {
    Ok(serde_json::from_str(&stored.content)
        .map_err(|e| anyhow::anyhow!("stored receipt {} unreadable: {e}", stored.id))?)
}

/// CORE-03: a recipient system's receipt on a message delivered to it goes to the sender
/// system — a job for a REST PUSH sender with a receipt endpoint, else its receipt queue.
pub async fn submit(
    db: &DatabaseConnection,
    ports: &Ports,
    system: &ConnectedSystem,
    receipt: NewBusinessReceipt,
    now: DateTime<Utc>,
) -> Result<ReceiptAccepted, MessagingError> {
    if receipt
        .text
        .as_deref()
        .is_some_and(|t| t.chars().count() > 2000)
    {
        return Err(MessagingError::field(
            "text",
            adgang_api_types::FieldCode::TooLong,
            "At most 2000 characters.",
        ));
    }
    let mut found = message::Entity::find()
        .filter(message::Column::MessageId.eq(super::message_id_key(&receipt.message_id)))
        .filter(message::Column::RecipientSystemId.eq(system.id.as_str()))
        .filter(
            message::Column::State.is_in([State::Delivered.as_str(), State::Collected.as_str()]),
        );
    if let Some(sender) = receipt.sender_cvr.as_deref() {
        found = found.filter(message::Column::SenderCvr.eq(sender.trim()));
    }
    // Ids are unique per sender: two senders may have used one id towards this system.
    let mut messages = found.limit(2).all(db).await?;
    if messages.len() > 1 {
        return Err(MessagingError::field(
            "senderCvr",
            adgang_api_types::FieldCode::Required,
            "Two senders' messages to this system have this message id; name the sender.",
        ));
    }
    let msg = messages.pop().ok_or(MessagingError::NotFound("message"))?;
    let sender = ports.systems.system(db, &msg.sender_system_id, now).await?;
    let push_to = sender
        .as_ref()
        .filter(|s| s.protocol == Protocol::RestPush && s.receipt_endpoint.is_some());
    let id = uuid::Uuid::now_v7().to_string();
    let content = BusinessReceipt {
        id: id.clone(),
        message_id: msg.message_id.clone(),
        recipient: system.organisation_cvr.clone(),
        status: receipt.status,
        text: receipt.text.clone(),
        received_at: now,
    };
    let state = if push_to.is_some() {
        ReceiptState::Pushing
    } else {
        ReceiptState::Waiting
    };
    let txn = db.begin().await?;
    business_receipt::ActiveModel {
        id: Set(id.clone()),
        message_pk: Set(msg.id.clone()),
        from_system_id: Set(system.id.clone()),
        to_system_id: Set(msg.sender_system_id.clone()),
        content: Set(serde_json::to_string(&content).map_err(anyhow::Error::from)?),
        state: Set(state.as_str().to_owned()),
        received_at: Set(now),
    }
    .insert(&txn)
    .await?;
    if let Some(sender) = push_to {
        let mut receipt_job = job(&msg, JobKind::Receipt, Some(&sender.id), now);
        receipt_job.receipt_id = Set(Some(id.clone()));
        receipt_job.insert(&txn).await?;
    }
    let mut event = event_of(
        &msg,
        &system.organisation_cvr,
        MessageEvent::BusinessReceiptReceived,
        now,
    );
    event.system_id = Some(system.id.clone());
    record_message_events(&txn, vec![event]).await?;
    txn.commit().await?;
    Ok(ReceiptAccepted { id })
}

/// The receipts waiting for a (pull) sender system, oldest first.
pub async fn waiting(
    db: &DatabaseConnection,
    system: &ConnectedSystem,
    limit: u32,
) -> Result<Vec<BusinessReceipt>, MessagingError> {
    business_receipt::Entity::find()
        .filter(business_receipt::Column::ToSystemId.eq(system.id.as_str()))
        .filter(business_receipt::Column::State.eq(ReceiptState::Waiting.as_str()))
        .order_by_asc(business_receipt::Column::ReceivedAt)
        .limit(u64::from(limit))
        .all(db)
        .await?
        .iter()
        .map(parse)
        .collect()
}

/// The sender system collected a receipt: `Forretningskvittering sendt` in its log, once.
pub async fn acknowledge(
    db: &DatabaseConnection,
    system: &ConnectedSystem,
    receipt_id: &str,
    now: DateTime<Utc>,
) -> Result<(), MessagingError> {
    let txn = db.begin().await?;
    let taken = business_receipt::Entity::update_many()
        .col_expr(
            business_receipt::Column::State,
            Expr::value(ReceiptState::Sent.as_str()),
        )
        .filter(business_receipt::Column::Id.eq(receipt_id))
        .filter(business_receipt::Column::ToSystemId.eq(system.id.as_str()))
        .filter(business_receipt::Column::State.eq(ReceiptState::Waiting.as_str()))
        .exec(&txn)
        .await?;
    if taken.rows_affected == 0 {
        return Err(MessagingError::NotFound("receipt"));
    }
    let receipt = business_receipt::Entity::find_by_id(receipt_id.to_owned())
        .one(&txn)
        .await?
        .ok_or(MessagingError::NotFound("receipt"))?;
    if let Some(msg) = message::Entity::find_by_id(receipt.message_pk)
        .one(&txn)
        .await?
    {
        let event = event_of(
            &msg,
            &msg.sender_cvr,
            MessageEvent::BusinessReceiptSent,
            now,
        );
        record_message_events(&txn, vec![event]).await?;
    }
    txn.commit().await?;
    Ok(())
}
