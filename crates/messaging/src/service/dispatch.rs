//! The dispatcher: claims due delivery jobs and runs them (CORE-03, CORE-04, CORE-05).
//!
//! A claim moves a job's `due_at` a lease ahead in one statement — `FOR UPDATE SKIP LOCKED` on
//! PostgreSQL, so instances sharing a database never claim the same job; SQLite has one writer.
//! The job is deleted in the transaction that records its outcome, so a crash anywhere leaves
//! it to be claimed again when the lease ends: a push may be repeated (the peer deduplicates by
//! the `Idempotency-Key` header), but is recorded as delivered once.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use adgang_api_types::{MessageEvent, Protocol};
use adgang_core::audit::record_message_events;
use adgang_core::ports::{ConnectedSystem, Mail};
use adgang_core::Clock;
use adgang_core::Lease;
use chrono::{DateTime, Duration, Utc};
use futures_util::StreamExt;
use hmac::{Hmac, Mac};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, IntoActiveModel, QueryFilter, Set, TransactionTrait,
};
use sha2::Sha256;

use super::receipts::ReceiptState;
use super::routing::{event_of, send};
use super::schedule::{after_failure, AfterFailure};
use super::{JobKind, Ports, State};
use crate::entity::{business_receipt, delivery_attempt, delivery_job, message};

/// How long a claimed job is left to its worker before another may claim it, unless
/// configured: longer than a push may take (the HTTP timeout is 30 s).
pub const DEFAULT_LEASE: Duration = Duration::minutes(5);
/// Jobs claimed per round, and how many of them run at once.
const BATCH: i64 = 128;
const CONCURRENCY: usize = 32;

pub struct Dispatcher {
    pub db: DatabaseConnection,
    pub ports: Ports,
    pub clock: Arc<dyn Clock>,
    pub http: reqwest::Client,
    pub lease: Duration,
}

/// How one push or notification went.
pub struct Outcome {
    pub status: Option<u16>,
    pub error: Option<String>,
    pub latency_ms: i32,
}

impl Outcome {
    /// No attempt could be made (no active system, no endpoint): a failure with `why`.
    fn not_attempted(why: &str) -> Outcome {
        Outcome {
            status: None,
            error: Some(why.to_owned()),
            latency_ms: 0,
        }
    }

    pub fn succeeded(&self) -> bool {
        self.error.is_none()
    }
}

impl Dispatcher {
    pub fn new(
        db: DatabaseConnection,
        ports: Ports,
        clock: Arc<dyn Clock>,
        lease: Duration,
    ) -> Dispatcher {
        Dispatcher {
            db,
            ports,
            clock,
            http: http_client(),
            lease,
        }
    }

    /// One round: claims the due jobs and runs them. Returns how many were claimed. The
    /// round's messages are read in one query and each system once.
    pub async fn tick(&self) -> anyhow::Result<usize> {
        let jobs = claim(&self.db, self.clock.now(), self.lease, BATCH).await?;
        let claimed = jobs.len();
        if claimed == 0 {
            return Ok(0);
        }
        let mut messages: HashMap<String, message::Model> = message::Entity::find()
            .filter(message::Column::Id.is_in(jobs.iter().map(|j| j.message_pk.as_str())))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| (m.id.clone(), m))
            .collect();
        let now = self.clock.now();
        let mut systems: HashMap<String, Option<ConnectedSystem>> = HashMap::new();
        for id in jobs.iter().filter_map(|j| j.system_id.as_deref()) {
            if !systems.contains_key(id) {
                let system = self.ports.systems.system(&self.db, id, now).await?;
                systems.insert(id.to_owned(), system);
            }
        }
        let work: Vec<_> = jobs
            .into_iter()
            .map(|job| {
                let msg = messages.remove(&job.message_pk);
                let system = job
                    .system_id
                    .as_deref()
                    .and_then(|id| systems.get(id).cloned().flatten());
                (job, msg, system)
            })
            .collect();
        futures_util::stream::iter(work)
            .for_each_concurrent(CONCURRENCY, |(job, msg, system)| async move {
                let id = job.id.clone();
                if let Err(err) = self.run_job(job, msg, system).await {
                    // The lease runs out and the job is claimed again.
                    tracing::error!(job = %id, error = ?err, "delivery job failed");
                }
            })
            .await;
        Ok(claimed)
    }

    async fn run_job(
        &self,
        job: delivery_job::Model,
        msg: Option<message::Model>,
        system: Option<ConnectedSystem>,
    ) -> anyhow::Result<()> {
        let Some(msg) = msg else {
            delete_job(&self.db, &job).await?;
            return Ok(());
        };
        match JobKind::parse(&job.kind) {
            Some(JobKind::Release) => self.release(job, msg).await,
            Some(kind @ (JobKind::Push | JobKind::Notify)) => {
                self.deliver(kind, job, msg, system).await
            }
            Some(JobKind::Receipt) => self.deliver_receipt(job, msg, system).await,
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
        let endpoint = system
            .as_ref()
            .and_then(|s| s.endpoint.clone())
            .unwrap_or_default();
        let outcome = match &system {
            Some(system) if system.is_active() && !endpoint.is_empty() => {
                self.post(kind, system, &endpoint, &msg).await
            }
            Some(_) => Outcome::not_attempted("Systemet er ikke aktivt eller har intet endepunkt."),
            None => Outcome::not_attempted("Systemet findes ikke længere."),
        };
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let system_id = job.system_id.clone().unwrap_or_default();
        let mut attempt = attempt_row(&job, &msg, &endpoint, &outcome, now);
        let recipient_org = msg.recipient_id.clone();
        if outcome.succeeded() {
            delete_job(&txn, &job).await?;
            // Guarded: if a lease ran out and two workers pushed, one records the delivery.
            let taken = message::Entity::update_many()
                .col_expr(
                    message::Column::State,
                    Expr::value(State::Delivered.as_str()),
                )
                .col_expr(message::Column::DeliveredAt, Expr::value(now))
                .filter(message::Column::Id.eq(&msg.id))
                .filter(message::Column::State.eq(State::Delivering.as_str()))
                .exec(&txn)
                .await?;
            if kind == JobKind::Push && taken.rows_affected == 1 {
                let with_endpoint = |mut e: adgang_core::audit::MessageEventRecord| {
                    e.endpoint = Some(endpoint.clone());
                    e.system_id = Some(system_id.clone());
                    e
                };
                record_message_events(
                    &txn,
                    vec![
                        with_endpoint(event_of(
                            &msg,
                            &msg.sender_cvr,
                            MessageEvent::AvailableToRecipient,
                            now,
                        )),
                        with_endpoint(event_of(&msg, &recipient_org, MessageEvent::Sent, now)),
                    ],
                )
                .await?;
            }
            attempt.insert(&txn).await?;
            txn.commit().await?;
            return Ok(());
        }

        let mut failed_event = event_of(&msg, &recipient_org, MessageEvent::SendingFailed, now);
        failed_event.endpoint = Some(endpoint.clone());
        failed_event.system_id = Some(system_id.clone());
        failed_event.error_message = outcome.error.clone();
        let mut events = vec![failed_event];
        let attempts = usize::try_from(job.attempts).unwrap_or(0) + 1;
        let mut next = after_failure(job.fallback, attempts, job.first_sent_at, now);
        let mut primary = None;
        if next == AfterFailure::FallBackToPrimary {
            primary = self
                .ports
                .systems
                .primary(&txn, &recipient_org, now)
                .await?
                .filter(ConnectedSystem::is_active);
            if primary.is_none() {
                next = AfterFailure::GiveUp;
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
                let mut moved = msg.clone().into_active_model();
                moved.recipient_system_id = Set(Some(primary.id.clone()));
                if primary.protocol == Protocol::RestPush || kind == JobKind::Notify {
                    let mut fallback = job.clone().into_active_model();
                    fallback.system_id = Set(Some(primary.id.clone()));
                    fallback.attempts = Set(0);
                    fallback.fallback = Set(true);
                    fallback.first_sent_at = Set(now);
                    fallback.due_at = Set(now);
                    fallback.update(&txn).await?;
                    attempt.next_attempt_at = Set(Some(now));
                } else {
                    // A pull primary collects it from its queue.
                    moved.state = Set(State::Queued.as_str().to_owned());
                    delete_job(&txn, &job).await?;
                }
                moved.update(&txn).await?;
            }
            _ => {
                delete_job(&txn, &job).await?;
                let mut failed = msg.clone().into_active_model();
                failed.state = Set(State::Failed.as_str().to_owned());
                failed.update(&txn).await?;
                let mut event = event_of(&msg, &msg.sender_cvr, MessageEvent::Failed, now);
                event.endpoint = Some(endpoint.clone());
                event.error_message = outcome.error.clone();
                events.push(event);
                if let Some(system) = &system {
                    self.ports
                        .mailer
                        .send(&txn, failure_notice(system, &msg, &endpoint, &outcome), now)
                        .await?;
                }
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
        let endpoint = system
            .as_ref()
            .and_then(|s| s.receipt_endpoint.clone())
            .unwrap_or_default();
        let outcome = match &system {
            Some(system) if system.is_active() && !endpoint.is_empty() => {
                push(
                    &self.http,
                    system,
                    &endpoint,
                    &receipt.id,
                    &msg.sender_cvr,
                    receipt.content.clone(),
                    false,
                )
                .await
            }
            _ => Outcome::not_attempted(
                "Afsendersystemet er ikke aktivt eller har intet kvitteringsendepunkt.",
            ),
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
            &self.http,
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

/// The attempt a job's push makes, as the system's page lists it.
fn attempt_row(
    job: &delivery_job::Model,
    msg: &message::Model,
    endpoint: &str,
    outcome: &Outcome,
    now: DateTime<Utc>,
) -> delivery_attempt::ActiveModel {
    delivery_attempt::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        system_id: Set(job.system_id.clone().unwrap_or_default()),
        message_id: Set(msg.message_id.clone()),
        attempted_at: Set(now),
        endpoint: Set(endpoint.to_owned()),
        http_status: Set(outcome.status.map(i32::from)),
        error: Set(outcome.error.clone()),
        latency_ms: Set(outcome.latency_ms),
        succeeded: Set(outcome.succeeded()),
        next_attempt_at: Set(None),
        test: Set(false),
    }
}

/// The HTTP client pushes go out with: bounded waits, no redirects followed.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(StdDuration::from_secs(30))
        .connect_timeout(StdDuration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("building the delivery HTTP client")
}

/// POSTs `body` to `endpoint`, signed with the system's API key and carrying the message id as
/// idempotency key (CORE-03); a test message says so in `X-Test-Message`. Any 2xx is success.
pub async fn push(
    http: &reqwest::Client,
    system: &ConnectedSystem,
    endpoint: &str,
    message_id: &str,
    sender_cvr: &str,
    body: String,
    test: bool,
) -> Outcome {
    let mut request = http
        .post(endpoint)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("Idempotency-Key", message_id)
        .header("X-Message-Id", message_id)
        .header("X-Sender-Cvr", sender_cvr);
    if test {
        request = request.header("X-Test-Message", "true");
    }
    if let Some(key) = system.api_key.as_deref() {
        request = request.header("X-Adgang-Signature", signature(key, body.as_bytes()));
    }
    let started = Instant::now();
    let result = request.body(body).send().await;
    let latency_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
    match result {
        Ok(response) if response.status().is_success() => Outcome {
            status: Some(response.status().as_u16()),
            error: None,
            latency_ms,
        },
        Ok(response) => Outcome {
            status: Some(response.status().as_u16()),
            error: Some(format!(
                "Endepunktet svarede HTTP {}.",
                response.status().as_u16()
            )),
            latency_ms,
        },
        Err(err) => Outcome {
            status: None,
            error: Some(network_error(&err)),
            latency_ms,
        },
    }
}

/// `sha256=<hex HMAC-SHA256 of the body with the system's API key>`: the recipient system can
/// check that a push comes from Digital Post without the key itself travelling.
pub fn signature(key: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

fn network_error(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        "Endepunktet svarede ikke i tide.".to_owned()
    } else if err.is_connect() {
        "Der kunne ikke oprettes forbindelse til endepunktet.".to_owned()
    } else {
        format!("Netværksfejl: {err}")
    }
}

/// SYS-06/CORE-03: the technical contact is told when every attempt failed.
fn failure_notice(
    system: &ConnectedSystem,
    msg: &message::Model,
    endpoint: &str,
    outcome: &Outcome,
) -> Mail {
    Mail {
        to: system.contact_email.clone(),
        subject: format!(
            "Digital Post kunne ikke aflevere til systemet {}",
            system.name
        ),
        body: format!(
            "Meddelelsen {} fra CVR {} kunne ikke afleveres til {endpoint} efter alle forsøg.\n\
             Seneste fejl: {}\n",
            msg.message_id,
            msg.sender_cvr,
            outcome.error.as_deref().unwrap_or("ukendt"),
        ),
    }
}

async fn delete_job(db: &impl ConnectionTrait, job: &delivery_job::Model) -> Result<(), DbErr> {
    delivery_job::Entity::delete_by_id(job.id.clone())
        .exec(db)
        .await?;
    Ok(())
}

/// Claims up to `limit` due jobs by moving them a lease ahead (CORE-05), with core's claim
/// primitive: the due time doubles as the lease. The inner SELECT walks
/// `ix_delivery_jobs_due` from its start: the backlog is never scanned whole.
pub async fn claim(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> Result<Vec<delivery_job::Model>, DbErr> {
    Lease::<delivery_job::Entity>::due(delivery_job::Column::Id, delivery_job::Column::DueAt, lease)
        .claim(
            db,
            now,
            Condition::all(),
            delivery_job::Column::DueAt,
            u64::try_from(limit).unwrap_or(0),
            vec![],
        )
        .await
}

#[async_trait::async_trait]
impl adgang_core::Job for Dispatcher {
    fn name(&self) -> &'static str {
        "dispatcher"
    }

    fn schedule(&self) -> adgang_core::Schedule {
        adgang_core::Schedule {
            idle: StdDuration::from_millis(200),
            // A round waits for its slowest push (30 s) a few times at the most.
            stale_after: StdDuration::from_secs(300),
        }
    }

    async fn round(&self) -> anyhow::Result<adgang_core::Round> {
        Ok(match self.tick().await? {
            0 => adgang_core::Round::Idle,
            _ => adgang_core::Round::More,
        })
    }
}
