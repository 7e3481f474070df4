use sea_orm::entity::prelude::*;

/// One holder's access to a giver's mail (ACC-02); in force while `ended_at` is empty.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_accesses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub giver_cpr: String,
    pub giver_name: String,
    /// `PartyKind::as_str`.
    pub holder_kind: String,
    pub holder_id: String,
    pub holder_name: String,
    pub employee_name: Option<String>,
    /// `AccessLevel::as_str`.
    pub level: String,
    /// The last day (Copenhagen).
    pub expires_on: Option<Date>,
    /// The first instant after `expires_on`, for the expiry job.
    pub ends_at: Option<DateTimeUtc>,
    pub limited_to_before_exemption: bool,
    pub created_by_cvr: String,
    pub created_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    /// `revoked` or `expired`.
    pub end_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
