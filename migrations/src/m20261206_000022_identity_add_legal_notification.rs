//! Issue 33 item 2 (LOG-01 "Forkyndt"): which organisations may serve legal notices — the
//! courts; NgDP's `legalNotificationAllowed`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::boolean;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organisations::Table)
                    .add_column(boolean(Organisations::LegalNotificationAllowed).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organisations::Table)
                    .drop_column(Organisations::LegalNotificationAllowed)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    LegalNotificationAllowed,
}
