//! SYS-09: a vendor withdraws a standard system. It leaves the catalogue but stays as the
//! record of what systems were created from (so the row is kept, marked withdrawn).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::timestamp_with_time_zone_null;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(StandardSystems::Table)
                    .add_column(timestamp_with_time_zone_null(StandardSystems::WithdrawnAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(StandardSystems::Table)
                    .drop_column(StandardSystems::WithdrawnAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum StandardSystems {
    Table,
    WithdrawnAt,
}
