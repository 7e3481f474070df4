use sea_orm::entity::prelude::*;

/// `group_id` is placed under `parent_id` (a group may have several parents).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_group_parents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub group_id: String,
    pub organisation_cvr: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub parent_id: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
