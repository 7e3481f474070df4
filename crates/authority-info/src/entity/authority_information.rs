use sea_orm::entity::prelude::*;

/// An organisation's privacy-policy link and logo (INFO-01/02); one row per organisation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "authority_information")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_cvr: String,
    pub privacy_policy_url: Option<String>,
    /// The checked PNG.
    pub logo: Option<Vec<u8>>,
    pub logo_width: Option<i32>,
    pub logo_height: Option<i32>,
    /// Changes with every upload; the public URL carries it.
    pub logo_version: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
