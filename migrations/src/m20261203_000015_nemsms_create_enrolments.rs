//! NemSMS (SPEC §6, issue 16): one enrolment per party at a time (a partial unique index) with
//! its confirmed number and a number waiting for confirmation, and the confirmation links sent
//! by SMS (only the token's SHA-256 is kept). The built-in SMS outbox gets the number a message
//! was sent to, for the links that go to a number not yet enrolled.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    string_len, string_len_null, timestamp_with_time_zone, timestamp_with_time_zone_null,
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
                    .table(NemsmsEnrolments::Table)
                    .col(string_len(NemsmsEnrolments::Id, 36).primary_key())
                    .col(string_len(NemsmsEnrolments::Kind, 8))
                    .col(string_len(NemsmsEnrolments::PartyId, 10))
                    .col(string_len(NemsmsEnrolments::PartyName, 255))
                    .col(string_len_null(NemsmsEnrolments::Phone, 16))
                    .col(timestamp_with_time_zone_null(NemsmsEnrolments::EnrolledAt))
                    .col(string_len_null(NemsmsEnrolments::PendingPhone, 16))
                    .col(timestamp_with_time_zone_null(
                        NemsmsEnrolments::PendingSince,
                    ))
                    .col(string_len(NemsmsEnrolments::RequestedByCvr, 8))
                    .col(timestamp_with_time_zone(NemsmsEnrolments::CreatedAt))
                    .col(timestamp_with_time_zone_null(NemsmsEnrolments::EndedAt))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_nemsms_enrolments_party_current ON nemsms_enrolments \
             (party_id) WHERE ended_at IS NULL",
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(NemsmsConfirmations::Table)
                    // The SHA-256 of the link's token, hex.
                    .col(string_len(NemsmsConfirmations::Id, 64).primary_key())
                    .col(string_len(NemsmsConfirmations::EnrolmentId, 36))
                    .col(string_len(NemsmsConfirmations::Phone, 16))
                    .col(string_len(NemsmsConfirmations::RequestedByCvr, 8))
                    .col(timestamp_with_time_zone(NemsmsConfirmations::CreatedAt))
                    .col(timestamp_with_time_zone(NemsmsConfirmations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(NemsmsConfirmations::UsedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(SmsOutbox::Table)
                    .add_column(string_len_null(SmsOutbox::Phone, 16))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(SmsOutbox::Table)
                    .drop_column(SmsOutbox::Phone)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(NemsmsConfirmations::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(NemsmsEnrolments::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum NemsmsEnrolments {
    Table,
    Id,
    Kind,
    PartyId,
    PartyName,
    Phone,
    EnrolledAt,
    PendingPhone,
    PendingSince,
    RequestedByCvr,
    CreatedAt,
    EndedAt,
}

#[derive(DeriveIden)]
enum NemsmsConfirmations {
    Table,
    Id,
    EnrolmentId,
    Phone,
    RequestedByCvr,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum SmsOutbox {
    Table,
    Phone,
}
