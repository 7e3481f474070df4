//! Statistics (SPEC §11, issue 18): the reports ordered (standard subscriptions and custom
//! reports) with their scheduling and lease, the CSV of each report's current version, and the
//! daily counts the reports are summed from — every organisation's messages counted per
//! Copenhagen day by every variable, rolled up once per day (a row in `statistics_rolled_days`
//! marks the day done, so two instances never roll one day twice). Also the index on
//! `messages.accepted_at` the daily roll-up scans by.

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

fn time(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn optional_time(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Reports::Table)
                    .col(text(Reports::Id, 36).primary_key())
                    .col(text(Reports::OrganisationCvr, 8))
                    .col(text(Reports::Kind, 8))
                    .col(optional_text(Reports::StandardReport, 24))
                    .col(text(Reports::Name, 100))
                    .col(text(Reports::Variables, 255))
                    .col(optional_text(Reports::Interval, 16))
                    .col(ColumnDef::new(Reports::PeriodFrom).date().null())
                    .col(ColumnDef::new(Reports::PeriodTo).date().null())
                    .col(text(Reports::State, 12))
                    .col(optional_text(Reports::NotifyEmail, 254))
                    .col(time(Reports::OrderedAt))
                    .col(optional_time(Reports::DueAt))
                    .col(optional_text(Reports::LeaseOwner, 36))
                    .col(optional_time(Reports::LeaseUntil))
                    .col(optional_time(Reports::ProducedAt))
                    .col(ColumnDef::new(Reports::SizeBytes).big_integer().null())
                    .col(ColumnDef::new(Reports::Rows).big_integer().null())
                    .col(optional_time(Reports::ExpiresAt))
                    .col(optional_time(Reports::EndedAt))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // ST-02: one live subscription per standard report and interval; a second is a 409.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_statistics_reports_subscription ON statistics_reports \
             (organisation_cvr, standard_report, interval) WHERE state IN ('ordered', 'ready') \
             AND kind = 'standard'",
        )
        .await?;
        for (name, columns) in [
            (
                "ix_statistics_reports_organisation",
                [Reports::OrganisationCvr, Reports::OrderedAt],
            ),
            ("ix_statistics_reports_due", [Reports::DueAt, Reports::Id]),
            ("ix_statistics_reports_expiry", [Reports::ExpiresAt, Reports::Id]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Reports::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ReportFiles::Table)
                    .col(text(ReportFiles::ReportId, 36).primary_key())
                    .col(ColumnDef::new(ReportFiles::Content).blob().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DailyCounts::Table)
                    .col(text(DailyCounts::OrganisationCvr, 8))
                    .col(ColumnDef::new(DailyCounts::Day).date().not_null())
                    .col(text(DailyCounts::Direction, 8))
                    .col(text(DailyCounts::SenderSystemId, 36))
                    .col(text(DailyCounts::RecipientSystemId, 36))
                    .col(text(DailyCounts::MessageType, 16))
                    .col(text(DailyCounts::SizeBand, 16))
                    .col(text(DailyCounts::SenderType, 10))
                    .col(text(DailyCounts::RecipientType, 10))
                    .col(text(DailyCounts::Memo, 40))
                    .col(ColumnDef::new(DailyCounts::Messages).big_integer().not_null())
                    // The key starts with organisation and day: a report's range scan.
                    .primary_key(
                        Index::create()
                            .col(DailyCounts::OrganisationCvr)
                            .col(DailyCounts::Day)
                            .col(DailyCounts::Direction)
                            .col(DailyCounts::SenderSystemId)
                            .col(DailyCounts::RecipientSystemId)
                            .col(DailyCounts::MessageType)
                            .col(DailyCounts::SizeBand)
                            .col(DailyCounts::SenderType)
                            .col(DailyCounts::RecipientType)
                            .col(DailyCounts::Memo),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_statistics_daily_counts_day")
                    .table(DailyCounts::Table)
                    .col(DailyCounts::Day)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RolledDays::Table)
                    .col(ColumnDef::new(RolledDays::Day).date().not_null().primary_key())
                    .col(ColumnDef::new(RolledDays::Messages).big_integer().not_null())
                    .col(time(RolledDays::RolledAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_messages_accepted_at")
                    .table(Messages::Table)
                    .col(Messages::AcceptedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_messages_accepted_at")
                    .table(Messages::Table)
                    .to_owned(),
            )
            .await?;
        for table in [
            RolledDays::Table.into_iden(),
            DailyCounts::Table.into_iden(),
            ReportFiles::Table.into_iden(),
            Reports::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
#[sea_orm(iden = "statistics_reports")]
enum Reports {
    Table,
    Id,
    OrganisationCvr,
    Kind,
    StandardReport,
    Name,
    Variables,
    Interval,
    PeriodFrom,
    PeriodTo,
    State,
    NotifyEmail,
    OrderedAt,
    DueAt,
    LeaseOwner,
    LeaseUntil,
    ProducedAt,
    SizeBytes,
    Rows,
    ExpiresAt,
    EndedAt,
}

#[derive(DeriveIden)]
#[sea_orm(iden = "statistics_report_files")]
enum ReportFiles {
    Table,
    ReportId,
    Content,
}

#[derive(DeriveIden)]
#[sea_orm(iden = "statistics_daily_counts")]
enum DailyCounts {
    Table,
    OrganisationCvr,
    Day,
    Direction,
    SenderSystemId,
    RecipientSystemId,
    MessageType,
    SizeBand,
    SenderType,
    RecipientType,
    Memo,
    Messages,
}

#[derive(DeriveIden)]
#[sea_orm(iden = "statistics_rolled_days")]
enum RolledDays {
    Table,
    Day,
    Messages,
    RolledAt,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    AcceptedAt,
}
