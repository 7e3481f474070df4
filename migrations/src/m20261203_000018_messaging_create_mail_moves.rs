//! Move mail (SPEC §12, issue 17): a move of an organisation's mail out of its platform
//! mailboxes is a job row — what to move (a period, up to the moment it was ordered), where
//! (one contact point, or each message's tagged point with a failover point, or a recipient
//! system for SYS-15), its progress and its keyset cursor, and the lease of the instance
//! running it. One running move per organisation (a partial unique index).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, date_null, string_len, string_len_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null,
};
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn count(column: impl IntoIden) -> ColumnDef {
    big_integer(column).default(0).take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MailMoves::Table)
                    .col(string_len(MailMoves::Id, 36).primary_key())
                    .col(string_len(MailMoves::OrganisationCvr, 8))
                    .col(date_null(MailMoves::PeriodFrom))
                    .col(date_null(MailMoves::PeriodTo))
                    .col(timestamp_with_time_zone_null(MailMoves::RangeStart))
                    .col(timestamp_with_time_zone(MailMoves::RangeEnd))
                    .col(string_len(MailMoves::Mode, 16))
                    .col(string_len_null(MailMoves::ContactPointId, 36))
                    .col(string_len_null(MailMoves::FailoverPointId, 36))
                    .col(string_len_null(MailMoves::SystemId, 36))
                    .col(string_len(MailMoves::State, 16))
                    .col(count(MailMoves::Total))
                    .col(count(MailMoves::Moved))
                    .col(count(MailMoves::MovedToFailover))
                    .col(string_len_null(MailMoves::CursorPlatform, 8))
                    .col(timestamp_with_time_zone_null(MailMoves::CursorAt))
                    .col(string_len_null(MailMoves::CursorId, 36))
                    .col(string_len_null(MailMoves::Failure, 500))
                    .col(string_len(MailMoves::CreatedBy, 64))
                    .col(timestamp_with_time_zone(MailMoves::CreatedAt))
                    .col(timestamp_with_time_zone_null(MailMoves::FinishedAt))
                    .col(string_len_null(MailMoves::LeaseOwner, 36))
                    .col(timestamp_with_time_zone_null(MailMoves::LeaseUntil))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // MV-04: one running move per organisation; a second is a 409.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_mail_moves_running ON mail_moves (organisation_cvr) \
             WHERE state = 'running'",
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_mail_moves_organisation_created")
                    .table(MailMoves::Table)
                    .col(MailMoves::OrganisationCvr)
                    .col(MailMoves::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MailMoves::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum MailMoves {
    Table,
    Id,
    OrganisationCvr,
    PeriodFrom,
    PeriodTo,
    RangeStart,
    RangeEnd,
    Mode,
    ContactPointId,
    FailoverPointId,
    SystemId,
    State,
    Total,
    Moved,
    MovedToFailover,
    CursorPlatform,
    CursorAt,
    CursorId,
    Failure,
    CreatedBy,
    CreatedAt,
    FinishedAt,
    LeaseOwner,
    LeaseUntil,
}
