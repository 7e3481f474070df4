use sea_orm::entity::prelude::*;

/// A party's NemSMS enrolment (SMS-01..03); current while `ended_at` is empty.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "nemsms_enrolments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// `PartyKind::as_str`.
    pub kind: String,
    pub party_id: String,
    pub party_name: String,
    /// The confirmed number (E.164); empty until the holder first confirms.
    pub phone: Option<String>,
    pub enrolled_at: Option<DateTimeUtc>,
    /// A number waiting for confirmation: the first one, or a change.
    pub pending_phone: Option<String>,
    pub pending_since: Option<DateTimeUtc>,
    /// The authority that last acted on it; its actions log gets the holder's confirmation.
    pub requested_by_cvr: String,
    pub created_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
