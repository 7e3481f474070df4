//! Intake's writer (CORE-01 speed, CORE-05): accepted messages commit in small groups —
//! whatever arrived while the previous group was committing, at most [`GROUP`] — so one
//! transaction's cost is shared by many messages. Each message still commits together with its
//! events and first job, and its sender is answered only after that commit. A group that
//! fails (a duplicate message id racing its twin) is retried one message at a time, so one
//! bad message never fails the others.

use adgang_core::jobs::{Job, Liveness, Round, Schedule};
use adgang_core::queue::{group_queue, GroupConsumer, GroupQueue, Pending, CONSUMER_SCHEDULE};
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, IntoActiveModel, TransactionTrait};

use adgang_core::audit::record_message_events;

use super::routing::Step;
use super::Ports;
use crate::entity::{delivery_job, message};

/// At most this many messages commit together.
const GROUP: usize = 128;

/// Why a message was not written.
#[derive(Debug)]
pub enum WriteError {
    /// The message could not be inserted (on its own: a message id already taken).
    Rejected(DbErr),
    /// The writer is not running (its job awaits restart): 503, never a hang.
    Down(String),
    Failed(anyhow::Error),
}

type Item = (message::Model, Step);
type Answer = Result<(), WriteError>;
type Written = Pending<Item, Answer>;

/// The handle requests hand their accepted messages to.
#[derive(Clone)]
pub struct IntakeWriter {
    queue: GroupQueue<Item, Answer>,
}

/// The writer's job: commits what the handles queued (supervised by the server).
#[derive(Clone)]
pub struct IntakeWriterJob {
    queue: GroupConsumer<Item, Answer>,
    db: DatabaseConnection,
    ports: Ports,
}

impl IntakeWriter {
    pub fn new(db: DatabaseConnection, ports: Ports) -> (IntakeWriter, IntakeWriterJob) {
        let (queue, consumer) = group_queue("Intake's writer", 4 * GROUP);
        (
            IntakeWriter { queue },
            IntakeWriterJob {
                queue: consumer,
                db,
                ports,
            },
        )
    }

    /// Writes `msg` with its step; returns once it is committed.
    pub async fn write(&self, msg: message::Model, step: Step) -> Result<(), WriteError> {
        self.queue
            .submit((msg, step))
            .await
            .map_err(|down| WriteError::Down(down.0))?
    }
}

#[async_trait::async_trait]
impl Job for IntakeWriterJob {
    fn name(&self) -> &'static str {
        "intake_writer"
    }

    fn schedule(&self) -> Schedule {
        CONSUMER_SCHEDULE
    }

    /// Commits one group of at most [`GROUP`] messages.
    async fn round(&self) -> anyhow::Result<Round> {
        Ok(self
            .queue
            .round(GROUP, async |group| {
                write_group(&self.db, &self.ports, group).await
            })
            .await)
    }

    fn liveness(&self) -> Option<Liveness> {
        Some(self.queue.liveness())
    }
}

async fn commit(
    db: &DatabaseConnection,
    ports: &Ports,
    group: &[Written],
) -> Result<(), WriteError> {
    let txn = db.begin().await.map_err(|e| WriteError::Failed(e.into()))?;
    let rows = group.iter().map(|p| p.item.0.clone().into_active_model());
    message::Entity::insert_many(rows)
        .exec_without_returning(&txn)
        .await
        .map_err(WriteError::Rejected)?;
    let now = group[0].item.0.accepted_at;
    let mut events = Vec::new();
    let mut jobs = Vec::new();
    for pending in group {
        let step = pending.item.1.clone();
        events.extend(step.events);
        jobs.extend(step.job);
        if let Some(sms) = step.sms {
            ports
                .sms
                .send(&txn, sms, now)
                .await
                .map_err(WriteError::Failed)?;
        }
    }
    if !jobs.is_empty() {
        delivery_job::Entity::insert_many(jobs)
            .exec_without_returning(&txn)
            .await
            .map_err(|e| WriteError::Failed(e.into()))?;
    }
    record_message_events(&txn, events)
        .await
        .map_err(|e| WriteError::Failed(e.into()))?;
    txn.commit().await.map_err(|e| WriteError::Failed(e.into()))
}

async fn write_group(db: &DatabaseConnection, ports: &Ports, mut group: Vec<Written>) {
    let result = commit(db, ports, &group).await;
    match result {
        Ok(()) => {
            for pending in group {
                let _ = pending.reply.send(Ok(()));
            }
        }
        Err(_) if group.len() > 1 => {
            // Nothing of the group was committed: each message on its own, so only the one
            // at fault is refused.
            for pending in group {
                Box::pin(write_group(db, ports, vec![pending])).await;
            }
        }
        Err(err) => {
            if let Some(pending) = group.pop() {
                let _ = pending.reply.send(Err(err));
            }
        }
    }
}
