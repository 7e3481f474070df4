//! Connecting to SQLite or PostgreSQL and migrating at start-up.

use std::time::Duration;

use adgang_migrations::{Migrator, MigratorTrait};
use anyhow::Context;
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

pub async fn connect_and_migrate(url: &str) -> anyhow::Result<DatabaseConnection> {
    ensure_sqlite_directory(url)?;
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(16)
        .connect_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    let db = Database::connect(options)
        .await
        .with_context(|| format!("connecting to the database at {}", redact(url)))?;
    Migrator::up(&db, None)
        .await
        .context("running database migrations")?;
    Ok(db)
}

/// `sqlite://data/adgang.db?mode=rwc` creates the file but not its directory.
fn ensure_sqlite_directory(url: &str) -> anyhow::Result<()> {
    let Some(rest) = url.strip_prefix("sqlite://") else {
        return Ok(());
    };
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(dir) = std::path::Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    Ok(())
}

/// The URL without its password, for logs and errors.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redacts_passwords_only() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/adgang"),
            "postgres://app:***@db:5432/adgang"
        );
        assert_eq!(
            redact("sqlite://data/adgang.db?mode=rwc"),
            "sqlite://data/adgang.db?mode=rwc"
        );
    }
}
