//! What statistics (SPEC §11) asks the Digital Post core: the day's messages counted by every
//! variable a report can choose, aggregated in the database.

use adgang_api_types::SizeBand;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

/// The MeMo features a message used (ST-01 "MeMo-funktionalitet").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct MemoFeatures {
    pub attachments: bool,
    pub value_date: bool,
    pub contact_point: bool,
}

/// The messages accepted in a time range that share every counted property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageTally {
    pub sender_cvr: String,
    /// The recipient organisation; `None` for a citizen (CPR).
    pub recipient_cvr: Option<String>,
    pub sender_system_id: String,
    /// The recipient system it went to; `None` when it lies in a platform mailbox or went as SMS.
    pub recipient_system_id: Option<String>,
    /// `MessageType::as_str`.
    pub message_type: String,
    pub size_band: SizeBand,
    pub memo: MemoFeatures,
    pub messages: u64,
}

/// Implemented by the messaging module, which owns the messages.
#[async_trait::async_trait]
pub trait MessageTallies: Send + Sync {
    /// When the first message was accepted (where the statistics' daily counts start).
    async fn first_accepted_at(
        &self,
        db: &dyn ConnectionTrait,
    ) -> Result<Option<DateTime<Utc>>, DbErr>;

    /// Every organisation's messages accepted in `[from, to)`, counted by a `GROUP BY` in the
    /// database.
    async fn tallies(
        &self,
        db: &dyn ConnectionTrait,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<MessageTally>, DbErr>;
}
