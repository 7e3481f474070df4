//! The latest delivery attempts to a system's endpoint (issue 14 item 7) — what none of our
//! peers shows an administrator: when, which message, the status or network error, latency,
//! and when the next attempt is due.

use adgang_api_types::DeliveryAttempt;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::Ports;
use crate::entity::delivery_attempt;
use crate::error::MessagingError;

/// At most this many attempts are shown.
pub const LATEST: u64 = 50;

/// The latest attempts to `system_id`, newest first; 404 unless it is a system of `org`.
pub async fn latest(
    db: &impl ConnectionTrait,
    ports: &Ports,
    org: &str,
    system_id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<DeliveryAttempt>, MessagingError> {
    let own = ports
        .systems
        .system(&adgang_core::ports::DynConnection(db), system_id, now)
        .await?
        .filter(|s| s.organisation_cvr == org);
    if own.is_none() {
        return Err(MessagingError::NotFound("system"));
    }
    let rows = delivery_attempt::Entity::find()
        .filter(delivery_attempt::Column::SystemId.eq(system_id))
        .order_by_desc(delivery_attempt::Column::AttemptedAt)
        .order_by_desc(delivery_attempt::Column::Id)
        .limit(LATEST)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|a| DeliveryAttempt {
            attempted_at: a.attempted_at,
            message_id: a.message_id,
            endpoint: a.endpoint,
            http_status: a.http_status.and_then(|s| u16::try_from(s).ok()),
            error: a.error,
            latency_ms: u32::try_from(a.latency_ms).unwrap_or(0),
            succeeded: a.succeeded,
            next_attempt_at: a.next_attempt_at,
            test: a.test,
        })
        .collect())
}
