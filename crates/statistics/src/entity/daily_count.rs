use sea_orm::entity::prelude::*;

/// One organisation's messages of one Copenhagen day that share every variable (ST-06). The
/// systems are `''` where the variable does not apply (another organisation's system).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "statistics_daily_counts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_cvr: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    /// `Direction::as_str`: the organisation sent or received them.
    #[sea_orm(primary_key, auto_increment = false)]
    pub direction: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub sender_system_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub recipient_system_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub message_type: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub size_band: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub sender_type: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub recipient_type: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub memo: String,
    pub messages: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
