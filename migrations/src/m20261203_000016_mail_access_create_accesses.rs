//! Access to a citizen's Digital Post (SPEC §7, issue 16): the accesses (one in force per giver
//! and holder — a partial unique index), a per-giver count of accesses in force that a
//! conditional UPDATE keeps at 10 or fewer even when two employees add one at the same moment
//! (ACC-03), and the receipts of every access given or revoked.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, date_null, integer, string_len, string_len_null, text, timestamp_with_time_zone,
    timestamp_with_time_zone_null,
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
                    .table(MailAccesses::Table)
                    .col(string_len(MailAccesses::Id, 36).primary_key())
                    .col(string_len(MailAccesses::GiverCpr, 10))
                    .col(string_len(MailAccesses::GiverName, 255))
                    .col(string_len(MailAccesses::HolderKind, 8))
                    .col(string_len(MailAccesses::HolderId, 10))
                    .col(string_len(MailAccesses::HolderName, 255))
                    .col(string_len_null(MailAccesses::EmployeeName, 100))
                    .col(string_len(MailAccesses::Level, 16))
                    .col(date_null(MailAccesses::ExpiresOn))
                    .col(timestamp_with_time_zone_null(MailAccesses::EndsAt))
                    .col(boolean(MailAccesses::LimitedToBeforeExemption))
                    .col(string_len(MailAccesses::CreatedByCvr, 8))
                    .col(timestamp_with_time_zone(MailAccesses::CreatedAt))
                    .col(timestamp_with_time_zone_null(MailAccesses::EndedAt))
                    .col(string_len_null(MailAccesses::EndReason, 8))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // ACC-03: no duplicate holder; also the giver's list of accesses in force.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_mail_accesses_giver_holder ON mail_accesses \
             (giver_cpr, holder_id) WHERE ended_at IS NULL",
        )
        .await?;
        // ACC-05: the expiry job reads only accesses in force with an end.
        db.execute_unprepared(
            "CREATE INDEX ix_mail_accesses_ends ON mail_accesses (ends_at) \
             WHERE ended_at IS NULL AND ends_at IS NOT NULL",
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(MailAccessGivers::Table)
                    .col(string_len(MailAccessGivers::GiverCpr, 10).primary_key())
                    .col(integer(MailAccessGivers::InForce))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MailAccessReceipts::Table)
                    .col(string_len(MailAccessReceipts::Id, 36).primary_key())
                    .col(string_len(MailAccessReceipts::OrganisationCvr, 8))
                    .col(string_len(MailAccessReceipts::AccessId, 36))
                    .col(timestamp_with_time_zone(MailAccessReceipts::IssuedAt))
                    .col(text(MailAccessReceipts::Content))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            MailAccessReceipts::Table.into_iden(),
            MailAccessGivers::Table.into_iden(),
            MailAccesses::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum MailAccesses {
    Table,
    Id,
    GiverCpr,
    GiverName,
    HolderKind,
    HolderId,
    HolderName,
    EmployeeName,
    Level,
    ExpiresOn,
    EndsAt,
    LimitedToBeforeExemption,
    CreatedByCvr,
    CreatedAt,
    EndedAt,
    EndReason,
}

#[derive(DeriveIden)]
enum MailAccessGivers {
    Table,
    GiverCpr,
    InForce,
}

#[derive(DeriveIden)]
enum MailAccessReceipts {
    Table,
    Id,
    OrganisationCvr,
    AccessId,
    IssuedAt,
    Content,
}
