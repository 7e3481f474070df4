//! ST-01..06: the messages counted for statistics — one `GROUP BY` over a time range, by every
//! property a report can choose. The statistics module rolls these up per day (the
//! [`MessageTallies`] port); the range scan uses `ix_messages_accepted_at` (migration 000019).

use adgang_api_types::SizeBand;
use adgang_core::ports::{DynConnection, MemoFeatures, MessageTallies, MessageTally};
use chrono::{DateTime, Utc};
use sea_orm::{
    ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryOrder, QuerySelect, Statement,
};

use crate::entity::message;

pub struct MessageTalliesPort;

#[derive(FromQueryResult)]
struct Row {
    sender_cvr: String,
    recipient_cvr: String,
    sender_system_id: String,
    recipient_system_id: String,
    message_type: String,
    size_band: i64,
    memo: i64,
    messages: i64,
}

/// The size band's index in [`SizeBand::ALL`], computed in the database.
fn size_band_sql() -> String {
    let arms: String = SizeBand::BOUNDS
        .iter()
        .enumerate()
        .map(|(i, bound)| format!(" WHEN size_bytes < {bound} THEN {i}"))
        .collect();
    format!("CASE{arms} ELSE {} END", SizeBand::BOUNDS.len())
}

fn memo(bits: i64) -> MemoFeatures {
    MemoFeatures {
        attachments: bits & 1 != 0,
        value_date: bits & 2 != 0,
        contact_point: bits & 4 != 0,
    }
}

#[async_trait::async_trait]
impl MessageTallies for MessageTalliesPort {
    async fn first_accepted_at(
        &self,
        db: &dyn ConnectionTrait,
    ) -> Result<Option<DateTime<Utc>>, DbErr> {
        Ok(message::Entity::find()
            .select_only()
            .column(message::Column::AcceptedAt)
            .order_by_asc(message::Column::AcceptedAt)
            .limit(1)
            .into_tuple::<DateTime<Utc>>()
            .one(&DynConnection(db))
            .await?)
    }

    async fn tallies(
        &self,
        db: &dyn ConnectionTrait,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<MessageTally>, DbErr> {
        let backend = db.get_database_backend();
        let [p1, p2] = adgang_core::db::placeholders(backend);
        // A CPR recipient is a citizen: '' keeps their numbers out of the groups.
        let sql = format!(
            "SELECT sender_cvr, \
             CASE WHEN length(recipient_id) = 8 THEN recipient_id ELSE '' END AS recipient_cvr, \
             sender_system_id, coalesce(recipient_system_id, '') AS recipient_system_id, \
             message_type, CAST({band} AS BIGINT) AS size_band, \
             CAST((CASE WHEN attachment_count > 0 THEN 1 ELSE 0 END) \
             + (CASE WHEN value_date IS NOT NULL THEN 2 ELSE 0 END) \
             + (CASE WHEN contact_point_id IS NOT NULL THEN 4 ELSE 0 END) AS BIGINT) AS memo, \
             CAST(count(*) AS BIGINT) AS messages \
             FROM messages WHERE accepted_at >= {p1} AND accepted_at < {p2} \
             GROUP BY 1, 2, 3, 4, 5, 6, 7",
            band = size_band_sql(),
        );
        let statement = Statement::from_sql_and_values(backend, sql, [from.into(), to.into()]);
        let rows = Row::find_by_statement(statement)
            .all(&DynConnection(db))
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| MessageTally {
                sender_cvr: row.sender_cvr,
                recipient_cvr: Some(row.recipient_cvr).filter(|r| !r.is_empty()),
                sender_system_id: row.sender_system_id,
                recipient_system_id: Some(row.recipient_system_id).filter(|r| !r.is_empty()),
                message_type: row.message_type,
                size_band: SizeBand::ALL
                    .get(row.size_band as usize)
                    .copied()
                    .unwrap_or(SizeBand::Over10Mb),
                memo: memo(row.memo),
                messages: row.messages.max(0) as u64,
            })
            .collect())
    }
}
