//! The event log's reading side (issue 15, LOG-06, X-05):
//! * the log indexes end in `id` as well as the time, so a keyset page ordered by
//!   `(occurred_at, id)` walks an index and stops after one page instead of sorting the period;
//! * export jobs and their file, stored in chunks in the database so any instance can serve it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(index, table, filter column)`: every log index as the earlier migrations made it.
const LOG_INDEXES: [(&str, &str, Option<&str>); 13] = [
    ("ix_actions_log_org_time", "actions_log", None),
    ("ix_actions_log_org_party", "actions_log", Some("party_id")),
    ("ix_actions_log_org_actor", "actions_log", Some("actor")),
    (
        "ix_actions_log_org_object",
        "actions_log",
        Some("object_id"),
    ),
    ("ix_searches_log_org_time", "searches_log", None),
    (
        "ix_searches_log_org_actor",
        "searches_log",
        Some("actor_rid"),
    ),
    (
        "ix_searches_log_org_data",
        "searches_log",
        Some("search_data"),
    ),
    ("ix_message_events_org_time", "message_events", None),
    (
        "ix_message_events_org_sender",
        "message_events",
        Some("sender_id"),
    ),
    (
        "ix_message_events_org_recipient",
        "message_events",
        Some("recipient_id"),
    ),
    (
        "ix_message_events_org_message",
        "message_events",
        Some("message_id"),
    ),
    (
        "ix_message_events_org_system",
        "message_events",
        Some("system_id"),
    ),
    (
        "ix_message_events_org_event",
        "message_events",
        Some("event"),
    ),
];

async fn rebuild_indexes(manager: &SchemaManager<'_>, with_id: bool) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for (name, table, column) in LOG_INDEXES {
        db.execute_unprepared(&format!("DROP INDEX {name}")).await?;
        let filter = column.map(|c| format!("{c}, ")).unwrap_or_default();
        let id = if with_id { ", id" } else { "" };
        db.execute_unprepared(&format!(
            "CREATE INDEX {name} ON {table} (organisation_cvr, {filter}occurred_at{id})"
        ))
        .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rebuild_indexes(manager, true).await?;
        manager
            .create_table(
                Table::create()
                    .table(LogExports::Table)
                    .col(
                        ColumnDef::new(LogExports::Id)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(LogExports::OrganisationCvr)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(ColumnDef::new(LogExports::Log).string_len(16).not_null())
                    .col(ColumnDef::new(LogExports::Filter).text().not_null())
                    .col(
                        ColumnDef::new(LogExports::RequestedBy)
                            .string_len(128)
                            .not_null(),
                    )
                    .col(ColumnDef::new(LogExports::Status).string_len(16).not_null())
                    .col(
                        ColumnDef::new(LogExports::RowsTotal)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LogExports::RowsWritten)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LogExports::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LogExports::ClaimedUntil)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(LogExports::ExpiresAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .check(Expr::col(LogExports::Log).is_in(["messages", "actions", "searches"]))
                    .check(Expr::col(LogExports::Status).is_in(["queued", "running", "done"]))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_log_exports_status")
                    .table(LogExports::Table)
                    .col(LogExports::Status)
                    .col(LogExports::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LogExportChunks::Table)
                    .col(
                        ColumnDef::new(LogExportChunks::ExportId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(ColumnDef::new(LogExportChunks::Seq).integer().not_null())
                    .col(ColumnDef::new(LogExportChunks::Content).blob().not_null())
                    .primary_key(
                        Index::create()
                            .col(LogExportChunks::ExportId)
                            .col(LogExportChunks::Seq),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(LogExportChunks::Table, LogExportChunks::ExportId)
                            .to(LogExports::Table, LogExports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            LogExportChunks::Table.into_iden(),
            LogExports::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        rebuild_indexes(manager, false).await
    }
}

#[derive(DeriveIden)]
enum LogExports {
    Table,
    Id,
    OrganisationCvr,
    Log,
    Filter,
    RequestedBy,
    Status,
    RowsTotal,
    RowsWritten,
    CreatedAt,
    ClaimedUntil,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum LogExportChunks {
    Table,
    ExportId,
    Seq,
    Content,
}
