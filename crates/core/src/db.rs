//! The database handles a handler can ask for.

use sea_orm::{DatabaseConnection, DatabaseTransaction, DbBackend};

/// Connections for reads that need no transaction — the hot GET paths (issue 13, "faster under
/// load"). On SQLite a pool of read-only connections beside the one writer (WAL lets them read
/// while it writes, and each read sees every commit made before it started); on PostgreSQL and
/// an in-memory SQLite the same pool as the writer. Anything that writes, or reads to decide a
/// write, takes `web::Data<DatabaseConnection>` instead.
#[derive(Clone, Debug)]
pub struct ReadDb(pub DatabaseConnection);

impl std::ops::Deref for ReadDb {
    type Target = DatabaseConnection;

    fn deref(&self) -> &DatabaseConnection {
        &self.0
    }
}

/// The `N` bind placeholders of a hand-written statement, in order: `$1, $2, …` on PostgreSQL,
/// `?` on SQLite.
pub fn placeholders<const N: usize>(backend: DbBackend) -> [String; N] {
    std::array::from_fn(|i| match backend {
        DbBackend::Postgres => format!("${}", i + 1),
        _ => "?".to_owned(),
    })
}

/// What a write with `?dryRun` came to (X-04).
#[derive(Debug)]
pub enum Written<T> {
    /// The change is committed; its result.
    Committed(T),
    /// A dry run: every rule was applied, then everything rolled back.
    Checked,
}

impl<T> Written<T> {
    /// The result when committed; `None` for a dry run (answer it with `204 No Content`).
    pub fn committed(self) -> Option<T> {
        match self {
            Written::Committed(result) => Some(result),
            Written::Checked => None,
        }
    }

    /// The response: `committed` of the result, or `204 No Content` for a dry run that passed.
    pub fn respond(
        self,
        committed: impl FnOnce(T) -> actix_web::HttpResponse,
    ) -> actix_web::HttpResponse {
        match self {
            Written::Committed(result) => committed(result),
            Written::Checked => actix_web::HttpResponse::NoContent().finish(),
        }
    }
}

/// The one write path of handlers (issue 30): runs `change` in one transaction on the writer —
/// the change and its audit rows (the services write them in the transaction they are given) —
/// and commits it; a dry run rolls it back after every check ran, so it is judged by exactly the
/// rules of the real request. A failed change rolls back (the transaction is dropped); `?` in
/// the change turns a module's error into its problem (`From<ModuleError> for DomainError`).
///
/// ```ignore
/// let group = write(&db, async |txn| {
///     Ok(service::create_group(txn, &scope.actor, &scope.org, &input, scope.now).await?)
/// })
/// .await?;
/// ```
pub async fn write_or_check<T, F>(
    db: &DatabaseConnection,
    dry_run: crate::DryRun,
    change: F,
) -> Result<Written<T>, crate::DomainError>
where
    F: AsyncFnOnce(&DatabaseTransaction) -> Result<T, crate::DomainError>,
{
    let result = transact(db, !dry_run.dry_run, change).await?;
    Ok(if dry_run.dry_run {
        Written::Checked
    } else {
        Written::Committed(result)
    })
}

/// [`write_or_check`] for a change that has no dry run.
pub async fn write<T, F>(db: &DatabaseConnection, change: F) -> Result<T, crate::DomainError>
where
    F: AsyncFnOnce(&DatabaseTransaction) -> Result<T, crate::DomainError>,
{
    transact(db, true, change).await
}

async fn transact<T, F>(
    db: &DatabaseConnection,
    commit: bool,
    change: F,
) -> Result<T, crate::DomainError>
where
    F: AsyncFnOnce(&DatabaseTransaction) -> Result<T, crate::DomainError>,
{
    use sea_orm::TransactionTrait;
    let txn = db.begin().await?;
    let result = change(&txn).await?;
    if commit {
        txn.commit().await?;
    } else {
        txn.rollback().await?;
    }
    Ok(result)
}
