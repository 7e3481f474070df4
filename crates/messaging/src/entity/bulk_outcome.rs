use sea_orm::entity::prelude::*;

/// Issue 35: what became of one memo of a bulk file (a line of its result file).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bulk_outcomes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub file_id: String,
    /// The memo's place in the manifest, from 0.
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i32,
    pub accepted: bool,
    /// The result file's entry for the memo (`BulkMemoOutcome` as JSON).
    pub outcome: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
