use sea_orm::entity::prelude::*;

/// A move of an organisation's platform-mailbox mail (MV-01..04) and its progress. `mode` and
/// `state` hold the wire ids of `MoveMode` and `MailMoveState`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_moves")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_cvr: String,
    pub period_from: Option<Date>,
    pub period_to: Option<Date>,
    /// Messages accepted at or after this instant (the period's first Copenhagen midnight).
    pub range_start: Option<DateTimeUtc>,
    /// …and before this one: the period's end, or the moment the move was ordered.
    pub range_end: DateTimeUtc,
    pub mode: String,
    pub contact_point_id: Option<String>,
    pub failover_point_id: Option<String>,
    pub system_id: Option<String>,
    pub state: String,
    pub total: i64,
    pub moved: i64,
    pub moved_to_failover: i64,
    /// The keyset position: the platform being emptied and the last message moved from it.
    pub cursor_platform: Option<String>,
    pub cursor_at: Option<DateTimeUtc>,
    pub cursor_id: Option<String>,
    pub failure: Option<String>,
    pub created_by: String,
    /// "Name (Organisation)" of who ordered it, when ordered (issue 32 item 10).
    pub created_by_name: Option<String>,
    /// The system a SYS-15 move goes into, by its name when ordered.
    pub system_name: Option<String>,
    pub created_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    /// The instance running the move, and until when it holds it.
    pub lease_owner: Option<String>,
    pub lease_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
