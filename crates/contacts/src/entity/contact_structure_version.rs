use sea_orm::entity::prelude::*;

/// Raised in the transaction of every change to an organisation's contact structure.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_structure_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_cvr: String,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
