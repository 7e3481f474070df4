//! What recall (SPEC §10, RC-02) needs from the core (CORE-04): withdraw a held message before
//! its value date, atomically against its release — of the two, exactly one happens.

use adgang_api_types::{ActionEvent, ConflictReason, MessageEvent, RecallCandidate, Subject};
use adgang_core::audit::{record_action, record_message_events, ActionRecord, Actor, FieldChange};
use adgang_core::Cvr;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
};

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
/// recall racing the value date's release leaves exactly one of them done. "Its value date is
/// in the future" is exactly "still held": the release is the moment the value date arrives.
/// The message log's `Tilbagekaldt` and the actions-log row naming `by` commit with it.
pub async fn withdraw(
    db: &DatabaseConnection,
    sender: &Cvr,
    message_id: &str,
    by: &Actor,
    now: DateTime<Utc>,
) -> Result<Withdrawal, MessagingError> {
    let sender_cvr = sender.as_str();
    let message_id = super::message_id_key(message_id);
    let message_id = message_id.as_str();
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
    record_action(
        &txn,
        by,
        now,
        ActionRecord {
            organisation: sender.clone(),
            subject: Subject::Recall,
            event: ActionEvent::Created,
            party: Some(msg.recipient_id.clone()),
            object_id: Some(msg.message_id.clone()),
            object_name: Some(msg.title.clone()),
            changes: vec![FieldChange::new(
                "status",
                Some(MessageEvent::HeldForValueDate.danish()),
                Some(MessageEvent::Recalled.danish()),
            )],
            reason: None,
            power_of_attorney: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Withdrawal::Recalled(Box::new(msg)))
}

/// RC-03: why a message in `state` cannot be recalled, if it cannot.
pub fn refusal(value_date: Option<chrono::NaiveDate>, state: &str) -> Option<ConflictReason> {
    match (value_date, State::parse(state)) {
        (None, _) => Some(ConflictReason::NoValueDate),
        (Some(_), Some(State::Held)) => None,
        (Some(_), Some(State::Recalled)) => Some(ConflictReason::AlreadyRecalled),
        (Some(_), _) => Some(ConflictReason::ValueDatePassed),
    }
}

/// RC-01: the organisation's own outgoing message `message_id` (id, title, recipient, value
/// date) and whether it can be recalled; `None` when the organisation sent no such message —
/// another sender's message of the same id is not seen.
pub async fn candidate(
    db: &impl ConnectionTrait,
    sender: &Cvr,
    message_id: &str,
) -> Result<Option<RecallCandidate>, MessagingError> {
    let found = message::Entity::find()
        .filter(message::Column::SenderCvr.eq(sender.as_str()))
        .filter(message::Column::MessageId.eq(super::message_id_key(message_id)))
        .one(db)
        .await?;
    Ok(found.map(|m| RecallCandidate {
        refusal: refusal(m.value_date, &m.state),
        status: State::parse(&m.state)
            .map(State::status)
            .unwrap_or(adgang_api_types::MemoStatus::Delivering),
        message_id: m.message_id,
        title: m.title,
        recipient: m.recipient_id,
        value_date: m.value_date,
    }))
}
