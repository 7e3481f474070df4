//! Issue 13 item 9: a logout or a revoked right ends a session's access tokens within seconds.
//! Each token names its session and the session's token version; revoking raises the version
//! (or ends the session) and stamps `tokens_revoked_at`, which the servers read every second.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, timestamp_with_time_zone_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .add_column(big_integer(Sessions::TokenVersion).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .add_column(timestamp_with_time_zone_null(Sessions::TokensRevokedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_tokens_revoked_at")
                    .table(Sessions::Table)
                    .col(Sessions::TokensRevokedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_sessions_tokens_revoked_at")
                    .table(Sessions::Table)
                    .to_owned(),
            )
            .await?;
        for column in [Sessions::TokensRevokedAt, Sessions::TokenVersion] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Sessions::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    TokenVersion,
    TokensRevokedAt,
}
