//! What recall (SPEC §10, RC-02) needs from the core (CORE-04): withdraw a held message before
//! its value date, atomically against its release — of the two, exactly one happens.

use adgang_api_types::MessageEvent;
use adgang_core::audit::record_message_events;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};

use super::routing::event_of;
use super::{JobKind, State};
use crate::entity::{delivery_job, message};
use crate::error::MessagingError;

/// How a withdrawal went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Withdrawal {
    /// Withdrawn: it will never be sent (`Tilbagekaldt`).
    Recalled(Box<message::Model>),
    /// The sender has no such message.
    NotFound,
    /// It has no value date, so it was sent at once.
    NoValueDate,
    /// Its value date came: it has been released.
    AlreadyReleased,
    AlreadyRecalled,
}

/// RC-02/CORE-04: withdraws `sender_cvr`'s message `message_id` if it is still held. The state
/// change is a guarded update (`held` → `recalled`), the same guard the release takes, so a
/// recall racing the value date's release leaves exactly one of them done.
pub async fn withdraw(
    db: &DatabaseConnection,
    sender_cvr: &str,
    message_id: &str,
    now: DateTime<Utc>,
) -> Result<Withdrawal, MessagingError> {
    let find = || {
        message::Entity::find()
            .filter(message::Column::SenderCvr.eq(sender_cvr))
            .filter(message::Column::MessageId.eq(message_id))
    };
    // Write first: on SQLite a transaction that reads before it writes cannot wait for the
    // write lock; one that starts with the write does.
    let txn = db.begin().await?;
    let taken = message::Entity::update_many()
        .col_expr(
            message::Column::State,
            Expr::value(State::Recalled.as_str()),
        )
        .filter(message::Column::SenderCvr.eq(sender_cvr))
        .filter(message::Column::MessageId.eq(message_id))
        .filter(message::Column::State.eq(State::Held.as_str()))
        .exec(&txn)
        .await?;
    if taken.rows_affected == 0 {
        txn.rollback().await?;
        let current = find().one(db).await?;
        return Ok(match current {
            None => Withdrawal::NotFound,
            Some(m) if m.value_date.is_none() => Withdrawal::NoValueDate,
            Some(m) if m.state == State::Recalled.as_str() => Withdrawal::AlreadyRecalled,
            Some(_) => Withdrawal::AlreadyReleased,
        });
    }
    let msg = find()
        .one(&txn)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the recalled message vanished"))?;
    delivery_job::Entity::delete_many()
        .filter(delivery_job::Column::MessagePk.eq(&msg.id))
        .filter(delivery_job::Column::Kind.eq(JobKind::Release.as_str()))
        .exec(&txn)
        .await?;
    record_message_events(
        &txn,
        vec![event_of(&msg, &msg.sender_cvr, MessageEvent::Recalled, now)],
    )
    .await?;
    txn.commit().await?;
    Ok(Withdrawal::Recalled(Box::new(msg)))
}
