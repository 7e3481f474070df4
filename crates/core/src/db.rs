//! The database handles a handler can ask for.

use sea_orm::{DatabaseConnection, DbBackend};

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
