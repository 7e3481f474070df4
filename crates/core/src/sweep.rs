//! The loop of the background jobs that end things whose time is up — company exemptions
//! (EX-04), mail accesses (ACC-05): each round ends what is due in batches until a batch comes
//! back short, then waits. Every instance runs one; a [`Sweep`] ends each item with a
//! conditional UPDATE, so several instances on one database never end (or log) one twice.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use crate::Clock;

/// One kind of item a job ends.
#[async_trait::async_trait]
pub trait Sweep: Send + Sync {
    /// For the log lines: what is ended, e.g. "company exemptions".
    const WHAT: &'static str;
    /// Items ended per batch at most.
    const BATCH: u64;

    /// Ends up to [`Sweep::BATCH`] items due at `now`; returns how many were due and how many
    /// this call ended (fewer when another instance was first).
    async fn sweep(
        &self,
        db: &DatabaseConnection,
        now: DateTime<Utc>,
    ) -> anyhow::Result<(u64, u64)>;
}

/// A background job running one [`Sweep`].
pub struct SweepWorker<S> {
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
    /// Pause between rounds.
    pub idle: Duration,
    pub sweep: S,
}

impl<S: Sweep> SweepWorker<S> {
    /// Ends everything due now; returns how many items this instance ended.
    pub async fn tick(&self) -> anyhow::Result<u64> {
        let mut total = 0;
        loop {
            let (due, ended) = self.sweep.sweep(&self.db, self.clock.now()).await?;
            total += ended;
            if due < S::BATCH {
                return Ok(total);
            }
        }
    }

    /// Runs until the task is dropped.
    pub async fn run(self) {
        loop {
            match self.tick().await {
                Ok(0) => {}
                Ok(ended) => tracing::info!(ended, what = S::WHAT, "ended by the expiry job"),
                Err(err) => tracing::error!(error = ?err, what = S::WHAT, "expiry round failed"),
            }
            tokio::time::sleep(self.idle).await;
        }
    }
}
