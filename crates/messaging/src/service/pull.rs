//! The pull protocol (CORE-03): a REST PULL or PUBLISH/SUBSCRIBE recipient system lists the
//! messages waiting in its mailbox and acknowledges them (`Afhentet`).

use super::notices::{self, Trouble};
use adgang_api_types::{MessageEvent, NewMemo};
use adgang_core::audit::record_message_events;
use adgang_core::ports::ConnectedSystem;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::routing::event_of;
use super::State;
use crate::entity::message;
use crate::error::MessagingError;

/// A message waiting in a mailbox, as submitted.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WaitingMessage {
    pub accepted_at: DateTime<Utc>,
    pub memo: NewMemo,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Acknowledgement {
    #[schema(min_items = 1, max_items = 100)]
    pub message_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Acknowledged {
    /// The ids that were waiting and are now collected.
    pub collected: Vec<String>,
}

fn queue(system: &ConnectedSystem) -> sea_orm::Select<message::Entity> {
    message::Entity::find()
        .filter(message::Column::RecipientSystemId.eq(system.id.as_str()))
        .filter(message::Column::State.eq(State::Queued.as_str()))
}

/// The oldest `limit` messages waiting for `system`.
pub async fn waiting(
    db: &DatabaseConnection,
    system: &ConnectedSystem,
    limit: u32,
) -> Result<Vec<WaitingMessage>, MessagingError> {
    let rows = queue(system)
        .order_by_asc(message::Column::AcceptedAt)
        .limit(u64::from(limit))
        .all(db)
        .await?;
    rows.into_iter()
        .map(|m| {
            let memo = serde_json::from_str(&m.content)
                .map_err(|e| anyhow::anyhow!("stored memo {} unreadable: {e}", m.id))?;
            Ok(WaitingMessage {
                accepted_at: m.accepted_at,
                memo,
            })
        })
        .collect()
}

/// CORE-03: the acknowledged messages are collected — each once, with `Afhentet` in the
/// recipient organisation's log and `Tilgængelig for modtageren` in the sender's.
pub async fn acknowledge(
    db: &DatabaseConnection,
    system: &ConnectedSystem,
    ack: &Acknowledgement,
    now: DateTime<Utc>,
) -> Result<Acknowledged, MessagingError> {
    if ack.message_ids.is_empty() || ack.message_ids.len() > 100 {
        return Err(MessagingError::field(
            "messageIds",
            adgang_api_types::FieldCode::TooMany,
            "Acknowledge 1 to 100 messages at a time.",
        ));
    }
    let keys: Vec<String> = ack
        .message_ids
        .iter()
        .map(|id| super::message_id_key(id))
        .collect();
    let txn = db.begin().await?;
    let found = queue(system)
        .filter(message::Column::MessageId.is_in(keys))
        .all(&txn)
        .await?;
    let mut collected = Vec::new();
    let mut events = Vec::new();
    for msg in found {
        // Guarded: a concurrent acknowledgement of the same message collects it once.
        let taken = message::Entity::update_many()
            .col_expr(
                message::Column::State,
                Expr::value(State::Collected.as_str()),
            )
            .col_expr(message::Column::DeliveredAt, Expr::value(now))
            .filter(message::Column::Id.eq(&msg.id))
            .filter(message::Column::State.eq(State::Queued.as_str()))
            .exec(&txn)
            .await?;
        if taken.rows_affected == 1 {
            let mut incoming =
                event_of(&msg, &system.organisation_cvr, MessageEvent::Collected, now);
            incoming.system_id = Some(system.id.clone());
            events.push(incoming);
            events.push(event_of(
                &msg,
                &msg.sender_cvr,
                MessageEvent::AvailableToRecipient,
                now,
            ));
            collected.push(msg.message_id);
        }
    }
    record_message_events(&txn, events).await?;
    // SYS-06: it collects, so an episode of uncollected mail is over.
    if !collected.is_empty() {
        notices::reached(&txn, &[system.id.as_str()], Trouble::Uncollected).await?;
    }
    txn.commit().await?;
    Ok(Acknowledged { collected })
}
