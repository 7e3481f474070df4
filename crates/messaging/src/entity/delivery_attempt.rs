use sea_orm::entity::prelude::*;

/// One push to a system's endpoint and how it went (issue 14 item 7).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "delivery_attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub system_id: String,
    pub message_id: String,
    pub attempted_at: DateTimeUtc,
    pub endpoint: String,
    pub http_status: Option<i32>,
    pub error: Option<String>,
    pub latency_ms: i32,
    pub succeeded: bool,
    pub next_attempt_at: Option<DateTimeUtc>,
    pub test: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
