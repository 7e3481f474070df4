//! Issue 31: successful pushes are recorded in groups. A push's task hands its success to the
//! dispatcher, whose next round records every success waiting in one transaction — the job
//! deleted, the message `delivered` (guarded: where a lease ran out and two workers pushed,
//! one records it), the events and the attempt — instead of one transaction per push, which
//! held delivery to the speed of SQLite's one writer. A crash before the group commits leaves
//! its jobs to be claimed again when their lease ends: the push repeats (the peer deduplicates
//! by `Idempotency-Key`), the delivery is recorded once. Failures keep their own transaction
//! (each decides its retry, fallback or notice).

use crate::service::notices::{self, Trouble};
use std::collections::HashSet;

use adgang_api_types::MessageEvent;
use adgang_core::audit::{record_message_events, MessageEventRecord};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryTrait,
    TransactionTrait,
};

use super::job::attempt_row;
use super::push::Outcome;
use crate::entity::{delivery_attempt, delivery_job, message};
use crate::service::routing::event_of;
use crate::service::{JobKind, State};

/// One successful push or notification, waiting to be recorded.
pub struct Delivered {
    pub job: delivery_job::Model,
    pub msg: message::Model,
    pub kind: JobKind,
    pub endpoint: String,
    pub outcome: Outcome,
    pub at: DateTime<Utc>,
}

/// The most successes one transaction records.
pub const GROUP: usize = 256;

/// Records `group` in one transaction.
pub async fn record(db: &DatabaseConnection, group: Vec<Delivered>) -> Result<(), DbErr> {
    if group.is_empty() {
        return Ok(());
    }
    let txn = db.begin().await?;
    delivery_job::Entity::delete_many()
        .filter(delivery_job::Column::Id.is_in(group.iter().map(|d| d.job.id.as_str())))
        .exec(&txn)
        .await?;
    let pushed: Vec<&str> = group
        .iter()
        .filter(|d| d.kind == JobKind::Push)
        .map(|d| d.msg.id.as_str())
        .collect();
    let taken = if pushed.is_empty() {
        HashSet::new()
    } else {
        let latest = group.iter().map(|d| d.at).max().unwrap_or_default();
        let mut update = message::Entity::update_many()
            .col_expr(
                message::Column::State,
                Expr::value(State::Delivered.as_str()),
            )
            .col_expr(message::Column::DeliveredAt, Expr::value(latest))
            .filter(message::Column::Id.is_in(pushed))
            .filter(message::Column::State.eq(State::Delivering.as_str()))
            .into_query();
        // RETURNING built by hand, as core's lease does: sea-orm's own refuses SQLite.
        update.returning_col(message::Column::Id);
        let statement = txn.get_database_backend().build(&update);
        txn.query_all(statement)
            .await?
            .iter()
            .map(|row| row.try_get::<String>("", "id"))
            .collect::<Result<HashSet<_>, _>>()?
    };
    let mut events = Vec::new();
    for d in group.iter().filter(|d| taken.contains(&d.msg.id)) {
        let system_id = d.job.system_id.clone().unwrap_or_default();
        let with_endpoint = |mut e: MessageEventRecord| {
            e.endpoint = Some(d.endpoint.clone());
            e.system_id = Some(system_id.clone());
            e
        };
        events.push(with_endpoint(event_of(
            &d.msg,
            &d.msg.sender_cvr,
            MessageEvent::AvailableToRecipient,
            d.at,
        )));
        events.push(with_endpoint(event_of(
            &d.msg,
            &d.msg.recipient_id,
            MessageEvent::Sent,
            d.at,
        )));
    }
    record_message_events(&txn, events).await?;
    delivery_attempt::Entity::insert_many(
        group
            .iter()
            .map(|d| attempt_row(&d.job, &d.msg, &d.endpoint, &d.outcome, d.at)),
    )
    .exec(&txn)
    .await?;
    // SYS-06: the systems were reached, so an episode of trouble with them is over.
    let reached: Vec<&str> = group
        .iter()
        .filter_map(|d| d.job.system_id.as_deref())
        .collect();
    notices::reached(&txn, &reached, Trouble::Unreachable).await?;
    txn.commit().await
}
