//! The event log's reading side (issue 15, LOG-06, X-05):
//! * the log indexes end in `id` as well as the time, so a keyset page ordered by
//!   `(occurred_at, id)` walks an index and stops after one page instead of sorting the period;
//! * export jobs and their file, stored in chunks in the database so any instance can serve it;
//! * LOG-02: the actions log keeps the RID and CVR of an actor written `CVR:…-RID:…` in columns
//!   of their own, indexed, so a search by RID or CVR is an index lookup, not a `LIKE` over the
//!   organisation's rows. Existing rows are filled in with the append-only triggers set aside
//!   for that one statement.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, blob, integer, string_len, string_len_null, text, timestamp_with_time_zone,
    timestamp_with_time_zone_null,
};
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

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

/// Adds and fills `actions_log.actor_rid` / `actor_cvr` and indexes them.
async fn add_actor_columns(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    for column in [ActionsLog::ActorRid, ActionsLog::ActorCvr] {
        let width = if matches!(column, ActionsLog::ActorCvr) {
            8
        } else {
            64
        };
        manager
            .alter_table(
                Table::alter()
                    .table(ActionsLog::Table)
                    .add_column(string_len_null(column, width))
                    .to_owned(),
            )
            .await?;
    }
    let fill =
        "UPDATE actions_log SET actor_rid = substr(actor, 18), actor_cvr = substr(actor, 5, 8) \
                WHERE actor LIKE 'CVR:%-RID:%'";
    let db = manager.get_connection();
    match manager.get_database_backend() {
        DatabaseBackend::Postgres => {
            db.execute_unprepared("ALTER TABLE actions_log DISABLE TRIGGER USER")
                .await?;
            db.execute_unprepared(fill).await?;
            db.execute_unprepared("ALTER TABLE actions_log ENABLE TRIGGER USER")
                .await?;
        }
        DatabaseBackend::Sqlite => {
            let triggers = db
                .query_all(Statement::from_string(
                    DatabaseBackend::Sqlite,
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'actions_log'",
                ))
                .await?;
            let mut recreate = Vec::new();
            for row in triggers {
                let name: String = row.try_get("", "name")?;
                recreate.push(row.try_get::<String>("", "sql")?);
                db.execute_unprepared(&format!("DROP TRIGGER {name}"))
                    .await?;
            }
            db.execute_unprepared(fill).await?;
            for sql in recreate {
                db.execute_unprepared(&sql).await?;
            }
        }
        DatabaseBackend::MySql => {
            return Err(DbErr::Migration("MySQL is not supported".to_owned()));
        }
    }
    for (name, column) in [
        ("ix_actions_log_org_actor_rid", "actor_rid"),
        ("ix_actions_log_org_actor_cvr", "actor_cvr"),
    ] {
        db.execute_unprepared(&format!(
            "CREATE INDEX {name} ON actions_log (organisation_cvr, {column}, occurred_at, id)"
        ))
        .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rebuild_indexes(manager, true).await?;
        add_actor_columns(manager).await?;
        manager
            .create_table(
                Table::create()
                    .table(LogExports::Table)
                    .col(string_len(LogExports::Id, 36).primary_key())
                    .col(string_len(LogExports::OrganisationCvr, 8))
                    .col(string_len(LogExports::Log, 16))
                    .col(text(LogExports::Filter))
                    .col(string_len(LogExports::RequestedBy, 128))
                    .col(string_len(LogExports::Status, 16))
                    .col(big_integer(LogExports::RowsTotal))
                    .col(big_integer(LogExports::RowsWritten))
                    .col(timestamp_with_time_zone(LogExports::CreatedAt))
                    .col(timestamp_with_time_zone_null(LogExports::ClaimedUntil))
                    .col(timestamp_with_time_zone_null(LogExports::ExpiresAt))
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
                    .col(string_len(LogExportChunks::ExportId, 36))
                    .col(integer(LogExportChunks::Seq))
                    .col(blob(LogExportChunks::Content))
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
        let db = manager.get_connection();
        for name in [
            "ix_actions_log_org_actor_rid",
            "ix_actions_log_org_actor_cvr",
        ] {
            db.execute_unprepared(&format!("DROP INDEX {name}")).await?;
        }
        for column in [ActionsLog::ActorRid, ActionsLog::ActorCvr] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ActionsLog::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        rebuild_indexes(manager, false).await
    }
}

#[derive(DeriveIden)]
enum ActionsLog {
    Table,
    ActorRid,
    ActorCvr,
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
