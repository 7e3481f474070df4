//! Intake's writer (CORE-01 speed, CORE-05): accepted messages commit in small groups —
//! whatever arrived while the previous group was committing, at most [`GROUP`] — so one
//! transaction's cost is shared by many messages. Each message still commits together with its
//! events and first job, and its sender is answered only after that commit. A group that
//! fails (a duplicate message id racing its twin) is retried one message at a time, so one
//! bad message never fails the others.

use sea_orm::{DatabaseConnection, DbErr, EntityTrait, IntoActiveModel, TransactionTrait};
use tokio::sync::{mpsc, oneshot};

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
    Failed(anyhow::Error),
}

struct Pending {
    msg: message::Model,
    step: Step,
    reply: oneshot::Sender<Result<(), WriteError>>,
}

/// The handle requests hand their accepted messages to.
#[derive(Clone)]
pub struct IntakeWriter {
    queue: mpsc::Sender<Pending>,
}

/// The writer's side of the queue; [`IntakeWriter::run`] drains it.
pub struct IntakeQueue(mpsc::Receiver<Pending>);

impl IntakeWriter {
    pub fn new() -> (IntakeWriter, IntakeQueue) {
        let (queue, pending) = mpsc::channel(4 * GROUP);
        (IntakeWriter { queue }, IntakeQueue(pending))
    }

    /// Writes `msg` with its step; returns once it is committed.
    pub async fn write(&self, msg: message::Model, step: Step) -> Result<(), WriteError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Pending { msg, step, reply })
            .await
            .map_err(|_| WriteError::Failed(anyhow::anyhow!("the intake writer has stopped")))?;
        answer.await.map_err(|_| {
            WriteError::Failed(anyhow::anyhow!("the intake writer dropped a message"))
        })?
    }

    /// Commits what arrives until every handle is gone.
    pub async fn run(queue: IntakeQueue, db: DatabaseConnection, ports: Ports) {
        let IntakeQueue(mut pending) = queue;
        while let Some(first) = pending.recv().await {
            let mut group = vec![first];
            while group.len() < GROUP {
                match pending.try_recv() {
                    Ok(next) => group.push(next),
                    Err(_) => break,
                }
            }
            write_group(&db, &ports, group).await;
        }
    }
}

async fn commit(
    db: &DatabaseConnection,
    ports: &Ports,
    group: &[Pending],
) -> Result<(), WriteError> {
    let txn = db.begin().await.map_err(|e| WriteError::Failed(e.into()))?;
    let rows = group.iter().map(|p| p.msg.clone().into_active_model());
    message::Entity::insert_many(rows)
        .exec_without_returning(&txn)
        .await
        .map_err(WriteError::Rejected)?;
    let now = group[0].msg.accepted_at;
    let mut events = Vec::new();
    let mut jobs = Vec::new();
    for pending in group {
        let step = pending.step.clone();
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

async fn write_group(db: &DatabaseConnection, ports: &Ports, mut group: Vec<Pending>) {
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
