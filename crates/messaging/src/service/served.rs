//! LOG-01 "Forkyndt": a recipient opens a message in their platform mailbox (the built-in
//! platform is the test portal's mailbox page; e-Boks and mit.dk report the same through an
//! adapter behind the same port). A legal notice is served then — once, with `Forkyndt` in the
//! sender's log. Only organisations allowed to serve legal notices can send them (intake), so
//! the event is only ever in the courts' log, as the guide's "kun synlig for DOMST" says.

use adgang_api_types::{MessageEvent, MessageType};
use adgang_core::audit::record_message_events;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};

use super::routing::event_of;
use super::State;
use crate::entity::message;
use crate::error::MessagingError;

/// Marks `sender_cvr`'s message `message_id` in `recipient`'s platform mailbox opened at `now`;
/// a legal notice is served with it. Returns whether this was its first opening (a second is
/// no event). The update is guarded, so two openings at once serve it once.
pub async fn opened(
    db: &DatabaseConnection,
    recipient: &str,
    sender_cvr: &str,
    message_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, MessagingError> {
    let this = || {
        message::Entity::find()
            .filter(message::Column::RecipientId.eq(recipient))
            .filter(message::Column::SenderCvr.eq(sender_cvr))
            .filter(message::Column::MessageId.eq(message_id))
    };
    // Write first: on SQLite a transaction that reads before it writes cannot wait for the
    // write lock.
    let txn = db.begin().await?;
    let first = message::Entity::update_many()
        .col_expr(message::Column::OpenedAt, Expr::value(now))
        .filter(message::Column::RecipientId.eq(recipient))
        .filter(message::Column::SenderCvr.eq(sender_cvr))
        .filter(message::Column::MessageId.eq(message_id))
        .filter(message::Column::State.eq(State::Available.as_str()))
        .filter(message::Column::OpenedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    if first {
        let msg = this()
            .one(&txn)
            .await?
            .ok_or(MessagingError::NotFound("message"))?;
        if MessageType::parse(&msg.message_type) == Some(MessageType::LegalNotice) {
            let served = event_of(&msg, &msg.sender_cvr, MessageEvent::LegallyServed, now);
            record_message_events(&txn, vec![served]).await?;
        }
    }
    txn.commit().await?;
    Ok(first)
}
