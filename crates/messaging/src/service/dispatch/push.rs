//! One push to a system's endpoint (CORE-03) through the server's guarded outbound client
//! (issue 31): signed with the system's API key, the message id as idempotency key.

use std::time::Instant;

use adgang_api_types::words::delivery;
use adgang_core::ports::ConnectedSystem;
use adgang_core::Outbound;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sea_orm::Set;
use sha2::Sha256;

use crate::entity::delivery_attempt;

/// How one push or notification went.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub status: Option<u16>,
    pub error: Option<String>,
    pub latency_ms: i32,
    /// Never sent: the address was refused, or there was nothing to send to. Teaches the
    /// circuit breaker nothing about the destination.
    pub refused: bool,
}

impl Outcome {
    /// No attempt could be made (no active system, no endpoint, a paused destination): a
    /// failure with `why`.
    pub fn not_attempted(why: &str) -> Outcome {
        Outcome {
            status: None,
            error: Some(why.to_owned()),
            latency_ms: 0,
            refused: true,
        }
    }

    pub fn succeeded(&self) -> bool {
        self.error.is_none()
    }

    /// The delivery attempt this outcome makes of `system_id`'s push of `message_id` to
    /// `endpoint` at `at`, as the system's page lists it; `test`: a test message.
    pub fn attempt(
        &self,
        system_id: String,
        message_id: String,
        endpoint: String,
        at: DateTime<Utc>,
        test: bool,
    ) -> delivery_attempt::ActiveModel {
        delivery_attempt::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            system_id: Set(system_id),
            message_id: Set(message_id),
            attempted_at: Set(at),
            endpoint: Set(endpoint),
            http_status: Set(self.status.map(i32::from)),
            error: Set(self.error.clone()),
            latency_ms: Set(self.latency_ms),
            succeeded: Set(self.succeeded()),
            next_attempt_at: Set(None),
            test: Set(test),
        }
    }

    /// Whether the destination answered like a working endpoint — anything but no answer, a
    /// 5xx or 429 — what the circuit breaker counts; `None` when nothing was sent.
    pub fn reached(&self) -> Option<bool> {
        (!self.refused).then(|| self.status.is_some_and(|s| s < 500 && s != 429))
    }
}

/// POSTs `body` to `endpoint`, signed with the system's API key and carrying the message id as
/// idempotency key (CORE-03); a test message says so in `X-Test-Message`. Any 2xx is success.
/// An address the deployment may not reach is an attempt that failed with why, never a
/// connection.
pub async fn push(
    outbound: &Outbound,
    system: &ConnectedSystem,
    endpoint: &str,
    message_id: &str,
    sender_cvr: &str,
    body: String,
    test: bool,
) -> Outcome {
    let Ok(url) = reqwest::Url::parse(endpoint) else {
        return Outcome::not_attempted(delivery::NOT_AN_ADDRESS.da);
    };
    let mut request = match outbound.request(reqwest::Method::POST, &url) {
        Ok(request) => request,
        Err(refused) => return Outcome::not_attempted(&refused.danish()),
    };
    request = request
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("Idempotency-Key", message_id)
        .header("X-Message-Id", message_id)
        .header("X-Sender-Cvr", sender_cvr);
    if test {
        request = request.header("X-Test-Message", "true");
    }
    if let Some(key) = system.api_key.as_deref() {
        request = request.header("X-Adgang-Signature", signature(key, body.as_bytes()));
    }
    let started = Instant::now();
    let result = outbound.send(request.body(body)).await;
    let latency_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
    match result {
        Ok(response) if response.status().is_success() => Outcome {
            status: Some(response.status().as_u16()),
            error: None,
            latency_ms,
            refused: false,
        },
        Ok(response) => Outcome {
            status: Some(response.status().as_u16()),
            error: Some(
                delivery::ANSWERED_HTTP.da_with(&[&response.status().as_u16().to_string()]),
            ),
            latency_ms,
            refused: false,
        },
        Err(err) => Outcome {
            status: None,
            error: Some(err.danish()),
            latency_ms,
            refused: matches!(err, adgang_core::outbound::OutboundError::Refused(_)),
        },
    }
}

/// `sha256=<hex HMAC-SHA256 of the body with the system's API key>`: the recipient system can
/// check that a push comes from Digital Post without the key itself travelling.
pub fn signature(key: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}
