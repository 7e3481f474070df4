use sea_orm::entity::prelude::*;

/// A business receipt (forretningskvittering) a recipient system sent about a message, on its
/// way to the sender system: pushed to its receipt endpoint, or waiting to be collected.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "business_receipts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub message_pk: String,
    pub from_system_id: String,
    pub to_system_id: String,
    /// The receipt as the recipient system sent it (JSON).
    pub content: String,
    /// `crate::service::receipts::ReceiptState` wire id.
    pub state: String,
    pub received_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
