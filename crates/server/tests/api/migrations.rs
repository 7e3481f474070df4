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
