use sea_orm::entity::prelude::*;

/// A point's placement in a group.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_point_groups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub point_id: String,
    pub organisation_cvr: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub group_id: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
