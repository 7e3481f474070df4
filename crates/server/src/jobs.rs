//! The supervisor of the modules' background jobs (issue 30): each job runs its rounds in its
//! own task; a round that panics or fails is logged, counted (`adgang_job_restarts_total`) and
//! the job started again after a backoff (200 ms doubling to 30 s, back to 200 ms after a
//! round succeeds). `/readyz` reports a job that has completed no round within its declared
//! [`Schedule::stale_after`]; on shutdown the jobs finish their round and stop, within a
//! deadline after which they are aborted.

use std::fmt::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use adgang_core::jobs::{Job, Round, Schedule};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The first pause before a restart; doubled per failure in a row.
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// How long shutdown waits for the jobs' current rounds.
const SHUTDOWN_DEADLINE: Duration = Duration::from_secs(10);

/// What is known of one job while it runs.
struct JobState {
    name: &'static str,
    schedule: Schedule,
    started: Instant,
    restarts: AtomicU64,
    /// Completed rounds since the start.
    rounds: AtomicU64,
    /// The last completed round: monotonic (for staleness) and wall time (for `/metrics`).
    last_success: Mutex<Option<(Instant, SystemTime)>>,
    /// Test hooks: panic at the next round; stay down until resumed.
    panic_next: AtomicBool,
    halted: AtomicBool,
}

impl JobState {
    fn succeeded(&self) {
        let mut last = self.last_success.lock().unwrap_or_else(|p| p.into_inner());
        *last = Some((Instant::now(), SystemTime::now()));
        self.rounds.fetch_add(1, Ordering::Relaxed);
    }

    /// How long the job has gone without a completed round, when that is past its period.
    fn overdue(&self, now: Instant) -> Option<Duration> {
        let last = self.last_success.lock().unwrap_or_else(|p| p.into_inner());
        let since = now.duration_since(last.map_or(self.started, |(at, _)| at));
        (since > self.schedule.stale_after).then_some(since)
    }
}

/// The running jobs as `/metrics`, `/readyz` and tests see them (app data).
#[derive(Clone, Default)]
pub struct JobControl {
    jobs: Arc<Vec<Arc<JobState>>>,
}

/// A job that has completed no round for longer than its period.
pub struct StaleJob {
    pub name: &'static str,
    pub since: Duration,
    pub period: Duration,
}

impl JobControl {
    /// The names of the supervised jobs, in start order.
    pub fn names(&self) -> Vec<&'static str> {
        self.jobs.iter().map(|job| job.name).collect()
    }

    pub fn restarts(&self, name: &str) -> u64 {
        self.find(name)
            .map_or(0, |job| job.restarts.load(Ordering::Relaxed))
    }

    /// The jobs `/readyz` reports.
    pub fn stale(&self) -> Vec<StaleJob> {
        let now = Instant::now();
        self.jobs
            .iter()
            .filter_map(|job| {
                job.overdue(now).map(|since| StaleJob {
                    name: job.name,
                    since,
                    period: job.schedule.stale_after,
                })
            })
            .collect()
    }

    /// Test hook: the job's next round panics (inside its task, as a bug would).
    pub fn panic_next_round(&self, name: &str) {
        if let Some(job) = self.find(name) {
            job.panic_next.store(true, Ordering::SeqCst);
        }
    }

    /// Test hook: the job's task ends after its current round and is not restarted until
    /// [`JobControl::resume`] — a consumer that is down.
    pub fn halt(&self, name: &str) {
        if let Some(job) = self.find(name) {
            job.halted.store(true, Ordering::SeqCst);
        }
    }

    pub fn resume(&self, name: &str) {
        if let Some(job) = self.find(name) {
            job.halted.store(false, Ordering::SeqCst);
        }
    }

    fn find(&self, name: &str) -> Option<&Arc<JobState>> {
        self.jobs.iter().find(|job| job.name == name)
    }

    /// The jobs' lines of the Prometheus text format.
    pub fn render(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "# HELP adgang_job_restarts_total Background job restarts after a panic or failed round."
        );
        let _ = writeln!(out, "# TYPE adgang_job_restarts_total counter");
        for job in self.jobs.iter() {
            let _ = writeln!(
                out,
                "adgang_job_restarts_total{{job=\"{}\"}} {}",
                job.name,
                job.restarts.load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(
            out,
            "# HELP adgang_job_last_success_timestamp_seconds When the job last completed a round (0: never)."
        );
        let _ = writeln!(
            out,
            "# TYPE adgang_job_last_success_timestamp_seconds gauge"
        );
        for job in self.jobs.iter() {
            let last = job.last_success.lock().unwrap_or_else(|p| p.into_inner());
            let seconds = last
                .and_then(|(_, at)| at.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map_or(0.0, |d| d.as_secs_f64());
            let _ = writeln!(
                out,
                "adgang_job_last_success_timestamp_seconds{{job=\"{}\"}} {seconds:.3}",
                job.name
            );
        }
    }
}

/// The started jobs; [`Supervisor::stop`] ends them.
pub struct Supervisor {
    control: JobControl,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Supervisor {
    /// Names the jobs and their state; [`Supervisor::start`] runs them.
    pub fn control_for(jobs: &[Box<dyn Job>]) -> JobControl {
        let started = Instant::now();
        JobControl {
            jobs: Arc::new(
                jobs.iter()
                    .map(|job| {
                        Arc::new(JobState {
                            name: job.name(),
                            schedule: job.schedule(),
                            started,
                            restarts: AtomicU64::new(0),
                            rounds: AtomicU64::new(0),
                            last_success: Mutex::new(None),
                            panic_next: AtomicBool::new(false),
                            halted: AtomicBool::new(false),
                        })
                    })
                    .collect(),
            ),
        }
    }

    /// Starts every job (`control` from [`Supervisor::control_for`] over the same jobs).
    pub fn start(jobs: Vec<Box<dyn Job>>, control: JobControl) -> Supervisor {
        let (shutdown, stopping) = watch::channel(false);
        let tasks = jobs
            .into_iter()
            .zip(control.jobs.iter().cloned())
            .map(|(job, state)| {
                let job: Arc<dyn Job> = Arc::from(job);
                tokio::spawn(supervise(job, state, stopping.clone()))
            })
            .collect();
        Supervisor {
            control,
            shutdown,
            tasks,
        }
    }

    pub fn control(&self) -> JobControl {
        self.control.clone()
    }

    /// Lets every job finish its round and waits for them, aborting what is still running
    /// after the deadline.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        // Each supervisor aborts its job's round at the deadline; this is the backstop.
        let deadline = tokio::time::Instant::now() + SHUTDOWN_DEADLINE + Duration::from_secs(1);
        for mut task in self.tasks {
            if tokio::time::timeout_at(deadline, &mut task).await.is_err() {
                task.abort();
            }
        }
    }
}

/// Runs `job` until shutdown, restarting it after a panic or a failed round.
async fn supervise(job: Arc<dyn Job>, state: Arc<JobState>, mut stopping: watch::Receiver<bool>) {
    let mut backoff = FIRST_BACKOFF;
    loop {
        if *stopping.borrow() {
            break;
        }
        if state.halted.load(Ordering::SeqCst) {
            if let Some(liveness) = job.liveness() {
                liveness.set(false);
            }
            if stopped_within(&mut stopping, Duration::from_millis(50)).await {
                break;
            }
            continue;
        }
        if let Some(liveness) = job.liveness() {
            liveness.set(true);
        }
        let rounds_before = state.rounds.load(Ordering::Relaxed);
        let mut run = tokio::spawn(rounds(job.clone(), state.clone(), stopping.clone()));
        let ended = tokio::select! {
            ended = &mut run => ended,
            () = shutdown_begun(stopping.clone()) => {
                // The round in progress may finish (a commit, a push); then it is cut off.
                match tokio::time::timeout(SHUTDOWN_DEADLINE, &mut run).await {
                    Ok(ended) => ended,
                    Err(_) => {
                        run.abort();
                        tracing::warn!(job = state.name, "background job did not stop within the deadline; aborted");
                        break;
                    }
                }
            }
        };
        if let Some(liveness) = job.liveness() {
            liveness.set(false);
        }
        let failure = match ended {
            Ok(Ok(RoundsEnded::Stopped)) => break,
            Ok(Ok(RoundsEnded::Halted)) => continue,
            Ok(Err(err)) => format!("{err:#}"),
            Err(join) if join.is_panic() => {
                let payload = join.into_panic();
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic".to_owned());
                format!("panicked: {message}")
            }
            Err(_) => break, // cancelled: the runtime is shutting down
        };
        state.restarts.fetch_add(1, Ordering::Relaxed);
        if state.rounds.load(Ordering::Relaxed) != rounds_before {
            // It ran well for a while: a new failure, not the same one again.
            backoff = FIRST_BACKOFF;
        }
        tracing::error!(job = state.name, error = %failure, backoff_ms = backoff.as_millis() as u64, "background job failed; restarting");
        if stopped_within(&mut stopping, backoff).await {
            break;
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

enum RoundsEnded {
    Stopped,
    Halted,
}

/// The job's rounds until shutdown or a failure (`Err`, or a panic of this task).
async fn rounds(
    job: Arc<dyn Job>,
    state: Arc<JobState>,
    mut stopping: watch::Receiver<bool>,
) -> anyhow::Result<RoundsEnded> {
    loop {
        if *stopping.borrow() {
            return Ok(RoundsEnded::Stopped);
        }
        if state.halted.load(Ordering::SeqCst) {
            return Ok(RoundsEnded::Halted);
        }
        if state.panic_next.swap(false, Ordering::SeqCst) {
            panic!("test hook: {} made to panic", state.name);
        }
        let round = job.round().await?;
        state.succeeded();
        let pause = match round {
            Round::More => Duration::ZERO,
            Round::Idle => job.schedule().idle,
        };
        if pause.is_zero() {
            tokio::task::yield_now().await;
        } else if stopped_within(&mut stopping, pause).await {
            return Ok(RoundsEnded::Stopped);
        }
    }
}

/// Returns when shutdown begins (or the supervisor is gone).
async fn shutdown_begun(mut stopping: watch::Receiver<bool>) {
    while !*stopping.borrow() {
        if stopping.changed().await.is_err() {
            return;
        }
    }
}

/// Waits `pause`; true when shutdown began meanwhile.
async fn stopped_within(stopping: &mut watch::Receiver<bool>, pause: Duration) -> bool {
    if *stopping.borrow() {
        return true;
    }
    tokio::select! {
        _ = tokio::time::sleep(pause) => *stopping.borrow(),
        changed = stopping.changed() => changed.is_err() || *stopping.borrow(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A job whose rounds take `round` and fail when `fails`.
    struct Probe {
        round: Duration,
        fails: bool,
    }

    #[async_trait::async_trait]
    impl Job for Probe {
        fn name(&self) -> &'static str {
            "probe"
        }

        fn schedule(&self) -> Schedule {
            Schedule {
                idle: Duration::from_millis(10),
                stale_after: Duration::from_millis(150),
            }
        }

        async fn round(&self) -> anyhow::Result<Round> {
            tokio::time::sleep(self.round).await;
            if self.fails {
                anyhow::bail!("probe failed");
            }
            Ok(Round::Idle)
        }
    }

    fn started(probe: Probe) -> Supervisor {
        let jobs: Vec<Box<dyn Job>> = vec![Box::new(probe)];
        let control = Supervisor::control_for(&jobs);
        Supervisor::start(jobs, control)
    }

    #[tokio::test]
    async fn issue_30_a_job_stuck_in_its_round_is_reported_stale_with_its_period() {
        let supervisor = started(Probe {
            round: Duration::from_secs(3600),
            fails: false,
        });
        assert!(
            supervisor.control().stale().is_empty(),
            "not yet past its period"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        let stale = supervisor.control().stale();
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].name, "probe");
        assert_eq!(stale[0].period, Duration::from_millis(150));
        assert!(stale[0].since >= Duration::from_millis(300));
        // Shutdown does not wait for ever on a stuck round: aborted at the deadline.
        let stopping = Instant::now();
        supervisor.stop().await;
        assert!(stopping.elapsed() <= SHUTDOWN_DEADLINE + Duration::from_secs(1));
    }

    #[tokio::test]
    async fn issue_30_a_healthy_job_is_not_stale_and_stops_at_once_on_shutdown() {
        let supervisor = started(Probe {
            round: Duration::from_millis(5),
            fails: false,
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(supervisor.control().stale().is_empty());
        let mut text = String::new();
        supervisor.control().render(&mut text);
        assert!(
            text.contains("adgang_job_restarts_total{job=\"probe\"} 0"),
            "{text}"
        );
        let stopping = Instant::now();
        supervisor.stop().await;
        assert!(stopping.elapsed() < Duration::from_millis(500));
    }

    #[tokio::test]
    async fn issue_30_a_failing_job_is_restarted_with_growing_backoff() {
        let supervisor = started(Probe {
            round: Duration::ZERO,
            fails: true,
        });
        tokio::time::sleep(Duration::from_millis(700)).await;
        // 200 + 400 ms of backoff fit into 700 ms: two or three restarts, not hundreds.
        let restarts = supervisor.control().restarts("probe");
        assert!((2..=3).contains(&restarts), "{restarts} restarts");
        supervisor.stop().await;
    }
}
