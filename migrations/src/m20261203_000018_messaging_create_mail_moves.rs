//! Move mail (SPEC §12, issue 17): a move of an organisation's mail out of its platform
//! mailboxes is a job row — what to move (a period, up to the moment it was ordered), where
//! (one contact point, or each message's tagged point with a failover point, or a recipient
//! system for SYS-15), its progress and its keyset cursor, and the lease of the instance
//! running it. One running move per organisation (a partial unique index).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn text(column: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(column).string_len(len).not_null().to_owned()
}

fn optional_text(column: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(column).string_len(len).null().to_owned()
}

fn optional_time(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

fn count(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .big_integer()
        .not_null()
        .default(0)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MailMoves::Table)
                    .col(text(MailMoves::Id, 36).primary_key())
                    .col(text(MailMoves::OrganisationCvr, 8))
                    .col(ColumnDef::new(MailMoves::PeriodFrom).date().null())
                    .col(ColumnDef::new(MailMoves::PeriodTo).date().null())
                    .col(optional_time(MailMoves::RangeStart))
                    .col(
                        ColumnDef::new(MailMoves::RangeEnd)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(text(MailMoves::Mode, 16))
                    .col(optional_text(MailMoves::ContactPointId, 36))
                    .col(optional_text(MailMoves::FailoverPointId, 36))
                    .col(optional_text(MailMoves::SystemId, 36))
                    .col(text(MailMoves::State, 16))
                    .col(count(MailMoves::Total))
                    .col(count(MailMoves::Moved))
                    .col(count(MailMoves::MovedToFailover))
                    .col(optional_text(MailMoves::CursorPlatform, 8))
                    .col(optional_time(MailMoves::CursorAt))
                    .col(optional_text(MailMoves::CursorId, 36))
                    .col(optional_text(MailMoves::Failure, 500))
                    .col(text(MailMoves::CreatedBy, 64))
                    .col(
                        ColumnDef::new(MailMoves::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(optional_time(MailMoves::FinishedAt))
                    .col(optional_text(MailMoves::LeaseOwner, 36))
                    .col(optional_time(MailMoves::LeaseUntil))
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
