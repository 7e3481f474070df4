use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_point_keywords")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub point_id: String,
    /// Lower-cased: what searches and uniqueness compare.
    #[sea_orm(primary_key, auto_increment = false)]
    pub normalised: String,
    /// As the administrator wrote it.
    pub keyword: String,
    /// Order on the point.
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
