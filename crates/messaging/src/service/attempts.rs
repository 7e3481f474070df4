//! The latest delivery attempts to a system's endpoint (issue 14 item 7) — what none of our
//! peers shows an administrator: when, which message, the status or network error, latency,
//! and when the next attempt is due.

use adgang_api_types::Page;
use adgang_api_types::{DeliveryAttempt, FieldCode, Protocol};
use adgang_core::pagination::PageRequest;
use adgang_core::ports::{ConnectedSystem, DynConnection};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::dispatch::push;
use super::Ports;
use crate::entity::delivery_attempt;
use crate::error::MessagingError;
use adgang_core::Outbound;

/// How the attempts can be ordered: by time (the default, newest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptSort {
    AttemptedAt,
}

pub const ATTEMPT_SORT: &[(&str, AttemptSort)] = &[("attemptedAt", AttemptSort::AttemptedAt)];

/// One page of the attempts to `system_id`; 404 unless it is a system of `org`.
pub async fn page(
    db: &impl ConnectionTrait,
    ports: &Ports,
    org: &str,
    system_id: &str,
    request: &PageRequest<AttemptSort>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Page<DeliveryAttempt>, MessagingError> {
    own_system(db, ports, org, system_id, now).await?;
    let query =
        delivery_attempt::Entity::find().filter(delivery_attempt::Column::SystemId.eq(system_id));
    let AttemptSort::AttemptedAt = request.sort;
    Ok(adgang_core::pagination::page_shown(
        db,
        query,
        request,
        delivery_attempt::Column::AttemptedAt,
        delivery_attempt::Column::Id,
        to_dto,
    )
    .await?)
}

fn to_dto(a: delivery_attempt::Model) -> DeliveryAttempt {
    DeliveryAttempt {
        attempted_at: a.attempted_at,
        message_id: a.message_id,
        endpoint: a.endpoint,
        http_status: a.http_status.and_then(|s| u16::try_from(s).ok()),
        error: a.error,
        latency_ms: u32::try_from(a.latency_ms).unwrap_or(0),
        succeeded: a.succeeded,
        next_attempt_at: a.next_attempt_at,
        test: a.test,
    }
}

/// `system_id` when it is a system of `org`; 404 otherwise.
async fn own_system(
    db: &impl ConnectionTrait,
    ports: &Ports,
    org: &str,
    system_id: &str,
    now: DateTime<Utc>,
) -> Result<ConnectedSystem, MessagingError> {
    ports
        .systems
        .system(&DynConnection(db), system_id, now)
        .await?
        .filter(|s| s.organisation_cvr == org)
        .ok_or(MessagingError::NotFound("system"))
}

/// "Send testmeddelelse" (issue 14 item 7): pushes a harmless test message to the system's
/// endpoint now, signed like a real one and marked `X-Test-Message: true`, and records and
/// returns the attempt. Works whatever the system's status, so a new endpoint can be tried
/// before activation.
pub async fn send_test_message(
    db: &impl ConnectionTrait,
    ports: &Ports,
    outbound: &Outbound,
    org: &str,
    system_id: &str,
    now: DateTime<Utc>,
) -> Result<DeliveryAttempt, MessagingError> {
    let system = own_system(db, ports, org, system_id, now).await?;
    let endpoint = match (system.protocol, system.endpoint.clone()) {
        (Protocol::RestPush | Protocol::RestPublishSubscribe, Some(endpoint)) => endpoint,
        _ => {
            return Err(MessagingError::field(
                "system",
                FieldCode::NotApplicable,
                "Only a system with an endpoint (REST PUSH or PUBLISH/SUBSCRIBE) can be sent a test message.",
            ))
        }
    };
    let message_id = uuid::Uuid::now_v7().to_string();
    let body = serde_json::json!({
        "messageId": message_id,
        "title": "Testmeddelelse fra Administrativ Adgang",
        "senderCvr": org,
        "recipient": org,
        "type": "letter",
        "body": "Dette er en testmeddelelse. Den skal ikke behandles.",
        "test": true,
    })
    .to_string();
    let outcome = push(outbound, &system, &endpoint, &message_id, org, body, true).await;
    let attempt = outcome
        .attempt(system.id.clone(), message_id, endpoint, now, true)
        .insert(db)
        .await?;
    Ok(to_dto(attempt))
}
