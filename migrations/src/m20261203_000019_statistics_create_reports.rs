//! Statistics (SPEC §11, issue 18): the reports ordered (standard subscriptions and custom
//! reports) with their scheduling and lease, the CSV of each report's current version, and the
//! daily counts the reports are summed from — every organisation's messages counted per
//! Copenhagen day by every variable, rolled up once per day (a row in `statistics_rolled_days`
//! marks the day done, so two instances never roll one day twice). Also the index on
//! `messages.accepted_at` the daily roll-up scans by.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, blob, date, date_null, string_len, string_len_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null,
};
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StatisticsReports::Table)
                    .col(string_len(StatisticsReports::Id, 36).primary_key())
                    .col(string_len(StatisticsReports::OrganisationCvr, 8))
                    .col(string_len(StatisticsReports::Kind, 8))
                    .col(string_len_null(StatisticsReports::StandardReport, 24))
                    .col(string_len(StatisticsReports::Name, 100))
                    .col(string_len(StatisticsReports::Variables, 255))
                    .col(string_len_null(StatisticsReports::Interval, 16))
                    .col(date_null(StatisticsReports::PeriodFrom))
                    .col(date_null(StatisticsReports::PeriodTo))
                    .col(string_len(StatisticsReports::State, 12))
                    .col(string_len_null(StatisticsReports::NotifyEmail, 254))
                    .col(timestamp_with_time_zone(StatisticsReports::OrderedAt))
                    .col(timestamp_with_time_zone_null(StatisticsReports::DueAt))
                    .col(string_len_null(StatisticsReports::LeaseOwner, 36))
                    .col(timestamp_with_time_zone_null(StatisticsReports::LeaseUntil))
                    .col(timestamp_with_time_zone_null(StatisticsReports::ProducedAt))
                    .col(big_integer_null(StatisticsReports::SizeBytes))
                    .col(big_integer_null(StatisticsReports::Rows))
                    .col(timestamp_with_time_zone_null(StatisticsReports::ExpiresAt))
                    .col(timestamp_with_time_zone_null(StatisticsReports::EndedAt))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // ST-02: one live subscription per standard report and interval; a second is a 409.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_statistics_reports_subscription ON statistics_reports \
             (organisation_cvr, standard_report, \"interval\") WHERE state IN ('ordered', 'ready') \
             AND kind = 'standard'",
        )
        .await?;
        for (name, columns) in [
            (
                "ix_statistics_reports_organisation",
                [
                    StatisticsReports::OrganisationCvr,
                    StatisticsReports::OrderedAt,
                ],
            ),
            (
                "ix_statistics_reports_due",
                [StatisticsReports::DueAt, StatisticsReports::Id],
            ),
            (
                "ix_statistics_reports_expiry",
                [StatisticsReports::ExpiresAt, StatisticsReports::Id],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(StatisticsReports::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(StatisticsReportFiles::Table)
                    .col(string_len(StatisticsReportFiles::ReportId, 36).primary_key())
                    .col(blob(StatisticsReportFiles::Content))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StatisticsDailyCounts::Table)
                    .col(string_len(StatisticsDailyCounts::OrganisationCvr, 8))
                    .col(date(StatisticsDailyCounts::Day))
                    .col(string_len(StatisticsDailyCounts::Direction, 8))
                    .col(string_len(StatisticsDailyCounts::SenderSystemId, 36))
                    .col(string_len(StatisticsDailyCounts::RecipientSystemId, 36))
                    .col(string_len(StatisticsDailyCounts::MessageType, 16))
                    .col(string_len(StatisticsDailyCounts::SizeBand, 16))
                    .col(string_len(StatisticsDailyCounts::SenderType, 10))
                    .col(string_len(StatisticsDailyCounts::RecipientType, 10))
                    .col(string_len(StatisticsDailyCounts::Memo, 40))
                    .col(big_integer(StatisticsDailyCounts::Messages))
                    // The key starts with organisation and day: a report's range scan.
                    .primary_key(
                        Index::create()
                            .col(StatisticsDailyCounts::OrganisationCvr)
                            .col(StatisticsDailyCounts::Day)
                            .col(StatisticsDailyCounts::Direction)
                            .col(StatisticsDailyCounts::SenderSystemId)
                            .col(StatisticsDailyCounts::RecipientSystemId)
                            .col(StatisticsDailyCounts::MessageType)
                            .col(StatisticsDailyCounts::SizeBand)
                            .col(StatisticsDailyCounts::SenderType)
                            .col(StatisticsDailyCounts::RecipientType)
                            .col(StatisticsDailyCounts::Memo),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_statistics_daily_counts_day")
                    .table(StatisticsDailyCounts::Table)
                    .col(StatisticsDailyCounts::Day)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StatisticsRolledDays::Table)
                    .col(date(StatisticsRolledDays::Day).primary_key())
                    .col(big_integer(StatisticsRolledDays::Messages))
                    .col(timestamp_with_time_zone(StatisticsRolledDays::RolledAt))
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
            StatisticsRolledDays::Table.into_iden(),
            StatisticsDailyCounts::Table.into_iden(),
            StatisticsReportFiles::Table.into_iden(),
            StatisticsReports::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum StatisticsReports {
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
enum StatisticsReportFiles {
    Table,
    ReportId,
    Content,
}

#[derive(DeriveIden)]
enum StatisticsDailyCounts {
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
enum StatisticsRolledDays {
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
