//! Connecting to SQLite or PostgreSQL and migrating at start-up.

use std::time::Duration;

use adgang_migrations::{Migrator, MigratorTrait};
use anyhow::Context;
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

/// Connections to PostgreSQL, which runs writers side by side.
const POSTGRES_CONNECTIONS: u32 = 16;

/// How long a statement waits for SQLite's write lock held by another process (the CLI, a
/// backup) before failing.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a request waits for the one SQLite connection: long enough to outlast a bulk
/// import of the whole contact structure (~20 s for 10,000 points in one transaction, see
/// docs/performance.md), so other requests wait instead of failing.
const SQLITE_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(45);

pub async fn connect_and_migrate(url: &str) -> anyhow::Result<DatabaseConnection> {
    ensure_sqlite_directory(url)?;
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .connect_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        // Issue 13 item 3: SQLite allows one writer, and a deferred transaction that read
        // before another committed cannot take the write lock at all ("database is locked" at
        // once, whatever the busy timeout). One connection serialises every transaction; WAL
        // keeps each commit short (no rollback journal), NORMAL sync is safe with WAL, and the
        // busy timeout covers another process (the CLI, a backup) holding the lock.
        options
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(SQLITE_ACQUIRE_TIMEOUT)
            // An in-process SQLite connection cannot drop; the ping before every use doubled
            // each statement's round trips to sqlx's connection thread (issue 13, load).
            .test_before_acquire(false)
            .map_sqlx_sqlite_opts(|o| {
                use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .foreign_keys(true)
            });
    } else {
        options.max_connections(POSTGRES_CONNECTIONS);
    }
    let db = Database::connect(options)
        .await
        .with_context(|| format!("connecting to the database at {}", redact(url)))?;
    Migrator::up(&db, None)
        .await
        .context("running database migrations")?;
    Ok(db)
}

/// Read-only connections for the hot GET paths ([`ReadDb`]).
const SQLITE_READERS: u32 = 8;

/// Rows sqlx's SQLite thread may read ahead of the task taking them (sqlx: 50): a whole CSV
/// batch (`adgang_eventlog::service::BATCH`), so the thread reads the next batch while ours
/// renders the last instead of waiting for it every 50 rows (issue 15).
const READER_ROW_BUFFER: usize = 8192;

/// The pool [`ReadDb`] hands out: on a SQLite file, read-only connections beside the writer;
/// otherwise the writer's own pool.
pub async fn connect_readers(
    url: &str,
    writer: &DatabaseConnection,
) -> anyhow::Result<adgang_core::ReadDb> {
    let file = url
        .strip_prefix("sqlite:")
        .filter(|rest| !rest.contains(":memory:") && !rest.contains("mode=memory"));
    if file.is_none() {
        return Ok(adgang_core::ReadDb(writer.clone()));
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .connect_timeout(Duration::from_secs(10))
        .max_connections(SQLITE_READERS)
        .min_connections(1)
        .test_before_acquire(false)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.read_only(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .row_buffer_size(READER_ROW_BUFFER)
        });
    let readers = Database::connect(options)
        .await
        .with_context(|| format!("opening read connections to {}", redact(url)))?;
    Ok(adgang_core::ReadDb(readers))
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
    use super::*;
    use sea_orm::ConnectionTrait;

    #[tokio::test]
    async fn issue_13_sqlite_readers_see_every_commit_and_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("r.db").display());
        let writer = connect_and_migrate(&url).await.unwrap();
        let readers = connect_readers(&url, &writer).await.unwrap();
        writer
            .execute_unprepared("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)")
            .await
            .unwrap();
        let count = |db: &DatabaseConnection| {
            let db = db.clone();
            async move {
                db.query_one(sea_orm::Statement::from_string(
                    db.get_database_backend(),
                    "SELECT COUNT(*) AS n FROM t",
                ))
                .await
                .unwrap()
                .unwrap()
                .try_get::<i64>("", "n")
                .unwrap()
            }
        };
        assert_eq!(
            count(&readers.0).await,
            1,
            "a commit is visible to the next read"
        );
        assert!(
            readers
                .execute_unprepared("INSERT INTO t VALUES (2)")
                .await
                .is_err(),
            "the read connections are read-only"
        );
        // An open write transaction does not stop a read (WAL).
        let txn = sea_orm::TransactionTrait::begin(&writer).await.unwrap();
        txn.execute_unprepared("INSERT INTO t VALUES (3)")
            .await
            .unwrap();
        assert_eq!(count(&readers.0).await, 1, "uncommitted rows are not seen");
        txn.commit().await.unwrap();
        assert_eq!(count(&readers.0).await, 2);
    }

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
