//! Issue 32 item 10: a move's receipt names who ordered it and the system it moves into, as
//! they were named when it was ordered — not the raw actor (`CVR:…-RID:…`) and a UUID.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::text_null;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [MailMoves::CreatedByName, MailMoves::SystemName] {
            manager
                .alter_table(
                    Table::alter()
                        .table(MailMoves::Table)
                        .add_column(text_null(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [MailMoves::SystemName, MailMoves::CreatedByName] {
            manager
                .alter_table(
                    Table::alter()
                        .table(MailMoves::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum MailMoves {
    Table,
    CreatedByName,
    SystemName,
}
