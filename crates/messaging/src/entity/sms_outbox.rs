use sea_orm::entity::prelude::*;

/// An SMS the built-in gateway "sent" (the test portal shows them).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sms_outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub recipient_cpr: String,
    pub text: String,
    pub reference: String,
    pub sent_at: DateTimeUtc,
    /// The number it went to, when the sender named one (NemSMS confirmation links).
    pub phone: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
