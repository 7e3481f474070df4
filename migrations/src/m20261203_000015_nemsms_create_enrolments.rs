//! NemSMS (SPEC §6, issue 16): one enrolment per party at a time (a partial unique index) with
//! its confirmed number and a number waiting for confirmation, and the confirmation links sent
//! by SMS (only the token's SHA-256 is kept). The built-in SMS outbox gets the number a message
//! was sent to, for the links that go to a number not yet enrolled.

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
                    .table(NemsmsEnrolments::Table)
                    .col(text(NemsmsEnrolments::Id, 36).primary_key())
                    .col(text(NemsmsEnrolments::Kind, 8))
                    .col(text(NemsmsEnrolments::PartyId, 10))
                    .col(text(NemsmsEnrolments::PartyName, 255))
                    .col(optional_text(NemsmsEnrolments::Phone, 16))
                    .col(optional_time(NemsmsEnrolments::EnrolledAt))
                    .col(optional_text(NemsmsEnrolments::PendingPhone, 16))
                    .col(optional_time(NemsmsEnrolments::PendingSince))
                    .col(text(NemsmsEnrolments::RequestedByCvr, 8))
                    .col(time(NemsmsEnrolments::CreatedAt))
                    .col(optional_time(NemsmsEnrolments::EndedAt))
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
                    .col(text(NemsmsConfirmations::Id, 64).primary_key())
                    .col(text(NemsmsConfirmations::EnrolmentId, 36))
                    .col(text(NemsmsConfirmations::Phone, 16))
                    .col(text(NemsmsConfirmations::RequestedByCvr, 8))
                    .col(time(NemsmsConfirmations::CreatedAt))
                    .col(time(NemsmsConfirmations::ExpiresAt))
                    .col(optional_time(NemsmsConfirmations::UsedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(SmsOutbox::Table)
                    .add_column(optional_text(SmsOutbox::Phone, 16))
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
