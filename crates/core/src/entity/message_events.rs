use sea_orm::entity::prelude::*;

/// One message-log event (LOG-01), in the log of `organisation_cvr`: the sender's organisation
/// for outgoing events, the recipient organisation for incoming ones.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "message_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_cvr: String,
    /// `outgoing` or `incoming`.
    pub direction: String,
    /// `MessageEvent::as_str`.
    pub event: String,
    pub occurred_at: DateTimeUtc,
    /// The sender's message id; absent when a malformed call named none.
    pub message_id: Option<String>,
    pub system_id: Option<String>,
    pub title: Option<String>,
    pub message_type: Option<String>,
    pub sender_id: Option<String>,
    pub recipient_id: Option<String>,
    pub value_date: Option<Date>,
    pub contact_point_id: Option<String>,
    pub endpoint: Option<String>,
    pub error_message: Option<String>,
    pub attachment_count: Option<i32>,
    /// The vendor with power of attorney whose system sent it.
    pub vendor_cvr: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
