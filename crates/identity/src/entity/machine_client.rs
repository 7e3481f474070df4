use sea_orm::entity::prelude::*;

/// An integrator's system registered for the client-credentials grant. Only the secret's
/// SHA-256 is stored; the secret is shown once, at registration.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "machine_clients")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub client_id: String,
    pub organisation_cvr: String,
    pub name: String,
    pub secret_hash: String,
    /// Comma-separated `Right` ids.
    pub rights: String,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
