//! The dispatcher: claims due delivery jobs and runs them (CORE-03, CORE-04, CORE-05).
//!
//! A claim moves a job's `due_at` a lease ahead in one statement — `FOR UPDATE SKIP LOCKED` on
//! PostgreSQL, so instances sharing a database never claim the same job; SQLite has one writer.
//! The job is deleted in the transaction that records its outcome, so a crash anywhere leaves
//! it to be claimed again when the lease ends: a push may be repeated (the peer deduplicates by
//! the `Idempotency-Key` header), but is recorded as delivered once.
//!
//! Issue 31: every job runs in its own task, and a round never waits for a push. Pushes in
//! flight are bounded per destination and in total ([`destinations`]); a job whose
//! destination is busy is parked in memory (its lease renewed while it waits) or, when as many
//! are parked as may run, left in the database for a second later — its attempt not spent;
//! the claim skips busy destinations' systems. One endpoint that never answers holds its own
//! few places, nobody else's.

mod delivered;
pub mod destinations;
mod job;
pub mod push;

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration as StdDuration;

use adgang_core::ports::ConnectedSystem;
use adgang_core::{Clock, Lease, Outbound};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use tokio::task::JoinSet;

pub use destinations::{Admission, DeliveryLimits, Destinations, Leg};
pub use push::{push, signature, Outcome};

use self::destinations::{destination_of, Slot};
use self::job::{Gate, Worker};
use super::{JobKind, Ports};
use crate::entity::{delivery_job, message};

/// How long a claimed job is left to its worker before another may claim it, unless
/// configured: longer than a push may take (the HTTP timeout is 30 s).
pub const DEFAULT_LEASE: Duration = Duration::minutes(5);
/// The most jobs claimed in one statement.
const BATCH: usize = 128;
/// The most claimed jobs one destination may have parked; more are left in the database for a
/// second later (their attempt not spent).
const PARKED_PER_DESTINATION: usize = 2 * BATCH;
/// How long a round with nothing new waits for a running push to end.
const IDLE: StdDuration = StdDuration::from_millis(200);
/// A job claimed beyond what its busy destination may hold waiting is due again this much
/// later (its attempt not spent).
const LATER: Duration = Duration::seconds(1);

/// A claimed job with what it needs.
struct Claimed {
    job: delivery_job::Model,
    msg: Option<message::Model>,
    system: Option<ConnectedSystem>,
}

impl Claimed {
    /// The destination a job pushes to and through which of its system's legs, if it pushes
    /// at all.
    fn destination(&self) -> Option<(String, Leg)> {
        let system = self.system.as_ref().filter(|s| s.is_active())?;
        let (endpoint, leg) = match JobKind::parse(&self.job.kind)? {
            JobKind::Push | JobKind::Notify => (system.endpoint.as_deref(), Leg::Messages),
            JobKind::Receipt => (system.receipt_endpoint.as_deref(), Leg::Receipts),
            JobKind::Release => (None, Leg::Messages),
        };
        let endpoint = endpoint.filter(|e| !e.is_empty())?;
        Some((destination_of(endpoint), leg))
    }

    fn system_id(&self) -> &str {
        self.job.system_id.as_deref().unwrap_or_default()
    }
}

/// What this instance holds: running tasks, claimed jobs waiting for their destination, and
/// the successes waiting to be recorded.
struct Running {
    tasks: JoinSet<()>,
    waiting: HashMap<String, VecDeque<Claimed>>,
    delivered: tokio::sync::mpsc::UnboundedReceiver<delivered::Delivered>,
    /// Successes received, for the next group.
    pending: Vec<delivered::Delivered>,
    /// A group is being recorded (one at a time: the next one grows meanwhile).
    recording: Arc<AtomicBool>,
}

impl Running {
    /// Logs the tasks that ended by panicking (their job's lease runs out; it is claimed
    /// again), and forgets the finished ones.
    fn reap(&mut self) {
        while let Some(ended) = self.tasks.try_join_next() {
            log_panic(ended);
        }
    }
}

fn log_panic(ended: Result<(), tokio::task::JoinError>) {
    if let Err(err) = ended {
        if err.is_panic() {
            tracing::error!(error = %err, "a delivery job panicked");
        }
    }
}

pub struct Dispatcher {
    worker: Arc<Worker>,
    lease: Duration,
    limits: DeliveryLimits,
    destinations: Arc<Destinations>,
    running: tokio::sync::Mutex<Running>,
}

impl Dispatcher {
    pub fn new(
        db: DatabaseConnection,
        ports: Ports,
        clock: Arc<dyn Clock>,
        outbound: Outbound,
        lease: Duration,
        limits: DeliveryLimits,
    ) -> Dispatcher {
        let (group, delivered) = tokio::sync::mpsc::unbounded_channel();
        Dispatcher {
            worker: Arc::new(Worker {
                db,
                ports,
                clock,
                outbound,
                delivered: Some(group),
            }),
            lease,
            limits,
            destinations: Arc::default(),
            running: tokio::sync::Mutex::new(Running {
                tasks: JoinSet::new(),
                waiting: HashMap::new(),
                delivered,
                pending: Vec::new(),
                recording: Arc::default(),
            }),
        }
    }

    /// Hands the successes received so far to the recorder (group commit): one group at a
    /// time, in its own task, so a round never waits for the database; while one group
    /// commits, the next grows. Returns how many were handed over.
    fn record_delivered(&self, running: &mut Running) -> usize {
        while let Ok(one) = running.delivered.try_recv() {
            running.pending.push(one);
        }
        if running.pending.is_empty() || running.recording.load(Ordering::Acquire) {
            return 0;
        }
        let rest = running
            .pending
            .split_off(running.pending.len().min(delivered::GROUP));
        let group = std::mem::replace(&mut running.pending, rest);
        let handed = group.len();
        running.recording.store(true, Ordering::Release);
        let (recording, db) = (running.recording.clone(), self.worker.db.clone());
        let destinations = self.destinations.clone();
        running.tasks.spawn(async move {
            if let Err(err) = delivered::record(&db, group).await {
                // Their leases run out and the jobs are claimed again: pushed again (the peer
                // deduplicates), recorded once.
                tracing::error!(error = %err, "recording delivered messages failed");
            }
            recording.store(false, Ordering::Release);
            destinations.freed.notify_one();
        });
        handed
    }

    /// One round: starts parked jobs whose destination has room, claims as many due jobs as
    /// there is room for (skipping busy destinations) and starts or parks them. Never waits
    /// for a push; with nothing new it waits at most [`IDLE`] for a place to free up.
    pub async fn tick(&self) -> anyhow::Result<adgang_core::Round> {
        let mut running = self.running.lock().await;
        running.reap();
        let recorded = self.record_delivered(&mut running);
        let now = self.worker.clock.now();
        self.keep_leases(&mut running, now).await?;
        let mut started = self.start_waiting(&mut running, now);
        // Claim while the destinations that are moving have few jobs parked (a stuck one's
        // parked jobs wait for it and hold nobody up).
        let flowing_parked: usize = running
            .waiting
            .iter()
            .filter(|(key, _)| !self.destinations.is_stuck(key, &self.limits))
            .map(|(_, queue)| queue.len())
            .sum();
        let room = if flowing_parked < BATCH / 2 {
            self.limits
                .total
                .saturating_sub(running.tasks.len())
                .min(BATCH)
        } else {
            0
        };
        let mut claimed = 0;
        if room > 0 {
            let stuck = self.destinations.stuck(&self.limits);
            let jobs = claim(&self.worker.db, now, self.lease, room, stuck).await?;
            claimed = jobs.len();
            let mut later = Vec::new();
            for job in self.load(jobs, now).await? {
                match self.place(&mut running, job, now) {
                    Some(id) => later.push(id),
                    None => started += 1,
                }
            }
            if !later.is_empty() {
                delivery_job::Entity::update_many()
                    .col_expr(delivery_job::Column::DueAt, Expr::value(now + LATER))
                    .filter(delivery_job::Column::Id.is_in(later))
                    .exec(&self.worker.db)
                    .await?;
            }
        }
        if claimed == 0 && started == 0 && recorded == 0 {
            if running.tasks.is_empty() {
                return Ok(adgang_core::Round::Idle);
            }
            tokio::select! {
                ended = running.tasks.join_next() => {
                    if let Some(ended) = ended {
                        log_panic(ended);
                    }
                }
                () = self.destinations.freed.notified() => {}
                () = tokio::time::sleep(IDLE) => {}
            }
        }
        Ok(adgang_core::Round::More)
    }

    /// Parked jobs keep their claim: one whose lease is half gone is renewed — guarded, so a
    /// job another instance has claimed meanwhile is let go, never run twice.
    async fn keep_leases(&self, running: &mut Running, now: DateTime<Utc>) -> anyhow::Result<()> {
        let lease = Lease::<delivery_job::Entity>::due(
            delivery_job::Column::Id,
            delivery_job::Column::DueAt,
            self.lease,
        );
        for queue in running.waiting.values_mut() {
            let mut kept = VecDeque::with_capacity(queue.len());
            while let Some(mut parked) = queue.pop_front() {
                if parked.job.due_at - now > self.lease / 2 {
                    kept.push_back(parked);
                    continue;
                }
                let db = &self.worker.db;
                if let Some(until) = lease
                    .renew(db, &parked.job.id, parked.job.due_at, now)
                    .await?
                {
                    parked.job.due_at = until;
                    kept.push_back(parked);
                }
            }
            *queue = kept;
        }
        running.waiting.retain(|_, queue| !queue.is_empty());
        Ok(())
    }

    /// The claimed jobs with their messages (one query) and systems (each once).
    async fn load(
        &self,
        jobs: Vec<delivery_job::Model>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Claimed>> {
        if jobs.is_empty() {
            return Ok(Vec::new());
        }
        let db = &self.worker.db;
        let mut messages: HashMap<String, message::Model> = message::Entity::find()
            .filter(message::Column::Id.is_in(jobs.iter().map(|j| j.message_pk.as_str())))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.id.clone(), m))
            .collect();
        let mut systems: HashMap<String, Option<ConnectedSystem>> = HashMap::new();
        for id in jobs.iter().filter_map(|j| j.system_id.as_deref()) {
            if !systems.contains_key(id) {
                let system = self.worker.ports.systems.system(db, id, now).await?;
                systems.insert(id.to_owned(), system);
            }
        }
        Ok(jobs
            .into_iter()
            .map(|job| Claimed {
                msg: messages.remove(&job.message_pk),
                system: job
                    .system_id
                    .as_deref()
                    .and_then(|id| systems.get(id).cloned().flatten()),
                job,
            })
            .collect())
    }

    /// Starts `job`, or parks it while its destination is busy — unless that destination has
    /// [`PARKED_PER_DESTINATION`] parked already; then returns its id to be left for later.
    fn place(&self, running: &mut Running, job: Claimed, now: DateTime<Utc>) -> Option<String> {
        let Some((key, leg)) = job.destination() else {
            self.start(running, job, Gate::Unbounded);
            return None;
        };
        match self
            .destinations
            .admit(&key, (job.system_id(), leg), &self.limits, now)
        {
            Admission::Go { probe } => {
                let slot = Slot::new(self.destinations.clone(), key, self.limits, now, probe);
                self.start(running, job, Gate::Go(slot));
                None
            }
            Admission::Paused => {
                self.start(running, job, Gate::Paused);
                None
            }
            Admission::Busy => {
                let queue = running.waiting.entry(key).or_default();
                if queue.len() < PARKED_PER_DESTINATION {
                    queue.push_back(job);
                    None
                } else {
                    Some(job.job.id)
                }
            }
        }
    }

    /// Starts the parked jobs whose destination has room again (oldest first).
    fn start_waiting(&self, running: &mut Running, now: DateTime<Utc>) -> usize {
        let mut started = 0;
        let keys: Vec<String> = running.waiting.keys().cloned().collect();
        for key in keys {
            while let Some(front) = running.waiting.get(&key).and_then(VecDeque::front) {
                let leg = front.destination().map_or(Leg::Messages, |(_, leg)| leg);
                let member = (front.system_id(), leg);
                let gate = match self.destinations.admit(&key, member, &self.limits, now) {
                    Admission::Busy => break,
                    Admission::Paused => Gate::Paused,
                    Admission::Go { probe } => Gate::Go(Slot::new(
                        self.destinations.clone(),
                        key.clone(),
                        self.limits,
                        now,
                        probe,
                    )),
                };
                let job = running
                    .waiting
                    .get_mut(&key)
                    .and_then(VecDeque::pop_front)
                    .expect("the front just seen");
                self.start(running, job, gate);
                started += 1;
            }
            if running.waiting.get(&key).is_some_and(VecDeque::is_empty) {
                running.waiting.remove(&key);
            }
        }
        started
    }

    fn start(&self, running: &mut Running, claimed: Claimed, gate: Gate) {
        let worker = self.worker.clone();
        running.tasks.spawn(async move {
            let id = claimed.job.id.clone();
            if let Err(err) = worker
                .run_job(claimed.job, claimed.msg, claimed.system, gate)
                .await
            {
                // The lease runs out and the job is claimed again.
                tracing::error!(job = %id, error = ?err, "delivery job failed");
            }
        });
    }
}

/// Claims up to `limit` due jobs by moving them a lease ahead (CORE-05), with core's claim
/// primitive: the due time doubles as the lease. The inner SELECT walks
/// `ix_delivery_jobs_due` from its start: the backlog is never scanned whole. Jobs of the
/// systems' legs in `skip` (busy destinations) are left where they are.
pub async fn claim(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    lease: Duration,
    limit: usize,
    skip: Vec<(String, Leg)>,
) -> Result<Vec<delivery_job::Model>, DbErr> {
    let mut condition = Condition::all();
    for (leg, kinds) in [
        (
            Leg::Messages,
            vec![JobKind::Push.as_str(), JobKind::Notify.as_str()],
        ),
        (Leg::Receipts, vec![JobKind::Receipt.as_str()]),
    ] {
        let systems: Vec<&str> = skip
            .iter()
            .filter(|(_, l)| *l == leg)
            .map(|(system, _)| system.as_str())
            .collect();
        if !systems.is_empty() {
            condition = condition.add(
                // `IS NOT NULL` first: NOT over a NULL would leave a job without system behind.
                Condition::all()
                    .add(delivery_job::Column::SystemId.is_not_null())
                    .add(delivery_job::Column::SystemId.is_in(systems))
                    .add(delivery_job::Column::Kind.is_in(kinds))
                    .not(),
            );
        }
    }
    Lease::<delivery_job::Entity>::due(delivery_job::Column::Id, delivery_job::Column::DueAt, lease)
        .claim(
            db,
            now,
            condition,
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
            idle: IDLE,
            // A round never waits for a push: a few seconds at the most.
            stale_after: StdDuration::from_secs(60),
        }
    }

    async fn round(&self) -> anyhow::Result<adgang_core::Round> {
        self.tick().await
    }
}
