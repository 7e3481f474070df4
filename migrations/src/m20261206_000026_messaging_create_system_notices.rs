//! Issue 33 item 3 (SYS-06): a system's technical contact is told once per episode — when
//! Digital Post cannot reach it, or it leaves its messages uncollected — and again only after
//! the system has been reached (or has collected) in between. One row per open episode.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string_len, timestamp_with_time_zone};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SystemNotices::Table)
                    .col(string_len(SystemNotices::SystemId, 36))
                    .col(string_len(SystemNotices::Kind, 16))
                    .col(timestamp_with_time_zone(SystemNotices::OpenedAt))
                    .primary_key(
                        Index::create()
                            .col(SystemNotices::SystemId)
                            .col(SystemNotices::Kind),
                    )
                    .check(Expr::col(SystemNotices::Kind).is_in(["unreachable", "uncollected"]))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SystemNotices::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SystemNotices {
    Table,
    SystemId,
    Kind,
    OpenedAt,
}
