//! Issue 31: one slow endpoint cannot stall delivery to the others. Pushes in flight are
//! bounded per destination (an endpoint's host and port, whichever systems share it) and in
//! total, and a destination that keeps failing is paused — a circuit breaker: its jobs then
//! fail at once, without a connection, and are retried on the unchanged CORE-03 schedule; when
//! the pause is over one push probes it and closes or reopens the breaker.
//!
//! The accounting is this instance's own (several instances each bound their own pushes).
//! The pause is measured on the `Clock` from when the failing push began; it is shorter than
//! the schedule's shortest gap (15 minutes) and never changes when an attempt happens.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

/// The bounds of the dispatcher (configurable, see `ADGANG_DELIVERY_*` in the server's config).
#[derive(Debug, Clone, Copy)]
pub struct DeliveryLimits {
    /// Pushes in flight to one destination at once.
    pub per_destination: usize,
    /// Jobs running at once in this instance; as many again may be parked (claimed while
    /// their destination is busy).
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
    /// When a push to it last ended, or the first one started (real time: "is it moving").
    progress: Option<std::time::Instant>,
}

/// A destination at its bound that has ended no push for this long is stuck.
const STUCK_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

impl Destination {
    /// At its bound (or probing) and no push ended for [`STUCK_AFTER`].
    fn is_stuck(&self, limits: &DeliveryLimits) -> bool {
        (self.in_flight >= limits.per_destination || self.probing)
            && self.progress.is_none_or(|at| at.elapsed() >= STUCK_AFTER)
    }
}

/// Which of a system's endpoints a job pushes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Leg {
    /// Messages and notifications: the system's endpoint.
    Messages,
    /// Business receipts: the sender system's receipt endpoint.
    Receipts,
}

/// Whether a claimed job's push may start.
#[derive(Debug, PartialEq, Eq)]
pub enum Admission {
    /// Yes; `probe` when it is the one push that tests a paused destination.
    Go { probe: bool },
    /// The destination has its pushes in flight (or its probe): later, attempt not burnt.
    Busy,
    /// The breaker is open: the attempt fails at once.
    Paused,
}

#[derive(Debug, Default)]
struct State {
    destinations: HashMap<String, Destination>,
    /// Where each system's leg pushes to now (an endpoint that moved moves its system).
    members: HashMap<(String, Leg), String>,
}

/// The destinations this instance pushes to.
#[derive(Debug, Default)]
pub struct Destinations {
    state: Mutex<State>,
    /// Woken when a push gives its place back: a parked job may start.
    pub freed: tokio::sync::Notify,
}

impl Destinations {
    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// May a push to `key` (for `system`'s `leg`) start now? `Go` takes a place, given back
    /// by the [`Slot`] the caller makes.
    pub fn admit(
        &self,
        key: &str,
        member: (&str, Leg),
        limits: &DeliveryLimits,
        now: DateTime<Utc>,
    ) -> Admission {
        self.with(|state| {
            let member = (member.0.to_owned(), member.1);
            if state.members.get(&member).is_none_or(|k| k != key) {
                state.members.insert(member, key.to_owned());
            }
            let d = state.destinations.entry(key.to_owned()).or_default();
            if d.in_flight == 0 {
                d.progress = Some(std::time::Instant::now());
            }
            match d.paused_until {
                Some(until) if now < until => Admission::Paused,
                Some(_) if d.probing => Admission::Busy,
                Some(_) => {
                    d.probing = true;
                    d.in_flight += 1;
                    Admission::Go { probe: true }
                }
                None if d.in_flight >= limits.per_destination => Admission::Busy,
                None => {
                    d.in_flight += 1;
                    Admission::Go { probe: false }
                }
            }
        })
    }

    /// The push to `key` ended: `reached` when the endpoint answered like a working one,
    /// `None` when nothing was learnt about it (refused before connecting, task stopped).
    fn finish(&self, slot: &Slot, reached: Option<bool>) {
        self.with(|state| {
            let Some(d) = state.destinations.get_mut(&slot.key) else {
                return;
            };
            d.in_flight = d.in_flight.saturating_sub(1);
            d.progress = Some(std::time::Instant::now());
            if slot.probe {
                d.probing = false;
            }
            match reached {
                Some(true) => {
                    d.consecutive_failures = 0;
                    d.paused_until = None;
                }
                Some(false) => {
                    d.consecutive_failures = d.consecutive_failures.saturating_add(1);
                    if slot.probe || d.consecutive_failures >= slot.limits.breaker_failures {
                        if d.paused_until.is_none() {
                            tracing::warn!(destination = %slot.key, "delivery paused after failures");
                        }
                        d.paused_until = Some(slot.admitted_at + slot.limits.breaker_pause);
                    }
                }
                None => {}
            }
        });
        self.freed.notify_one();
    }

    /// The systems' legs whose destination is stuck — at its bound (or probing) and no push
    /// ended for a second: the claim leaves their jobs in the database. (A destination that is
    /// merely busy keeps being claimed for, its jobs parked: excluding it would make every
    /// claim walk past its whole backlog.)
    pub fn stuck(&self, limits: &DeliveryLimits) -> Vec<(String, Leg)> {
        self.with(|state| {
            state
                .members
                .iter()
                .filter(|(_, key)| {
                    state
                        .destinations
                        .get(*key)
                        .is_some_and(|d| d.is_stuck(limits))
                })
                .map(|(member, _)| member.clone())
                .collect()
        })
    }

    /// Whether the destination `key` is stuck (see [`Destinations::stuck`]).
    pub fn is_stuck(&self, key: &str, limits: &DeliveryLimits) -> bool {
        self.with(|state| {
            state
                .destinations
                .get(key)
                .is_some_and(|d| d.is_stuck(limits))
        })
    }

    /// Pushes in flight to `key` (tests, metrics).
    pub fn in_flight(&self, key: &str) -> usize {
        self.with(|state| state.destinations.get(key).map_or(0, |d| d.in_flight))
    }
}

/// A push's hold on its destination's place: given back with the result by [`Slot::finish`],
/// or without one when dropped (a stopped task).
pub struct Slot {
    pub destinations: Arc<Destinations>,
    pub key: String,
    pub limits: DeliveryLimits,
    /// When the push was admitted: a pause counts from here. (Counting from the failure
    /// would let a pause reach into the next scheduled attempt when "now" jumps, as a test's
    /// clock does; a push lasts at most 30 s, the shortest gap of the schedule is 15 minutes.)
    pub admitted_at: DateTime<Utc>,
    /// The one push testing a paused destination.
    pub probe: bool,
    finished: bool,
}

impl Slot {
    pub fn new(
        destinations: Arc<Destinations>,
        key: String,
        limits: DeliveryLimits,
        admitted_at: DateTime<Utc>,
        probe: bool,
    ) -> Slot {
        Slot {
            destinations,
            key,
            limits,
            admitted_at,
            probe,
            finished: false,
        }
    }

    /// The push ended: `reached` as [`Destinations::finish`] takes it.
    pub fn finish(mut self, reached: Option<bool>) {
        self.finished = true;
        self.destinations.clone().finish(&self, reached);
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if !self.finished {
            self.destinations.clone().finish(self, None);
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

    const GO: Admission = Admission::Go { probe: false };
    const PROBE: Admission = Admission::Go { probe: true };

    /// A push that took a place at `key` ends with `reached`.
    fn ended(d: &Arc<Destinations>, key: &str, at: DateTime<Utc>, probe: bool, reached: bool) {
        Slot::new(d.clone(), key.to_owned(), limits(), at, probe).finish(Some(reached));
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
        assert_eq!(d.admit(&key, ("a", Leg::Messages), &l, t0), GO);
        assert_eq!(d.admit(&key, ("b", Leg::Messages), &l, t0), GO);
        assert_eq!(d.admit(&key, ("a", Leg::Messages), &l, t0), Admission::Busy);
        // a's receipts go elsewhere: only its messages are held back.
        assert_eq!(d.admit("other:443", ("a", Leg::Receipts), &l, t0), GO);
        // Busy but only just started: not stuck yet; a second without progress: stuck.
        assert!(d.stuck(&l).is_empty());
        std::thread::sleep(STUCK_AFTER);
        let mut stuck = d.stuck(&l);
        stuck.sort_by(|x, y| x.0.cmp(&y.0));
        assert_eq!(
            stuck,
            [
                ("a".to_owned(), Leg::Messages),
                ("b".to_owned(), Leg::Messages)
            ]
        );

        // Three failures in a row pause it; a pause counts from the failing push's start.
        for _ in 0..3 {
            ended(&d, &key, t0, false, false);
        }
        assert_eq!(d.in_flight(&key), 0);
        assert_eq!(
            d.admit(&key, ("a", Leg::Messages), &l, t0 + Duration::seconds(59)),
            Admission::Paused
        );
        // After the pause one probe goes; the others wait for its result.
        let later = t0 + Duration::seconds(61);
        assert_eq!(d.admit(&key, ("a", Leg::Messages), &l, later), PROBE);
        assert_eq!(
            d.admit(&key, ("a", Leg::Messages), &l, later),
            Admission::Busy
        );
        ended(&d, &key, later, true, true);
        assert_eq!(d.admit(&key, ("a", Leg::Messages), &l, later), GO);
        assert_eq!(d.admit(&key, ("a", Leg::Messages), &l, later), GO);
        assert_eq!(
            d.admit(&key, ("a", Leg::Messages), &l, later),
            Admission::Busy
        );
    }

    #[test]
    fn issue_31_a_failed_probe_pauses_again_and_only_the_probe_ends_probing() {
        let d = Arc::new(Destinations::default());
        let t0: DateTime<Utc> = "2027-03-01T09:00:00Z".parse().unwrap();
        let l = limits();
        let member = ("s", Leg::Messages);
        for _ in 0..3 {
            assert_eq!(d.admit("x:443", member, &l, t0), GO);
            ended(&d, "x:443", t0, false, false);
        }
        let later = t0 + Duration::seconds(61);
        assert_eq!(d.admit("x:443", member, &l, later), PROBE);
        // A push admitted before the pause ends: the probe is still the only one.
        assert_eq!(d.admit("x:443", member, &l, later), Admission::Busy);
        ended(&d, "x:443", later, true, false);
        assert_eq!(d.admit("x:443", member, &l, later), Admission::Paused);
    }

    #[test]
    fn issue_31_a_refusal_or_a_dropped_slot_frees_the_place_and_teaches_nothing() {
        let d = Arc::new(Destinations::default());
        let t0: DateTime<Utc> = "2027-03-01T09:00:00Z".parse().unwrap();
        let l = limits();
        for _ in 0..5 {
            assert_eq!(d.admit("y:443", ("t", Leg::Messages), &l, t0), GO);
            Slot::new(d.clone(), "y:443".into(), l, t0, false).finish(None);
        }
        assert_eq!(d.admit("y:443", ("t", Leg::Messages), &l, t0), GO);
        drop(Slot::new(d.clone(), "y:443".into(), l, t0, false));
        assert_eq!(d.in_flight("y:443"), 0);
    }
}
