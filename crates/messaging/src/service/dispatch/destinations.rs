//! Issue 31: one slow endpoint cannot stall delivery to the others. Pushes in flight are
//! bounded per destination (an endpoint's host and port, whichever systems share it) and in
//! total, and a destination that keeps failing is paused — a circuit breaker: its jobs then
//! fail at once, without a connection, and are retried on the unchanged CORE-03 schedule; when
//! the pause is over one push probes it and closes or reopens the breaker.
//!
//! The accounting is this instance's own (several instances each bound their own pushes).
//! The pause is measured on the `Clock` from when the failing push began; it is shorter than
//! the schedule's shortest gap (15 minutes) and never changes when an attempt happens.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

/// The bounds of the dispatcher (configurable, see `ADGANG_DELIVERY_*` in the server's config).
#[derive(Debug, Clone, Copy)]
pub struct DeliveryLimits {
    /// Pushes in flight to one destination at once.
    pub per_destination: usize,
    /// Jobs this instance holds at once: running, and claimed while their destination is busy.
    pub total: usize,
    /// Consecutive failures (no answer, 5xx, 429) that pause a destination.
    pub breaker_failures: u32,
    /// How long a paused destination is left alone before one push probes it.
    pub breaker_pause: Duration,
}

impl Default for DeliveryLimits {
    fn default() -> Self {
        DeliveryLimits {
            per_destination: 4,
            total: 256,
            breaker_failures: 3,
            breaker_pause: Duration::seconds(60),
        }
    }
}

impl DeliveryLimits {
    /// The most claimed jobs one destination may wait with in memory: as many as its pushes
    /// can work off, one push timeout each, within a lease — beyond that they are left in the
    /// database for later, so a slow destination never outlives the lease of a claimed job.
    pub fn waiting_per_destination(&self, lease: Duration, push_timeout: Duration) -> usize {
        let rounds = (lease.num_seconds() / push_timeout.num_seconds().max(1)).max(1);
        self.per_destination * usize::try_from(rounds).unwrap_or(1)
    }
}

/// The key pushes are bounded by: `host:port` of the endpoint.
pub fn destination_of(endpoint: &str) -> String {
    match reqwest::Url::parse(endpoint) {
        Ok(url) => format!(
            "{}:{}",
            url.host_str().unwrap_or_default().to_ascii_lowercase(),
            url.port_or_known_default().unwrap_or(0)
        ),
        Err(_) => endpoint.to_owned(),
    }
}

#[derive(Debug, Default)]
struct Destination {
    in_flight: usize,
    consecutive_failures: u32,
    paused_until: Option<DateTime<Utc>>,
    /// After a pause: the one push that decides whether the breaker closes.
    probing: bool,
    /// The systems whose endpoints are here (what the claim query can exclude).
    systems: HashSet<String>,
}

/// Whether a claimed job's push may start.
#[derive(Debug, PartialEq, Eq)]
pub enum Admission {
    Go,
    /// The destination has its pushes in flight (or its probe): later, attempt not burnt.
    Busy,
    /// The breaker is open: the attempt fails at once.
    Paused,
}

/// The destinations this instance pushes to.
#[derive(Debug, Default)]
pub struct Destinations {
    state: Mutex<HashMap<String, Destination>>,
}

impl Destinations {
    fn with<T>(&self, f: impl FnOnce(&mut HashMap<String, Destination>) -> T) -> T {
        f(&mut self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// May a push to `key` (for `system`) start now? `Go` takes a slot, returned by the
    /// [`Slot`] the caller makes.
    pub fn admit(
        &self,
        key: &str,
        system: &str,
        limits: &DeliveryLimits,
        now: DateTime<Utc>,
    ) -> Admission {
        self.with(|all| {
            let d = all.entry(key.to_owned()).or_default();
            d.systems.insert(system.to_owned());
            match d.paused_until {
                Some(until) if now < until => Admission::Paused,
                Some(_) if d.probing => Admission::Busy,
                Some(_) => {
                    d.probing = true;
                    d.in_flight += 1;
                    Admission::Go
                }
                None if d.in_flight >= limits.per_destination => Admission::Busy,
                None => {
                    d.in_flight += 1;
                    Admission::Go
                }
            }
        })
    }

    /// The push to `key` ended: `reached` when the endpoint answered like a working one.
    fn finish(
        &self,
        key: &str,
        reached: Option<bool>,
        limits: &DeliveryLimits,
        now: DateTime<Utc>,
    ) {
        self.with(|all| {
            let Some(d) = all.get_mut(key) else { return };
            d.in_flight = d.in_flight.saturating_sub(1);
            let probe = std::mem::take(&mut d.probing);
            match reached {
                Some(true) => {
                    d.consecutive_failures = 0;
                    d.paused_until = None;
                }
                Some(false) => {
                    d.consecutive_failures = d.consecutive_failures.saturating_add(1);
                    if probe || d.consecutive_failures >= limits.breaker_failures {
                        if d.paused_until.is_none() {
                            tracing::warn!(destination = key, "delivery paused after failures");
                        }
                        d.paused_until = Some(now + limits.breaker_pause);
                    }
                }
                // Ended without a result (the task was stopped): nothing learnt.
                None => {}
            }
        });
    }

    /// Systems whose destination takes no further push now (at its bound, or probing): the
    /// claim leaves their jobs in the database.
    pub fn busy_systems(
        &self,
        limits: &DeliveryLimits,
        waiting: &HashMap<String, usize>,
    ) -> Vec<String> {
        self.with(|all| {
            all.iter()
                .filter(|(key, d)| {
                    d.in_flight >= limits.per_destination
                        || d.probing
                        || waiting.get(key.as_str()).is_some_and(|n| *n > 0)
                })
                .flat_map(|(_, d)| d.systems.iter().cloned())
                .collect()
        })
    }

    /// Pushes in flight to `key` (tests, metrics).
    pub fn in_flight(&self, key: &str) -> usize {
        self.with(|all| all.get(key).map_or(0, |d| d.in_flight))
    }
}

/// A push's hold on its destination's slot: given back with the result by [`Slot::finish`], or
/// without one when dropped (a stopped task).
pub struct Slot {
    pub destinations: Arc<Destinations>,
    pub key: String,
    pub limits: DeliveryLimits,
    /// When the push was admitted: a pause counts from here. (Counting from the failure
    /// would let a pause reach into the next scheduled attempt when "now" jumps, as a test's
    /// clock does; a push lasts at most 30 s, the shortest gap of the schedule is 15 minutes.)
    pub admitted_at: DateTime<Utc>,
    finished: bool,
}

impl Slot {
    pub fn new(
        destinations: Arc<Destinations>,
        key: String,
        limits: DeliveryLimits,
        admitted_at: DateTime<Utc>,
    ) -> Slot {
        Slot {
            destinations,
            key,
            limits,
            admitted_at,
            finished: false,
        }
    }

    pub fn finish(mut self, reached: bool) {
        self.finished = true;
        self.destinations
            .finish(&self.key, Some(reached), &self.limits, self.admitted_at);
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if !self.finished {
            self.destinations
                .finish(&self.key, None, &self.limits, self.admitted_at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> DeliveryLimits {
        DeliveryLimits {
            per_destination: 2,
            total: 10,
            breaker_failures: 3,
            breaker_pause: Duration::seconds(60),
        }
    }

    #[test]
    fn issue_31_a_destination_takes_its_bound_then_is_busy_and_pauses_after_failures() {
        let d = Arc::new(Destinations::default());
        let t0: DateTime<Utc> = "2027-03-01T09:00:00Z".parse().unwrap();
        let l = limits();
        let key = destination_of("https://Vendor.example:8443/push");
        assert_eq!(key, "vendor.example:8443");
        assert_eq!(
            destination_of("https://vendor.example/other"),
            "vendor.example:443"
        );
        assert_eq!(d.admit(&key, "a", &l, t0), Admission::Go);
        assert_eq!(d.admit(&key, "b", &l, t0), Admission::Go);
        assert_eq!(d.admit(&key, "a", &l, t0), Admission::Busy);
        let mut busy = d.busy_systems(&l, &HashMap::new());
        busy.sort();
        assert_eq!(busy, ["a", "b"]);
        // Another destination is not held up.
        assert_eq!(d.admit("other:443", "c", &l, t0), Admission::Go);

        for _ in 0..3 {
            Slot::new(d.clone(), key.clone(), l, t0).finish(false);
            d.admit(&key, "a", &l, t0);
        }
        assert_eq!(d.admit(&key, "a", &l, t0), Admission::Paused);
        // After the pause one probe goes; the others wait for its result.
        let later = t0 + Duration::seconds(61);
        while d.in_flight(&key) > 0 {
            Slot::new(d.clone(), key.clone(), l, t0).finish(false);
        }
        assert_eq!(
            d.admit(&key, "a", &l, t0 + Duration::seconds(59)),
            Admission::Paused
        );
        assert_eq!(d.admit(&key, "a", &l, later), Admission::Go);
        assert_eq!(d.admit(&key, "a", &l, later), Admission::Busy);
        Slot::new(d.clone(), key.clone(), l, later).finish(true);
        assert_eq!(d.admit(&key, "a", &l, later), Admission::Go);
        assert_eq!(d.admit(&key, "a", &l, later), Admission::Go);
        assert_eq!(d.admit(&key, "a", &l, later), Admission::Busy);
    }

    #[test]
    fn issue_31_a_failed_probe_pauses_again_and_a_dropped_slot_frees_its_place() {
        let d = Arc::new(Destinations::default());
        let t0: DateTime<Utc> = "2027-03-01T09:00:00Z".parse().unwrap();
        let l = limits();
        for _ in 0..3 {
            assert_eq!(d.admit("x:443", "s", &l, t0), Admission::Go);
            Slot::new(d.clone(), "x:443".into(), l, t0).finish(false);
        }
        let later = t0 + Duration::seconds(61);
        assert_eq!(d.admit("x:443", "s", &l, later), Admission::Go);
        Slot::new(d.clone(), "x:443".into(), l, later).finish(false);
        assert_eq!(d.admit("x:443", "s", &l, later), Admission::Paused);

        assert_eq!(d.admit("y:443", "t", &l, t0), Admission::Go);
        drop(Slot::new(d.clone(), "y:443".into(), l, t0));
        assert_eq!(d.in_flight("y:443"), 0);
    }
}
