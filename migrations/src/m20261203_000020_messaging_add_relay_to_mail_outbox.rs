//! Issue 18 item 6: e-mail leaves through SMTP when a server is configured. Every e-mail is
//! still written to `mail_outbox` in the transaction that sends it (so a notice is sent exactly
//! when its change commits); the relay job then hands each to SMTP, claiming it for a while
//! (`relay_claimed_until`), and stamps `relayed_at` once the server accepted it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{integer, timestamp_with_time_zone_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            timestamp_with_time_zone_null(MailOutbox::RelayedAt).to_owned(),
            timestamp_with_time_zone_null(MailOutbox::RelayClaimedUntil).to_owned(),
            integer(MailOutbox::RelayAttempts).default(0).to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(MailOutbox::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        // The relay reads the oldest e-mails not relayed yet.
        manager
            .create_index(
                Index::create()
                    .name("ix_mail_outbox_relay")
                    .table(MailOutbox::Table)
                    .col(MailOutbox::RelayedAt)
                    .col(MailOutbox::SentAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_mail_outbox_relay")
                    .table(MailOutbox::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            MailOutbox::RelayAttempts,
            MailOutbox::RelayClaimedUntil,
            MailOutbox::RelayedAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(MailOutbox::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum MailOutbox {
    Table,
    SentAt,
    RelayedAt,
    RelayClaimedUntil,
    RelayAttempts,
}
