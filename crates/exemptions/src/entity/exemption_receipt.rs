use sea_orm::entity::prelude::*;

/// The receipt of one grant, lift or renewal, kept for the organisation that made it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exemption_receipts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_cvr: String,
    pub exemption_id: String,
    /// `PartyKind::as_str`: which module's right opens it.
    pub kind: String,
    pub issued_at: DateTimeUtc,
    /// The `ExemptionReceipt` as JSON, exactly as it was issued.
    pub content: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
