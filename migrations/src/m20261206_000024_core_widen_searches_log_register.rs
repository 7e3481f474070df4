//! Issue 33 item 5 (LOG-03, the guide's §7.5): the searches log's "Register" names the register
//! a lookup fetched from — the event log, the access register, the exemption register, the
//! NemSMS register, the CPR or CVR register — not only "cpr"/"cvr". The column was 3 characters
//! with a check of those two; it becomes 32 with a check of the six ids. Rows already written
//! keep their values (the append-only triggers stay as they were).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every register id a row may hold (`adgang_core::audit::Register::as_str`).
const REGISTERS: [&str; 6] = [
    "cpr",
    "cvr",
    "event_log",
    "access_register",
    "exemption_register",
    "nemsms_register",
];

/// The ids before this migration.
const EARLIER: [&str; 2] = ["cpr", "cvr"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        change(manager, 32, &REGISTERS).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        change(manager, 3, &EARLIER).await
    }
}

fn check(registers: &[&str]) -> String {
    let list = registers
        .iter()
        .map(|r| format!("'{r}'"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("CHECK (register IN ({list}))")
}

async fn change(manager: &SchemaManager<'_>, width: u32, registers: &[&str]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    match manager.get_database_backend() {
        DatabaseBackend::Postgres => {
            let checks = db
                .query_all(Statement::from_string(
                    DatabaseBackend::Postgres,
                    "SELECT conname FROM pg_constraint \
                     WHERE conrelid = 'searches_log'::regclass AND contype = 'c'",
                ))
                .await?;
            for row in checks {
                let name: String = row.try_get("", "conname")?;
                db.execute_unprepared(&format!(
                    "ALTER TABLE searches_log DROP CONSTRAINT \"{name}\""
                ))
                .await?;
            }
            db.execute_unprepared(&format!(
                "ALTER TABLE searches_log ALTER COLUMN register TYPE varchar({width})"
            ))
            .await?;
            db.execute_unprepared(&format!(
                "ALTER TABLE searches_log ADD CONSTRAINT searches_log_register_check {}",
                check(registers)
            ))
            .await?;
        }
        _ => {
            // SQLite alters no check: the table is made again under the same name, with its
            // rows, indexes and append-only triggers as they were — in one transaction
            // (sea-orm-migration runs SQLite migrations outside one), so a crash midway leaves
            // the old table whole and the migration to run again.
            use sea_orm_migration::sea_orm::TransactionTrait;
            let txn = db.begin().await?;
            let db = &txn;
            db.execute_unprepared("DROP TABLE IF EXISTS searches_log_new")
                .await?;
            let saved = |kind: &'static str| {
                db.query_all(Statement::from_string(
                    DatabaseBackend::Sqlite,
                    format!(
                        "SELECT sql FROM sqlite_master WHERE type = '{kind}' \
                         AND tbl_name = 'searches_log' AND sql IS NOT NULL"
                    ),
                ))
            };
            let indexes = saved("index").await?;
            let triggers = saved("trigger").await?;
            db.execute_unprepared(&format!(
                "CREATE TABLE searches_log_new (\
                 id varchar(36) NOT NULL PRIMARY KEY, \
                 organisation_cvr varchar(8) NOT NULL, \
                 actor_rid varchar(64) NOT NULL, \
                 search_data varchar(10) NOT NULL, \
                 register varchar({width}) NOT NULL, \
                 result_count bigint NOT NULL, \
                 occurred_at timestamp_with_timezone_text NOT NULL, \
                 {})",
                check(registers)
            ))
            .await?;
            db.execute_unprepared(
                "INSERT INTO searches_log_new (id, organisation_cvr, actor_rid, search_data, \
                 register, result_count, occurred_at) SELECT id, organisation_cvr, actor_rid, \
                 search_data, register, result_count, occurred_at FROM searches_log",
            )
            .await?;
            db.execute_unprepared("DROP TABLE searches_log").await?;
            db.execute_unprepared("ALTER TABLE searches_log_new RENAME TO searches_log")
                .await?;
            for row in indexes.into_iter().chain(triggers) {
                let sql: String = row.try_get("", "sql")?;
                db.execute_unprepared(&sql).await?;
            }
            txn.commit().await?;
        }
    }
    Ok(())
}
