use sea_orm::entity::prelude::*;

/// ACC-03: how many accesses a giver has in force, kept at 10 or fewer by a conditional UPDATE.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_access_givers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub giver_cpr: String,
    pub in_force: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
