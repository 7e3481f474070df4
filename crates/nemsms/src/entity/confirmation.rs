use sea_orm::entity::prelude::*;

/// A confirmation link sent by SMS (SMS-02): good once, until `expires_at`, and only while its
/// number is still the one waiting.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "nemsms_confirmations")]
pub struct Model {
    /// The SHA-256 of the link's token (hex); the token itself is only in the SMS.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub enrolment_id: String,
    pub phone: String,
    pub requested_by_cvr: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
