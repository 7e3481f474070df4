use sea_orm::entity::prelude::*;

/// An e-mail sent: written in the sending transaction (the test portal shows them), and handed
/// to SMTP by the relay when one is configured.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub sent_at: DateTimeUtc,
    /// When the SMTP server accepted it (issue 18: only with `ADGANG_SMTP_URL`).
    pub relayed_at: Option<DateTimeUtc>,
    /// A relay instance holds it until then.
    pub relay_claimed_until: Option<DateTimeUtc>,
    pub relay_attempts: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
