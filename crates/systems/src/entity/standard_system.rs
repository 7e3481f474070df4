use sea_orm::entity::prelude::*;

/// A vendor's pre-filled system (SYS-09).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "standard_systems")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub vendor_cvr: String,
    pub name: String,
    pub role: String,
    pub protocol: String,
    pub allowed_ips: String,
    pub endpoint: Option<String>,
    pub receipt_endpoint: Option<String>,
    pub ssh_public_key: Option<String>,
    pub contact_email: String,
    pub contact_phone: String,
    pub contact_extra_email: Option<String>,
    pub created_at: DateTimeUtc,
    /// Withdrawn by the vendor: no longer in the catalogue (SYS-09).
    pub withdrawn_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
