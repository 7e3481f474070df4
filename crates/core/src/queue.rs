//! The queue requests hand rows to when one consumer commits them in groups (the searches log,
//! intake's writer): a request submits its item and waits for the consumer's answer. When the
//! consumer is down — its job panicked and awaits restart, or was never started — a request
//! is refused at once with 503 instead of waiting (issue 30), and no request waits for an
//! answer longer than [`ANSWER_DEADLINE`].

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot, Mutex};

use crate::jobs::{Liveness, Round, Schedule};

/// The longest a request waits for its item to be committed.
pub const ANSWER_DEADLINE: Duration = Duration::from_secs(30);

/// How a consumer's job runs: its round waits for work itself (a second at most), so there is
/// no pause between rounds; stuck after a minute without one.
pub const CONSUMER_SCHEDULE: Schedule = Schedule {
    idle: Duration::ZERO,
    stale_after: Duration::from_secs(60),
};

/// Why a submitted item got no answer: the consumer is down or did not answer in time.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct QueueDown(pub String);

impl From<QueueDown> for crate::DomainError {
    fn from(down: QueueDown) -> Self {
        crate::DomainError::Unavailable(down.0)
    }
}

/// One submitted item and where its answer goes.
pub struct Pending<T, R> {
    pub item: T,
    pub reply: oneshot::Sender<R>,
}

/// The producers' handle (cloned into app data).
pub struct GroupQueue<T, R> {
    name: &'static str,
    sender: mpsc::Sender<Pending<T, R>>,
    liveness: Liveness,
}

impl<T, R> Clone for GroupQueue<T, R> {
    fn clone(&self) -> Self {
        GroupQueue {
            name: self.name,
            sender: self.sender.clone(),
            liveness: self.liveness.clone(),
        }
    }
}

/// The consumer's side. Kept by the consumer's job, not moved into one run of it, so a
/// restarted consumer goes on with the items still queued.
pub struct GroupConsumer<T, R> {
    receiver: Arc<Mutex<mpsc::Receiver<Pending<T, R>>>>,
    liveness: Liveness,
}

impl<T, R> Clone for GroupConsumer<T, R> {
    fn clone(&self) -> Self {
        GroupConsumer {
            receiver: self.receiver.clone(),
            liveness: self.liveness.clone(),
        }
    }
}

/// A queue holding up to `capacity` items; `name` says whose in a 503's detail.
pub fn group_queue<T, R>(
    name: &'static str,
    capacity: usize,
) -> (GroupQueue<T, R>, GroupConsumer<T, R>) {
    let (sender, receiver) = mpsc::channel(capacity);
    let liveness = Liveness::default();
    (
        GroupQueue {
            name,
            sender,
            liveness: liveness.clone(),
        },
        GroupConsumer {
            receiver: Arc::new(Mutex::new(receiver)),
            liveness,
        },
    )
}

impl<T, R> GroupQueue<T, R> {
    /// Hands `item` to the consumer and waits for its answer.
    pub async fn submit(&self, item: T) -> Result<R, QueueDown> {
        let down = || QueueDown(format!("{} is not running; try again shortly.", self.name));
        if !self.liveness.is_up() {
            return Err(down());
        }
        let (reply, answer) = oneshot::channel();
        let asked = async {
            self.sender
                .send(Pending { item, reply })
                .await
                .map_err(|_| down())?;
            answer.await.map_err(|_| down())
        };
        tokio::time::timeout(ANSWER_DEADLINE, asked)
            .await
            .unwrap_or_else(|_| {
                Err(QueueDown(format!(
                    "{} did not answer within {} s.",
                    self.name,
                    ANSWER_DEADLINE.as_secs()
                )))
            })
    }
}

impl<T, R> GroupConsumer<T, R> {
    /// What the consumer's job reports as its [`crate::Job::liveness`].
    pub fn liveness(&self) -> Liveness {
        self.liveness.clone()
    }

    /// A consumer job's round: the next group (what arrived within a second, at most `max`
    /// items) handed to `commit`, which answers each item.
    pub async fn round(&self, max: usize, commit: impl AsyncFnOnce(Vec<Pending<T, R>>)) -> Round {
        let group = self.next_group(max, Duration::from_secs(1)).await;
        if group.is_empty() {
            return Round::Idle;
        }
        commit(group).await;
        Round::More
    }

    /// The next group: waits up to `wait` for a first item, then takes what else is queued, up
    /// to `max` items. Empty when nothing came.
    pub async fn next_group(&self, max: usize, wait: Duration) -> Vec<Pending<T, R>> {
        let mut receiver = self.receiver.lock().await;
        let Ok(Some(first)) = tokio::time::timeout(wait, receiver.recv()).await else {
            return Vec::new();
        };
        let mut group = vec![first];
        while group.len() < max {
            match receiver.try_recv() {
                Ok(next) => group.push(next),
                Err(_) => break,
            }
        }
        group
    }
}
