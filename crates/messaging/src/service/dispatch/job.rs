//! One claimed delivery job, run in its own task: a value-date release (CORE-04), a push or
//! notification (CORE-03) or a business-receipt push, recorded with its attempt, its events
//! and its next job in one transaction.

use std::sync::Arc;

use adgang_api_types::words::delivery;
use adgang_api_types::MessageEvent;
use adgang_core::audit::record_message_events;
use adgang_core::ports::ConnectedSystem;
use adgang_core::{Clock, Cvr, Outbound};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, Set, TransactionTrait,
};

use super::delivered::{record, Delivered};
use super::destinations::Slot;
use super::push::{push, Outcome};
use crate::entity::{business_receipt, delivery_attempt, delivery_job, message};
use crate::service::notices::{tell_once, Trouble};
use crate::service::receipts::ReceiptState;
use crate::service::routing::{delivery_by, event_of, send};
use crate::service::schedule::{after_failure, AfterFailure};
use crate::service::{JobKind, Ports, State};

/// What the failed attempt says when the breaker holds a destination back.
pub const PAUSED: &str = delivery::PAUSED.da;

/// What a job's task works with (shared by every task of the dispatcher).
pub struct Worker {
    pub db: DatabaseConnection,
    pub ports: Ports,
    pub clock: Arc<dyn Clock>,
    pub outbound: Outbound,
    /// Where successes go to be recorded in groups (the dispatcher's rounds).
    pub delivered: Option<tokio::sync::mpsc::UnboundedSender<Delivered>>,
}

/// Whether a job's push may go out (issue 31).
pub enum Gate {
    /// Yes, holding a place at its destination, given back with the result.
    Go(Slot),
    /// No: the destination is paused; the attempt fails at once.
    Paused,
    /// The job pushes nothing (a release, a gone message, a system without endpoint).
    Unbounded,
}

impl Gate {
    /// The push `push` as the gate allows it.
    async fn pass(self, push: impl std::future::Future<Output = Outcome>) -> Outcome {
        match self {
            Gate::Paused => Outcome::not_attempted(PAUSED),
            Gate::Unbounded => push.await,
            Gate::Go(slot) => {
                let outcome = push.await;
                slot.finish(outcome.reached());
                outcome
            }
        }
    }
}

impl Worker {
    /// Runs one claimed job; `gate` says whether its push may go out (issue 31).
    pub(super) async fn run_job(
        &self,
        job: delivery_job::Model,
        msg: Option<message::Model>,
        system: Option<ConnectedSystem>,
        gate: Gate,
    ) -> anyhow::Result<()> {
        let Some(msg) = msg else {
            delete_job(&self.db, &job).await?;
            return Ok(());
        };
        match JobKind::parse(&job.kind) {
            Some(JobKind::Release) => self.release(job, msg).await,
            Some(kind @ (JobKind::Push | JobKind::Notify)) => {
                self.deliver(kind, job, msg, system, gate).await
            }
            Some(JobKind::Receipt) => self.deliver_receipt(job, msg, system, gate).await,
            None => anyhow::bail!("unknown job kind {}", job.kind),
        }
    }

    /// CORE-04: a held message is sent on its value date, unless it was recalled — the guarded
    /// update takes it out of `held` once, whoever comes second finds it gone.
    async fn release(&self, job: delivery_job::Model, msg: message::Model) -> anyhow::Result<()> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let taken = message::Entity::update_many()
            .col_expr(message::Column::ReleasedAt, Expr::value(now))
            .filter(message::Column::Id.eq(&msg.id))
            .filter(message::Column::State.eq(State::Held.as_str()))
            .exec(&txn)
            .await?;
        delete_job(&txn, &job).await?;
        if taken.rows_affected == 1 {
            send(&txn, &self.ports, msg, true, now).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// CORE-03: a push (or a PUBLISH/SUBSCRIBE notification) to the job's system.
    async fn deliver(
        &self,
        kind: JobKind,
        job: delivery_job::Model,
        msg: message::Model,
        system: Option<ConnectedSystem>,
        gate: Gate,
    ) -> anyhow::Result<()> {
        let waiting = if kind == JobKind::Push {
            State::Delivering
        } else {
            State::Queued
        };
        if msg.state != waiting.as_str() {
            delete_job(&self.db, &job).await?;
            return Ok(());
        }
        let (endpoint, target) = reachable(&system, |s| s.endpoint.clone());
        let outcome = match (target, &system) {
            (Some(target), _) => gate.pass(self.post(kind, target, &endpoint, &msg)).await,
            (None, Some(_)) => Outcome::not_attempted(delivery::NO_ACTIVE_SYSTEM.da),
            (None, None) => Outcome::not_attempted(delivery::SYSTEM_GONE.da),
        };
        let now = self.clock.now();
        if outcome.succeeded() {
            let delivered = Delivered {
                job,
                msg,
                kind,
                endpoint,
                outcome,
                at: now,
            };
            // Recorded with the others of the dispatcher's next round; alone when no
            // dispatcher listens.
            return match &self.delivered {
                Some(group) => match group.send(delivered) {
                    Ok(()) => Ok(()),
                    Err(unsent) => Ok(record(&self.db, vec![unsent.0]).await?),
                },
                None => Ok(record(&self.db, vec![delivered]).await?),
            };
        }
        let txn = self.db.begin().await?;
        let system_id = job.system_id.clone().unwrap_or_default();
        let mut attempt = attempt_row(&job, &msg, &endpoint, &outcome, now);
        let recipient_org = msg.recipient_id.clone();

        let mut failed_event = event_of(&msg, &recipient_org, MessageEvent::SendingFailed, now);
        failed_event.endpoint = Some(endpoint.clone());
        failed_event.system_id = Some(system_id.clone());
        failed_event.error_message = outcome.error.clone();
        let mut events = vec![failed_event];
        let attempts = usize::try_from(job.attempts).unwrap_or(0) + 1;
        let mut next = after_failure(job.fallback, attempts, job.first_sent_at, now);
        let mut primary = None;
        if next == AfterFailure::FallBackToPrimary {
            // Only an organisation (CVR) has systems to fall back on.
            if let Ok(organisation) = Cvr::parse(&recipient_org) {
                primary = self
                    .ports
                    .systems
                    .primary(&txn, &organisation, now)
                    .await?
                    .filter(ConnectedSystem::is_active);
            }
            if primary.is_none() {
                next = AfterFailure::GiveUp;
            }
        }
        // SYS-06: the system's own schedule is exhausted (it falls back to the primary, or the
        // message fails): its contacts are told, once per episode.
        // A system deactivated (or deleted) on purpose is not "unreachable": nothing was tried.
        let deliberate = matches!(
            outcome.error.as_deref(),
            Some(e) if e == delivery::NO_ACTIVE_SYSTEM.da || e == delivery::SYSTEM_GONE.da
        );
        if !deliberate && matches!(next, AfterFailure::FallBackToPrimary | AfterFailure::GiveUp) {
            if let Some(system) = &system {
                tell_once(
                    &txn,
                    self.ports.mailer.as_ref(),
                    system,
                    Trouble::Unreachable,
                    &unreachable(&msg, &endpoint, &outcome),
                    now,
                )
                .await?;
            }
        }
        match (next, primary) {
            (AfterFailure::RetryAt(at), _) => {
                let mut retry = job.clone().into_active_model();
                retry.attempts = Set(job.attempts + 1);
                retry.due_at = Set(at);
                retry.update(&txn).await?;
                attempt.next_attempt_at = Set(Some(at));
            }
            (AfterFailure::FallBackToPrimary, Some(primary)) => {
                // The primary gets it its own way, whatever the failed system's was: pushed,
                // or notified and queued, or (a pull primary) queued to be collected.
                let (kind, state) = delivery_by(primary.protocol);
                let mut moved = msg.clone().into_active_model();
                moved.recipient_system_id = Set(Some(primary.id.clone()));
                moved.state = Set(state.as_str().to_owned());
                if state == State::Queued {
                    moved.queued_at = Set(Some(now));
                }
                match kind {
                    Some(kind) => {
                        let mut fallback = job.clone().into_active_model();
                        fallback.kind = Set(kind.as_str().to_owned());
                        fallback.system_id = Set(Some(primary.id.clone()));
                        fallback.attempts = Set(0);
                        fallback.fallback = Set(true);
                        fallback.first_sent_at = Set(now);
                        fallback.due_at = Set(now);
                        fallback.update(&txn).await?;
                        attempt.next_attempt_at = Set(Some(now));
                    }
                    None => delete_job(&txn, &job).await?,
                }
                moved.update(&txn).await?;
            }
            _ => {
                delete_job(&txn, &job).await?;
                let mut failed = msg.clone().into_active_model();
                failed.state = Set(State::Failed.as_str().to_owned());
                failed.update(&txn).await?;
                let mut event = event_of(&msg, &msg.sender_cvr, MessageEvent::DeliveryFailed, now);
                event.endpoint = Some(endpoint.clone());
                event.error_message = outcome.error.clone();
                events.push(event);
            }
        }
        attempt.insert(&txn).await?;
        record_message_events(&txn, events).await?;
        txn.commit().await?;
        Ok(())
    }

    /// CORE-03: a business receipt to the sender system's receipt endpoint, on the same retry
    /// schedule as a message (there is no primary system to fall back to): `Forretningskvittering
    /// sendt`, or `… fejlet` when every attempt failed.
    async fn deliver_receipt(
        &self,
        job: delivery_job::Model,
        msg: message::Model,
        system: Option<ConnectedSystem>,
        gate: Gate,
    ) -> anyhow::Result<()> {
        let receipt = match job.receipt_id.as_deref() {
            Some(id) => {
                business_receipt::Entity::find_by_id(id.to_owned())
                    .one(&self.db)
                    .await?
            }
            None => None,
        };
        let Some(receipt) = receipt.filter(|r| r.state == ReceiptState::Pushing.as_str()) else {
            delete_job(&self.db, &job).await?;
            return Ok(());
        };
        let (endpoint, target) = reachable(&system, |s| s.receipt_endpoint.clone());
        let outcome = match target {
            Some(system) => {
                let push = push(
                    &self.outbound,
                    system,
                    &endpoint,
                    &receipt.id,
                    &msg.sender_cvr,
                    receipt.content.clone(),
                    false,
                );
                gate.pass(push).await
            }
            _ => Outcome::not_attempted(delivery::NO_RECEIPT_ENDPOINT.da),
        };
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let mut attempt = attempt_row(&job, &msg, &endpoint, &outcome, now);
        let attempts = usize::try_from(job.attempts).unwrap_or(0) + 1;
        let settled = if outcome.succeeded() {
            Some((ReceiptState::Sent, MessageEvent::BusinessReceiptSent))
        } else if let AfterFailure::RetryAt(at) =
            after_failure(false, attempts, job.first_sent_at, now)
        {
            let mut retry = job.clone().into_active_model();
            retry.attempts = Set(job.attempts + 1);
            retry.due_at = Set(at);
            retry.update(&txn).await?;
            attempt.next_attempt_at = Set(Some(at));
            None
        } else {
            Some((ReceiptState::Failed, MessageEvent::BusinessReceiptFailed))
        };
        if let Some((state, event)) = settled {
            delete_job(&txn, &job).await?;
            let mut stored = receipt.into_active_model();
            stored.state = Set(state.as_str().to_owned());
            stored.update(&txn).await?;
            let mut record = event_of(&msg, &msg.sender_cvr, event, now);
            record.endpoint = Some(endpoint.clone());
            record.error_message = outcome.error.clone();
            record_message_events(&txn, vec![record]).await?;
        }
        attempt.insert(&txn).await?;
        txn.commit().await?;
        Ok(())
    }

    /// POSTs the memo (or, for PUBLISH/SUBSCRIBE, a notification) to `endpoint`.
    async fn post(
        &self,
        kind: JobKind,
        system: &ConnectedSystem,
        endpoint: &str,
        msg: &message::Model,
    ) -> Outcome {
        let body = match kind {
            JobKind::Notify => serde_json::json!({
                "messageId": msg.message_id,
                "mailboxId": system.id,
            })
            .to_string(),
            _ => msg.content.clone(),
        };
        push(
            &self.outbound,
            system,
            endpoint,
            &msg.message_id,
            &msg.sender_cvr,
            body,
            false,
        )
        .await
    }
}

/// The endpoint `pick` reads from the job's system (empty when there is no system or no such
/// endpoint), and the system when a push may be attempted: it is active and has that endpoint.
fn reachable(
    system: &Option<ConnectedSystem>,
    pick: impl Fn(&ConnectedSystem) -> Option<String>,
) -> (String, Option<&ConnectedSystem>) {
    let endpoint = system.as_ref().and_then(pick).unwrap_or_default();
    let target = system
        .as_ref()
        .filter(|s| s.is_active() && !endpoint.is_empty());
    (endpoint, target)
}

/// The attempt a job's push makes, as the system's page lists it.
pub(super) fn attempt_row(
    job: &delivery_job::Model,
    msg: &message::Model,
    endpoint: &str,
    outcome: &Outcome,
    now: DateTime<Utc>,
) -> delivery_attempt::ActiveModel {
    outcome.attempt(
        job.system_id.clone().unwrap_or_default(),
        msg.message_id.clone(),
        endpoint.to_owned(),
        now,
        false,
    )
}

/// SYS-06/CORE-03: what the contacts of a system whose schedule is exhausted are told.
fn unreachable(msg: &message::Model, endpoint: &str, outcome: &Outcome) -> String {
    format!(
        "Digital Post har forsøgt at aflevere til {endpoint} hele sin plan for genforsøg igennem \
         uden at lykkes. Den første meddelelse, det gjaldt, var {} fra CVR {}.\n\
         Seneste fejl: {}",
        msg.message_id,
        msg.sender_cvr,
        outcome.error.as_deref().unwrap_or("ukendt"),
    )
}

async fn delete_job(db: &impl ConnectionTrait, job: &delivery_job::Model) -> Result<(), DbErr> {
    delivery_job::Entity::delete_by_id(job.id.clone())
        .exec(db)
        .await?;
    Ok(())
}
