use sea_orm::entity::prelude::*;

/// An organisation's sender and/or recipient system. Role and protocol are stored as their
/// wire ids (`SystemRole::as_str`, `Protocol::as_str`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "systems")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_cvr: String,
    pub name: String,
    pub role: String,
    pub protocol: String,
    /// Normalised addresses or one CIDR range, newline-separated.
    pub allowed_ips: String,
    pub endpoint: Option<String>,
    pub receipt_endpoint: Option<String>,
    pub ssh_public_key: Option<String>,
    pub vendor_cvr: Option<String>,
    /// Sealed with the data key; see `adgang_core::secrets::DataKey`.
    pub api_key_sealed: Option<String>,
    pub active_from: Option<DateTimeUtc>,
    pub active_to: Option<DateTimeUtc>,
    pub contact_email: String,
    pub contact_phone: String,
    pub contact_extra_email: Option<String>,
    pub is_primary: bool,
    pub standard_system_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
