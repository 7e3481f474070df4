use sea_orm::entity::prelude::*;

/// SYS-06: an open episode of trouble with a system whose technical contact has been told; the
/// row goes when the system is reached (or collects) again.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "system_notices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub system_id: String,
    /// `Trouble::as_str`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    pub opened_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
