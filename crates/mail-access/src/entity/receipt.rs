use sea_orm::entity::prelude::*;

/// The receipt of an access given or revoked, kept for the organisation that acted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_access_receipts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_cvr: String,
    pub access_id: String,
    pub issued_at: DateTimeUtc,
    /// The `MailAccessReceipt` as JSON, exactly as issued.
    pub content: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
