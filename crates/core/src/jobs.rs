//! Background work as the server supervises it (issue 30). A module declares its jobs the way
//! it declares its routes ([`crate::ApiModule::jobs`]); the server runs each job's rounds,
//! restarts a job whose round panics or fails (with backoff, counted in `/metrics`), reports a
//! job that has not completed a round within its [`Schedule::stale_after`] in `/readyz`, and
//! stops them all on shutdown.
//!
//! A job is a [`Job::round`]: one look for work and the work found. The loop, the pauses, the
//! error logging and the restarts are the server's, written once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sea_orm::DatabaseConnection;

use crate::Clock;

/// How a round went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Round {
    /// Nothing (more) to do: the next round after [`Schedule::idle`].
    Idle,
    /// Work may be waiting: the next round at once.
    More,
}

impl Round {
    /// The end of a round that did `done` things (logged as `what` when any): idle until the
    /// next.
    pub fn idle_after(job: &'static str, done: u64, what: &str) -> Round {
        if done > 0 {
            tracing::info!(job, done, "{what}");
        }
        Round::Idle
    }
}

/// When a job runs and when it counts as stuck.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    /// The pause after a round that found nothing (more) to do.
    pub idle: Duration,
    /// `/readyz` reports the job when it has completed no round for this long: longer than
    /// its longest legitimate round.
    pub stale_after: Duration,
}

/// One kind of background work. Several instances on one database may run the same job at
/// once: a job that takes work claims it with [`crate::lease`], so nothing runs twice.
#[async_trait::async_trait]
pub trait Job: Send + Sync + 'static {
    /// Its name in logs, `/metrics` and `/readyz` (`snake_case`, unique in the server).
    fn name(&self) -> &'static str;

    fn schedule(&self) -> Schedule;

    /// One round. An error is logged and the job restarted after a backoff, as after a panic.
    async fn round(&self) -> anyhow::Result<Round>;

    /// For a queue's consumer: the flag its producers read to fail fast (503) while the
    /// consumer is down. The supervisor raises it while the job runs and lowers it when the
    /// job's task ends, until it is restarted.
    fn liveness(&self) -> Option<Liveness> {
        None
    }
}

/// What every module's jobs are built with: the writer connection (on SQLite the one
/// connection handlers write through) and the clock.
#[derive(Clone)]
pub struct JobContext {
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
}

/// Whether a queue's consumer is running (see [`Job::liveness`]). Starts down: a queue whose
/// consumer was never started answers 503, never hangs.
#[derive(Debug, Clone, Default)]
pub struct Liveness(Arc<AtomicBool>);

impl Liveness {
    pub fn is_up(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }

    /// Only the supervisor (and tests driving a consumer by hand) set it.
    pub fn set(&self, up: bool) {
        self.0.store(up, Ordering::Release);
    }
}

/// Runs `job`'s rounds in this task until the task is dropped, logging failed rounds — what the
/// server's supervisor does without the restarts and metrics, for tests and tools that drive
/// one job by hand.
pub async fn run_forever(job: impl Job) {
    if let Some(liveness) = job.liveness() {
        liveness.set(true);
    }
    loop {
        match job.round().await {
            Ok(Round::More) => tokio::task::yield_now().await,
            Ok(Round::Idle) => tokio::time::sleep(job.schedule().idle).await,
            Err(err) => {
                tracing::error!(job = job.name(), error = ?err, "job round failed");
                tokio::time::sleep(job.schedule().idle).await;
            }
        }
    }
}
