use sea_orm::entity::prelude::*;

/// One exemption from Digital Post (EX-02, EX-04); in force while `ended_at` is empty and, for
/// a company, until `expires_at`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exemptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// `PartyKind::as_str`.
    pub kind: String,
    /// CPR or CVR.
    pub party_id: String,
    /// The register's name when it was granted.
    pub party_name: String,
    /// The authority that granted (or last renewed) it; its actions log gets the expiry.
    pub granted_by_cvr: String,
    pub granted_at: DateTimeUtc,
    pub power_of_attorney: bool,
    /// `MailForwarding::as_str`.
    pub forwarding: String,
    pub forward_street: Option<String>,
    pub forward_postal_code: Option<String>,
    pub forward_city: Option<String>,
    /// Companies: the last instant in force (EX-04).
    pub expires_at: Option<DateTimeUtc>,
    pub renewed_at: Option<DateTimeUtc>,
    pub ended_at: Option<DateTimeUtc>,
    /// `lifted` or `expired`.
    pub end_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
