//! Issue 31: failed authentications are limited, so that nobody can flood the append-only
//! logs by calling with wrong credentials. (Guessing is not what this stops: API keys and
//! client secrets are 256-bit random values; a correct one is always let through, so nobody
//! can lock a system out by failing in its name.) A token bucket per key — e.g. per
//! system and per source address: a failure takes a token from each; while any of them is
//! empty, failures are answered 429 with `Retry-After` and not logged one by one, but in at
//! most one summarising row per minute. A correct credential is never held back by this.
//!
//! Measured on the monotonic clock: a rate limit is about real seconds, not the business
//! "now" of the `Clock` port.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What to do with one failed authentication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Within the limit: answer as usual and log it.
    Allowed,
    /// Over the limit: answer 429 with this `Retry-After`; `summary` is `Some(n)` when a
    /// summarising row is due now, for the `n` failures held back since the last one.
    Limited {
        retry_after_seconds: u64,
        summary: Option<u64>,
    },
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

#[derive(Debug, Default)]
struct Summary {
    last: Option<Instant>,
    held_back: u64,
}

#[derive(Debug, Default)]
struct State {
    buckets: HashMap<String, Bucket>,
    summaries: HashMap<String, Summary>,
    pruned: Option<Instant>,
}

/// One limiter (e.g. the system API's keys, the token endpoint's client secrets).
#[derive(Debug)]
pub struct Throttle {
    /// Its label in `/metrics`.
    pub name: &'static str,
    capacity: f64,
    per_second: f64,
    summary_every: Duration,
    state: Mutex<State>,
    limited: AtomicU64,
}

/// A limiter's buckets are pruned (the full ones forgotten) beyond this many keys.
const PRUNE_ABOVE: usize = 10_000;

impl Throttle {
    /// `capacity` failures at once per key, refilled at `per_minute`.
    pub fn new(name: &'static str, capacity: u32, per_minute: u32) -> Throttle {
        Throttle {
            name,
            capacity: f64::from(capacity.max(1)),
            per_second: f64::from(per_minute.max(1)) / 60.0,
            summary_every: Duration::from_secs(60),
            state: Mutex::default(),
            limited: AtomicU64::new(0),
        }
    }

    /// The system API's and the token endpoint's default: 10 failures at once, 10 a minute.
    pub fn for_credentials(name: &'static str) -> Throttle {
        Throttle::new(name, 10, 10)
    }

    /// Failures answered 429 so far (`/metrics`).
    pub fn limited_total(&self) -> u64 {
        self.limited.load(Ordering::Relaxed)
    }

    /// Forgets full buckets and old summaries once there are many keys — at most every 10 s,
    /// so a flood of new keys costs no scan per call; and everything when even that is not
    /// enough (a limiter that forgets lets a few more rows through; one that grows without
    /// bound takes the server down).
    fn prune(&self, state: &mut State, now: Instant) {
        let many = state.buckets.len() + state.summaries.len() > PRUNE_ABOVE;
        let recently = state
            .pruned
            .is_some_and(|at| now.saturating_duration_since(at) < Duration::from_secs(10));
        if !many || recently {
            return;
        }
        state.pruned = Some(now);
        let (capacity, per_second) = (self.capacity, self.per_second);
        state.buckets.retain(|_, b| {
            b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * per_second < capacity
        });
        let every = self.summary_every;
        state.summaries.retain(|_, s| {
            s.held_back > 0
                && s.last
                    .is_some_and(|last| now.saturating_duration_since(last) < every)
        });
        if state.buckets.len() + state.summaries.len() > 4 * PRUNE_ABOVE {
            state.buckets.clear();
            state.summaries.clear();
        }
    }

    /// One failed authentication, charged to every key in `keys` (the first one names the
    /// summary: e.g. the system).
    pub fn failure(&self, keys: &[&str], now: Instant) -> Verdict {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.prune(&mut state, now);
        let mut wait = 0.0f64;
        for key in keys {
            let bucket = state.buckets.entry((*key).to_owned()).or_insert(Bucket {
                tokens: self.capacity,
                at: now,
            });
            let refilled = now.saturating_duration_since(bucket.at).as_secs_f64() * self.per_second;
            bucket.tokens = (bucket.tokens + refilled).min(self.capacity);
            bucket.at = now;
            if bucket.tokens < 1.0 {
                wait = wait.max((1.0 - bucket.tokens) / self.per_second);
            }
        }
        if wait == 0.0 {
            for key in keys {
                if let Some(bucket) = state.buckets.get_mut(*key) {
                    bucket.tokens -= 1.0;
                }
            }
            return Verdict::Allowed;
        }
        self.limited.fetch_add(1, Ordering::Relaxed);
        let summary = keys.first().map(|first| {
            let summary = state.summaries.entry((*first).to_owned()).or_default();
            summary.held_back += 1;
            let due = summary
                .last
                .is_none_or(|last| now.saturating_duration_since(last) >= self.summary_every);
            if due {
                summary.last = Some(now);
                Some(std::mem::take(&mut summary.held_back))
            } else {
                None
            }
        });
        Verdict::Limited {
            retry_after_seconds: wait.ceil().max(1.0) as u64,
            summary: summary.flatten(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_31_failures_beyond_the_bucket_are_limited_and_summarised_once_a_minute() {
        let throttle = Throttle::new("test", 3, 6);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(
                throttle.failure(&["system:a", "addr:1"], t0),
                Verdict::Allowed
            );
        }
        let Verdict::Limited {
            retry_after_seconds,
            summary,
        } = throttle.failure(&["system:a", "addr:1"], t0)
        else {
            panic!("not limited")
        };
        assert_eq!(retry_after_seconds, 10, "6 a minute: one every 10 s");
        assert_eq!(
            summary,
            Some(1),
            "the first held back is summarised at once"
        );
        for _ in 0..50 {
            assert!(matches!(
                throttle.failure(&["system:a", "addr:2"], t0 + Duration::from_secs(1)),
                Verdict::Limited { summary: None, .. }
            ));
        }
        assert_eq!(throttle.limited_total(), 51);
        // Another system from another address is not held back by a's flood.
        assert_eq!(
            throttle.failure(&["system:b", "addr:3"], t0),
            Verdict::Allowed
        );
        // A minute later: tokens again, and the next limited failure carries the summary.
        let later = t0 + Duration::from_secs(61);
        for _ in 0..3 {
            assert_eq!(
                throttle.failure(&["system:a", "addr:4"], later),
                Verdict::Allowed
            );
        }
        assert!(matches!(
            throttle.failure(&["system:a", "addr:4"], later),
            Verdict::Limited {
                summary: Some(51),
                ..
            }
        ));
    }
}
