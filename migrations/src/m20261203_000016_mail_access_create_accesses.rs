//! Access to a citizen's Digital Post (SPEC §7, issue 16): the accesses (one in force per giver
//! and holder — a partial unique index), a per-giver count of accesses in force that a
//! conditional UPDATE keeps at 10 or fewer even when two employees add one at the same moment
//! (ACC-03), and the receipts of every access given or revoked.

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
                    .table(MailAccesses::Table)
                    .col(text(MailAccesses::Id, 36).primary_key())
                    .col(text(MailAccesses::GiverCpr, 10))
                    .col(text(MailAccesses::GiverName, 255))
                    .col(text(MailAccesses::HolderKind, 8))
                    .col(text(MailAccesses::HolderId, 10))
                    .col(text(MailAccesses::HolderName, 255))
                    .col(optional_text(MailAccesses::EmployeeName, 100))
                    .col(text(MailAccesses::Level, 16))
                    .col(ColumnDef::new(MailAccesses::ExpiresOn).date().null())
                    .col(optional_time(MailAccesses::EndsAt))
                    .col(
                        ColumnDef::new(MailAccesses::LimitedToBeforeExemption)
                            .boolean()
                            .not_null(),
                    )
                    .col(text(MailAccesses::CreatedByCvr, 8))
                    .col(time(MailAccesses::CreatedAt))
                    .col(optional_time(MailAccesses::EndedAt))
                    .col(optional_text(MailAccesses::EndReason, 8))
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
                    .col(text(MailAccessGivers::GiverCpr, 10).primary_key())
                    .col(
                        ColumnDef::new(MailAccessGivers::InForce)
                            .integer()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MailAccessReceipts::Table)
                    .col(text(MailAccessReceipts::Id, 36).primary_key())
                    .col(text(MailAccessReceipts::OrganisationCvr, 8))
                    .col(text(MailAccessReceipts::AccessId, 36))
                    .col(time(MailAccessReceipts::IssuedAt))
                    .col(
                        ColumnDef::new(MailAccessReceipts::Content)
                            .text()
                            .not_null(),
                    )
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
