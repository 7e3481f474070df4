//! The loop of the background jobs that end things whose time is up — company exemptions
//! (EX-04), mail accesses (ACC-05): each round ends what is due in batches until a batch comes
//! back short, then waits. Every instance runs one; a [`Sweep`] ends each item with a
//! conditional UPDATE, so several instances on one database never end (or log) one twice.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};

use crate::Clock;

/// One kind of item a job ends: which are due, and how one is ended. The batching, the
/// transaction per item and the counting are [`SweepWorker`]'s.
#[async_trait::async_trait]
pub trait Sweep: Send + Sync {
    /// What is read as due and handed back to [`Sweep::end`].
    type Item: Send + Sync;
    /// For the log lines: what is ended, e.g. "company exemptions".
    const WHAT: &'static str;
    /// The job's name in `/metrics` and `/readyz`, e.g. `exemption_expiry`.
    const JOB: &'static str;
    /// Items ended per batch at most.
    const BATCH: u64;

    /// Up to [`Sweep::BATCH`] items due at `now`, the longest due first.
    async fn due(
        &self,
        db: &DatabaseConnection,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Self::Item>>;

    /// Ends one item in `txn`, starting with its conditional UPDATE (a SQLite transaction that
    /// read first could not take the write lock while another instance holds it), and logs
    /// it; `false` when another instance ended it first.
    async fn end(
        &self,
        txn: &DatabaseTransaction,
        item: &Self::Item,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool>;
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
            let (due, ended) = self.batch(self.clock.now()).await?;
            total += ended;
            // A short batch is the last; one that ended nothing (others were first, or its
            // items failed) waits for the next round rather than reading the same again.
            if due < S::BATCH || ended == 0 {
                return Ok(total);
            }
        }
    }

    /// One batch, each item in a transaction of its own; how many were due and how many this
    /// call ended (fewer when another instance was first). An item that cannot be ended is
    /// rolled back and logged, and the batch goes on: one bad row never stops the rest.
    async fn batch(&self, now: DateTime<Utc>) -> anyhow::Result<(u64, u64)> {
        let due = self.sweep.due(&self.db, now).await?;
        let mut ended = 0;
        for item in &due {
            let txn = self.db.begin().await?;
            match self.sweep.end(&txn, item, now).await {
                Ok(done) => {
                    txn.commit().await?;
                    ended += u64::from(done);
                }
                Err(err) => {
                    drop(txn);
                    tracing::warn!(job = S::JOB, error = ?err, "an item could not be ended");
                }
            }
        }
        Ok((due.len() as u64, ended))
    }
}

#[async_trait::async_trait]
impl<S: Sweep + 'static> crate::Job for SweepWorker<S> {
    fn name(&self) -> &'static str {
        S::JOB
    }

    fn schedule(&self) -> crate::Schedule {
        crate::Schedule {
            idle: self.idle,
            stale_after: self.idle * 3 + Duration::from_secs(300),
        }
    }

    async fn round(&self) -> anyhow::Result<crate::Round> {
        let ended = self.tick().await?;
        Ok(crate::Round::idle_after(S::JOB, ended, S::WHAT))
    }
}
