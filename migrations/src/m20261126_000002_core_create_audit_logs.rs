//! The actions log and searches log (LOG-02, LOG-03), append-only by trigger on both databases.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, boolean, boolean_null, string_len, string_len_null, text_null,
    timestamp_with_time_zone,
};
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 2] = ["actions_log", "searches_log"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ActionsLog::Table)
                    .col(string_len(ActionsLog::Id, 36).primary_key())
                    .col(string_len(ActionsLog::OrganisationCvr, 8))
                    .col(string_len(ActionsLog::Subject, 32))
                    .col(string_len_null(ActionsLog::PartyId, 10))
                    .col(string_len_null(ActionsLog::ObjectId, 64))
                    .col(string_len(ActionsLog::Actor, 64))
                    .col(boolean(ActionsLog::ActorIsSystem))
                    .col(timestamp_with_time_zone(ActionsLog::OccurredAt))
                    .col(string_len(ActionsLog::Event, 16))
                    .col(string_len_null(ActionsLog::ObjectName, 255))
                    .col(string_len_null(ActionsLog::Field, 64))
                    .col(text_null(ActionsLog::Before))
                    .col(text_null(ActionsLog::After))
                    .col(text_null(ActionsLog::Reason))
                    .col(boolean_null(ActionsLog::PowerOfAttorney))
                    .check(Expr::col(ActionsLog::Event).is_in(["created", "edited", "deleted"]))
                    .to_owned(),
            )
            .await?;
        // Searches are always within one organisation and a period; then by one filter.
        for (name, column) in [
            ("ix_actions_log_org_time", None),
            ("ix_actions_log_org_party", Some(ActionsLog::PartyId)),
            ("ix_actions_log_org_actor", Some(ActionsLog::Actor)),
            ("ix_actions_log_org_object", Some(ActionsLog::ObjectId)),
        ] {
            let mut index = Index::create();
            index
                .name(name)
                .table(ActionsLog::Table)
                .col(ActionsLog::OrganisationCvr);
            if let Some(column) = column {
                index.col(column);
            }
            index.col(ActionsLog::OccurredAt);
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(SearchesLog::Table)
                    .col(string_len(SearchesLog::Id, 36).primary_key())
                    .col(string_len(SearchesLog::OrganisationCvr, 8))
                    .col(string_len(SearchesLog::ActorRid, 64))
                    .col(string_len(SearchesLog::SearchData, 10))
                    .col(string_len(SearchesLog::Register, 3))
                    .col(big_integer(SearchesLog::ResultCount))
                    .col(timestamp_with_time_zone(SearchesLog::OccurredAt))
                    .check(Expr::col(SearchesLog::Register).is_in(["cpr", "cvr"]))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_searches_log_org_time", None),
            ("ix_searches_log_org_actor", Some(SearchesLog::ActorRid)),
            ("ix_searches_log_org_data", Some(SearchesLog::SearchData)),
        ] {
            let mut index = Index::create();
            index
                .name(name)
                .table(SearchesLog::Table)
                .col(SearchesLog::OrganisationCvr);
            if let Some(column) = column {
                index.col(column);
            }
            index.col(SearchesLog::OccurredAt);
            manager.create_index(index.to_owned()).await?;
        }

        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION adgang_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$",
                )
                .await?;
                for table in TABLES {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} \
                         FOR EACH ROW EXECUTE FUNCTION adgang_append_only()"
                    ))
                    .await?;
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} \
                         FOR EACH STATEMENT EXECUTE FUNCTION adgang_append_only()"
                    ))
                    .await?;
                }
            }
            DatabaseBackend::Sqlite => {
                for table in TABLES {
                    for op in ["UPDATE", "DELETE"] {
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER {table}_no_{} BEFORE {op} ON {table} \
                             BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
                            op.to_lowercase()
                        ))
                        .await?;
                    }
                }
            }
            DatabaseBackend::MySql => {
                return Err(DbErr::Migration("MySQL is not supported".to_owned()));
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Dropping a table drops its triggers on both databases.
        manager
            .drop_table(Table::drop().table(SearchesLog::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ActionsLog::Table).to_owned())
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION adgang_append_only()")
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum ActionsLog {
    Table,
    Id,
    OrganisationCvr,
    Subject,
    PartyId,
    ObjectId,
    Actor,
    ActorIsSystem,
    OccurredAt,
    Event,
    ObjectName,
    Field,
    Before,
    After,
    Reason,
    PowerOfAttorney,
}

#[derive(DeriveIden)]
enum SearchesLog {
    Table,
    Id,
    OrganisationCvr,
    ActorRid,
    SearchData,
    Register,
    ResultCount,
    OccurredAt,
}
