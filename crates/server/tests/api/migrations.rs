//! The same migrations run up, down and up again on SQLite and (with TEST_DATABASE_URL) on
//! PostgreSQL.

use adgang_migrations::{Migrator, MigratorTrait};
use adgang_test_support::TestDatabase;
use sea_orm::{ConnectionTrait, Database, Statement};

async fn table_exists(db: &sea_orm::DatabaseConnection, table: &str) -> bool {
    let sql = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Sqlite => {
            format!("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '{table}'")
        }
        _ => format!(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = '{table}'"
        ),
    };
    db.query_one(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .is_some()
}

const TABLES: [&str; 3] = ["organisations", "actions_log", "searches_log"];

#[tokio::test]
async fn migrations_go_up_down_and_up_again() {
    let database = TestDatabase::create().await;
    let db = Database::connect(&database.url).await.unwrap();

    Migrator::up(&db, None).await.unwrap();
    assert!(table_exists(&db, "organisations").await);
    assert!(Migrator::get_pending_migrations(&db)
        .await
        .unwrap()
        .is_empty());

    Migrator::down(&db, None).await.unwrap();
    assert!(!table_exists(&db, "organisations").await);
    assert_eq!(
        Migrator::get_pending_migrations(&db).await.unwrap().len(),
        Migrator::migrations().len()
    );

    Migrator::up(&db, None).await.unwrap();
    for table in TABLES {
        assert!(table_exists(&db, table).await, "{table}");
    }
}

#[tokio::test]
async fn organisation_kind_is_constrained_by_the_schema() {
    let database = TestDatabase::create().await;
    let db = Database::connect(&database.url).await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    let result = db
        .execute_unprepared(
            "INSERT INTO organisations (cvr, name, kind, created_at) VALUES ('29189846', 'X', 'pirate', CURRENT_TIMESTAMP)",
        )
        .await;
    assert!(
        result.is_err(),
        "an unknown kind must be refused by the database"
    );
}

/// Issue 15 (LOG-02): actions logged before migration 000013 get their actor's RID and CVR
/// filled in, so a search by RID finds them — and the log is append-only again afterwards.
#[tokio::test]
async fn log_02_migration_13_fills_the_actor_parts_of_earlier_actions() {
    let database = TestDatabase::create().await;
    let db = Database::connect(&database.url).await.unwrap();
    // Every migration before 000013.
    let before_13 = Migrator::migrations()
        .iter()
        .position(|m| m.name().contains("_000013_"))
        .expect("migration 000013") as u32;
    Migrator::up(&db, Some(before_13)).await.unwrap();
    db.execute_unprepared(
        "INSERT INTO actions_log (id, organisation_cvr, subject, actor, actor_is_system, \
         occurred_at, event, on_behalf) VALUES \
         ('a1', '29189846', 'rights', 'CVR:34051178-RID:12345678910', false, \
          '2026-12-01T10:00:00+00:00', 'created', true), \
         ('a2', '29189846', 'rights', 'System', true, '2026-12-01T10:00:00+00:00', 'created', false)",
    )
    .await
    .unwrap();
    Migrator::up(&db, None).await.unwrap();
    let row = db
        .query_one(Statement::from_string(
            db.get_database_backend(),
            "SELECT actor_rid, actor_cvr FROM actions_log WHERE id = 'a1'",
        ))
        .await
        .unwrap()
        .unwrap();
    let rid: Option<String> = row.try_get("", "actor_rid").unwrap();
    let cvr: Option<String> = row.try_get("", "actor_cvr").unwrap();
    assert_eq!(
        (rid.as_deref(), cvr.as_deref()),
        (Some("12345678910"), Some("34051178"))
    );
    for sql in [
        "UPDATE actions_log SET actor = 'x'",
        "DELETE FROM actions_log",
    ] {
        assert!(db.execute_unprepared(sql).await.is_err(), "{sql} refused");
    }
}

/// The schema the migrations build, as text: SQLite's own `CREATE` statements; PostgreSQL's
/// columns, constraints and indexes from its catalogue.
async fn schema_of(db: &sea_orm::DatabaseConnection) -> String {
    let backend = db.get_database_backend();
    let queries: &[&str] = match backend {
        sea_orm::DatabaseBackend::Sqlite => &[
            "SELECT type || ' ' || name || ': ' || coalesce(sql, '') AS line FROM sqlite_master \
             ORDER BY type, name",
        ],
        _ => &[
            "SELECT table_name || '.' || column_name || ' ' || data_type || \
             coalesce('(' || character_maximum_length || ')', '') || ' ' || is_nullable || \
             coalesce(' DEFAULT ' || column_default, '') AS line \
             FROM information_schema.columns WHERE table_schema = 'public' \
             ORDER BY table_name, column_name",
            "SELECT conrelid::regclass || ' ' || conname || ': ' || pg_get_constraintdef(oid) \
             AS line FROM pg_constraint WHERE connamespace = 'public'::regnamespace \
             ORDER BY conrelid::regclass::text, conname",
            "SELECT indexname || ': ' || indexdef AS line FROM pg_indexes \
             WHERE schemaname = 'public' ORDER BY indexname",
            "SELECT event_object_table || ' ' || trigger_name || ' ' || event_manipulation AS line \
             FROM information_schema.triggers ORDER BY 1",
        ],
    };
    let mut lines = Vec::new();
    for sql in queries {
        for row in db
            .query_all(Statement::from_string(backend, sql.to_string()))
            .await
            .unwrap()
        {
            lines.push(row.try_get::<String>("", "line").unwrap());
        }
    }
    lines.join("\n") + "\n"
}

/// Issue 30 (migrations use `sea_orm_migration::schema`'s helpers): applied migrations are
/// history — rewriting one must not change the schema it built. The schema of a fresh database
/// is committed per backend (`migrations/schema/`); a migration that changes it on purpose (a
/// new one) updates the file with `ADGANG_UPDATE_SCHEMA=1`.
#[tokio::test]
async fn issue_30_the_migrations_build_the_committed_schema() {
    let database = TestDatabase::create().await;
    let db = Database::connect(&database.url).await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    let built = schema_of(&db).await;
    let name = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Sqlite => "sqlite.txt",
        _ => "postgres.txt",
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../migrations/schema")
        .join(name);
    if std::env::var_os("ADGANG_UPDATE_SCHEMA").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &built).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        built == committed,
        "the migrations build another schema than {} (a new migration? then run with \
         ADGANG_UPDATE_SCHEMA=1)",
        path.display()
    );
}
