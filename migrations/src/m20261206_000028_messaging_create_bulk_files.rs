//! Issue 35 (SYS-03, the guide's §5.1/§5.3/§7.1.1): bulk files a sender system uploads over
//! SFTP. A file lives in the database from the moment its upload completed, so every instance
//! on one PostgreSQL can claim it (the lease columns) and none takes it twice; `progress` counts
//! the memos whose outcome is kept in `bulk_outcomes`, so a file taken again after a crash goes
//! on where it stopped. Also the SFTP server's host key, made on first start and shared by the
//! instances, so the fingerprint integrators pin is the same whichever instance answers.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, blob, boolean, integer, integer_null, string_len,
    string_len_null, text, text_null, timestamp_with_time_zone, timestamp_with_time_zone_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BulkFiles::Table)
                    .col(string_len(BulkFiles::Id, 36).primary_key())
                    .col(string_len(BulkFiles::SystemId, 36))
                    .col(string_len(BulkFiles::OrganisationCvr, 8))
                    .col(string_len(BulkFiles::Name, 255))
                    .col(big_integer(BulkFiles::SizeBytes))
                    .col(string_len(BulkFiles::State, 8))
                    .col(timestamp_with_time_zone(BulkFiles::ReceivedAt))
                    .col(string_len_null(BulkFiles::LeaseOwner, 36))
                    .col(timestamp_with_time_zone_null(BulkFiles::LeaseUntil))
                    .col(integer(BulkFiles::Progress).default(0))
                    .col(integer_null(BulkFiles::MemoCount))
                    .col(integer(BulkFiles::Accepted).default(0))
                    .col(integer(BulkFiles::Refused).default(0))
                    .col(text_null(BulkFiles::Failure))
                    .col(timestamp_with_time_zone_null(BulkFiles::FinishedAt))
                    .col(text_null(BulkFiles::Result))
                    .col(big_integer_null(BulkFiles::ResultBytes))
                    .check(Expr::col(BulkFiles::State).is_in(["waiting", "done", "failed"]))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_bulk_files_system_name")
                    .table(BulkFiles::Table)
                    .col(BulkFiles::SystemId)
                    .col(BulkFiles::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_bulk_files_waiting")
                    .table(BulkFiles::Table)
                    .col(BulkFiles::State)
                    .col(BulkFiles::ReceivedAt)
                    .to_owned(),
            )
            .await?;
        // The archive apart from the row every lease write touches: SQLite rewrites a whole
        // record (its overflow pages too) on each UPDATE.
        manager
            .create_table(
                Table::create()
                    .table(BulkFileContents::Table)
                    .col(string_len(BulkFileContents::FileId, 36).primary_key())
                    .col(blob(BulkFileContents::Content))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BulkOutcomes::Table)
                    .col(string_len(BulkOutcomes::FileId, 36))
                    .col(integer(BulkOutcomes::Seq))
                    .col(boolean(BulkOutcomes::Accepted))
                    .col(text(BulkOutcomes::Outcome))
                    .primary_key(
                        Index::create()
                            .col(BulkOutcomes::FileId)
                            .col(BulkOutcomes::Seq),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SftpHostKeys::Table)
                    .col(string_len(SftpHostKeys::Name, 16).primary_key())
                    .col(text(SftpHostKeys::PrivateKey))
                    .col(timestamp_with_time_zone(SftpHostKeys::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SftpHostKeys::Table.into_iden(),
            BulkOutcomes::Table.into_iden(),
            BulkFileContents::Table.into_iden(),
            BulkFiles::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum BulkFiles {
    Table,
    Id,
    SystemId,
    OrganisationCvr,
    Name,
    SizeBytes,
    State,
    ReceivedAt,
    LeaseOwner,
    LeaseUntil,
    Progress,
    MemoCount,
    Accepted,
    Refused,
    Failure,
    FinishedAt,
    Result,
    ResultBytes,
}

#[derive(DeriveIden)]
enum BulkFileContents {
    Table,
    FileId,
    Content,
}

#[derive(DeriveIden)]
enum BulkOutcomes {
    Table,
    FileId,
    Seq,
    Accepted,
    Outcome,
}

#[derive(DeriveIden)]
enum SftpHostKeys {
    Table,
    Name,
    PrivateKey,
    CreatedAt,
}
