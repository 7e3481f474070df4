//! `adgang-migrate [up|down|fresh|status]` against `DATABASE_URL` — for operators; the server
//! itself migrates at start-up.

use adgang_migrations::Migrator;
use sea_orm_migration::{sea_orm::Database, MigratorTrait};

#[tokio::main]
async fn main() {
    let url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "sqlite://data/adgang.db?mode=rwc".to_owned());
    let command = std::env::args().nth(1).unwrap_or_else(|| "up".to_owned());
    let db = match Database::connect(&url).await {
        Ok(db) => db,
        Err(err) => fail(&format!("cannot connect to the database: {err}")),
    };
    let result = match command.as_str() {
        "up" => Migrator::up(&db, None).await,
        "down" => Migrator::down(&db, Some(1)).await,
        "fresh" => Migrator::fresh(&db).await,
        "status" => Migrator::status(&db).await,
        other => fail(&format!(
            "unknown command {other:?}; use up, down, fresh or status"
        )),
    };
    if let Err(err) = result {
        fail(&format!("{command} failed: {err}"));
    }
}

fn fail(message: &str) -> ! {
    eprintln!("adgang-migrate: {message}");
    std::process::exit(1)
}
