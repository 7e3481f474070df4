//! Request id, access log and metrics for every request.
//!
//! The id comes from an incoming `X-Request-Id` (when it is a sane token) or is a fresh UUIDv7;
//! it is on the tracing span of everything the request logs and echoed in the response header.
//!
//! Issue 31: the log never holds a value from the path or the query — one-time secrets travel
//! there (the NemSMS confirmation link `/nemsms/bekraeft/{token}`). A matched route is logged
//! as its pattern (`/api/v1/…/{id}`); any other path (the SPA's own routes, assets, 404s) with
//! every segment that is not a plain route word replaced by `{…}`; the query never.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage};
use tracing::Instrument;

use crate::metrics::Metrics;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The request id, available to handlers as a request extension.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let request_id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_sane_id(v))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let method = req.method().to_string();
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let logged_path = match req.match_pattern() {
        Some(pattern) => pattern,
        None => redacted(req.path()),
    };
    let span = tracing::info_span!("http", request_id = %request_id, method = %method, path = %logged_path);
    let started = Instant::now();

    let result = next.call(req).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let status = match &result {
        Ok(res) => res.status(),
        Err(err) => err.as_response_error().status_code(),
    };
    span.in_scope(|| {
        tracing::info!(
            status = status.as_u16(),
            elapsed_ms = elapsed.as_secs_f64() * 1000.0,
            "request"
        )
    });
    if let Some(metrics) = metrics {
        metrics.record(&method, &route, status.as_u16(), elapsed);
    }
    result.map(|mut res| {
        if let Ok(value) = HeaderValue::from_str(&request_id) {
            res.headers_mut().insert(REQUEST_ID, value);
        }
        res
    })
}

/// `path` with every segment that is not a route word (lowercase letters, `-`, `.` and `_`,
/// at most 32 characters, like `nemsms`, `app.js`) replaced by `{…}`.
fn redacted(path: &str) -> String {
    let word = |segment: &str| {
        segment.len() <= 32
            && segment.starts_with(|c: char| c.is_ascii_lowercase())
            && segment
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c == '.' || c == '_')
    };
    path.split('/')
        .map(|segment| {
            if segment.is_empty() || word(segment) {
                segment
            } else {
                "{…}"
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Accept caller ids only when short and plain, so they cannot pollute logs.
fn is_sane_id(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 64
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn issue_31_a_path_is_logged_without_its_values() {
        assert_eq!(
            redacted("/nemsms/bekraeft/q2Fz9-kL0_x"),
            "/nemsms/bekraeft/{…}"
        );
        assert_eq!(
            redacted("/nemsms/bekraeft/abcdefghijklmnopqrstuvwxyzabcdefgh"),
            "/nemsms/bekraeft/{…}",
            "too long for a route word"
        );
        assert_eq!(
            redacted("/organisationer/12345678/systemer"),
            "/organisationer/{…}/systemer"
        );
        assert_eq!(redacted("/assets/app.js"), "/assets/app.js");
        assert_eq!(redacted("/"), "/");
    }
}
