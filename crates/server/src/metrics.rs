//! Prometheus text metrics (X-11): request counts and latency histograms per route.
//!
//! Small and dependency-free on purpose: labels are the matched route *pattern* (never the raw
//! path) and one of the standard methods (any other is `other`), so cardinality stays bounded by
//! the route table whatever unauthenticated callers send.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

const BUCKETS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
    /// Issue 31: the limiters of failed authentications, counted as they refuse.
    pub throttles: Vec<std::sync::Arc<adgang_core::throttle::Throttle>>,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    durations: BTreeMap<String, Histogram>,
}

#[derive(Default, Clone)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Metrics {
    pub fn record(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let method = match method {
            "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" => method,
            _ => "other",
        };
        let seconds = elapsed.as_secs_f64();
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        *inner
            .requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
        let histogram = inner.durations.entry(route.to_owned()).or_default();
        for (bucket, bound) in histogram.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    /// The Prometheus text exposition format, version 0.0.4.
    pub fn render(&self) -> String {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::new();
        let _ = writeln!(out, "# HELP adgang_build_info Build information.");
        let _ = writeln!(out, "# TYPE adgang_build_info gauge");
        let _ = writeln!(
            out,
            "adgang_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        );
        let _ = writeln!(
            out,
            "# HELP adgang_http_requests_total HTTP requests by route and status."
        );
        let _ = writeln!(out, "# TYPE adgang_http_requests_total counter");
        for ((method, route, status), n) in &inner.requests {
            let _ = writeln!(
                out,
                "adgang_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                escape(route)
            );
        }
        let _ = writeln!(
            out,
            "# HELP adgang_http_request_duration_seconds HTTP request latency by route."
        );
        let _ = writeln!(out, "# TYPE adgang_http_request_duration_seconds histogram");
        for (route, h) in &inner.durations {
            let route = escape(route);
            for (n, bound) in h.buckets.iter().zip(BUCKETS) {
                let _ = writeln!(
                    out,
                    "adgang_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "adgang_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "adgang_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "adgang_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        let _ = writeln!(
            out,
            "# HELP adgang_auth_failures_limited_total Failed authentications answered 429 (not logged one by one)."
        );
        let _ = writeln!(out, "# TYPE adgang_auth_failures_limited_total counter");
        for throttle in &self.throttles {
            let _ = writeln!(
                out,
                "adgang_auth_failures_limited_total{{throttle=\"{}\"}} {}",
                throttle.name,
                throttle.limited_total()
            );
        }
        out
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x_11_histogram_buckets_are_cumulative() {
        let m = Metrics::default();
        m.record("GET", "/healthz", 200, Duration::from_micros(500));
        m.record("GET", "/healthz", 200, Duration::from_millis(30));
        let text = m.render();
        assert!(text.contains(
            "adgang_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 2"
        ));
        assert!(text.contains(
            "adgang_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.001\"} 1"
        ));
        assert!(text.contains(
            "adgang_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.05\"} 2"
        ));
        assert!(text.contains("adgang_http_request_duration_seconds_count{route=\"/healthz\"} 2"));
    }

    #[test]
    fn x_11_unknown_methods_share_one_label() {
        let metrics = Metrics::default();
        for i in 0..1000 {
            metrics.record(
                &format!("M{i:0>200}"),
                "unmatched",
                405,
                Duration::from_millis(1),
            );
        }
        let text = metrics.render();
        assert!(
            text.contains(r#"method="other",route="unmatched",status="405"} 1000"#),
            "{text}"
        );
        assert!(text.len() < 10_000, "bounded: {} bytes", text.len());
    }
}
