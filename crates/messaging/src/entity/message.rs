use sea_orm::entity::prelude::*;

/// An accepted message (CORE-01) and where it is on its way. `route`, `state` and
/// `platform` hold the wire ids of [`crate::service::Route`], [`crate::service::State`] and
/// `Platform`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The sender's id for the message (unique per sender).
    pub message_id: String,
    pub sender_cvr: String,
    pub sender_system_id: String,
    /// CPR or CVR.
    pub recipient_id: String,
    pub title: String,
    pub message_type: String,
    pub value_date: Option<Date>,
    pub contact_point_id: Option<String>,
    pub attachment_count: i32,
    /// The decoded attachments' bytes.
    pub size_bytes: i64,
    /// SHA-256 of the submitted memo: the same id with other content is a 409.
    pub content_hash: String,
    /// The submitted memo as JSON (attachments base64), delivered as it came.
    pub content: String,
    pub route: String,
    pub platform: Option<String>,
    pub recipient_system_id: Option<String>,
    pub state: String,
    /// The vendor with power of attorney whose system sent it.
    pub vendor_cvr: Option<String>,
    pub accepted_at: DateTimeUtc,
    pub released_at: Option<DateTimeUtc>,
    pub delivered_at: Option<DateTimeUtc>,
    /// When the recipient opened it in their platform mailbox; a legal notice is served then
    /// (LOG-01 "Forkyndt").
    pub opened_at: Option<DateTimeUtc>,
    /// When it was put in a system's queue (first delivery, or a fallback to the primary):
    /// SYS-06 counts "not collected" from then.
    pub queued_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
