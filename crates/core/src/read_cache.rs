//! A cache for the hot read paths of one server instance (issue 13, "faster under load").
//!
//! On SQLite every statement is handed to sqlx's connection thread and back; under load those
//! hand-overs, not SQLite, are the time (docs/performance.md). A list an organisation reads far
//! more often than it changes is kept here, per organisation and resource, and dropped as a
//! whole after every mutating request this instance finishes (the `count_writes` middleware) —
//! never served stale: an entry is used only if no write finished since its read began.
//!
//! Only on SQLite, which runs one server instance (ARCHITECTURE.md); several instances on one
//! PostgreSQL could not see each other's writes, so there the cache is off and every read goes
//! to the database. Background jobs that write what a cached list shows must call
//! [`ReadCache::invalidate`] too.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use crate::Cvr;

/// Entries at most; beyond that the cache starts over rather than grow.
const MAX_ENTRIES: usize = 10_000;

type Entries = HashMap<(&'static str, String), (u64, Arc<dyn Any + Send + Sync>)>;

pub struct ReadCache {
    enabled: bool,
    /// Raised after every finished write: entries read under an older value are not used.
    generation: AtomicU64,
    entries: RwLock<Entries>,
}

impl ReadCache {
    /// `enabled` only where one instance sees every write (SQLite).
    pub fn new(enabled: bool) -> ReadCache {
        ReadCache {
            enabled,
            generation: AtomicU64::new(0),
            entries: RwLock::new(HashMap::new()),
        }
    }

    /// A write finished: nothing read before it is used again.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// `resource` of `organisation` from the cache, or from `load` (and then kept).
    pub async fn get_or_load<T, E, Fut>(
        &self,
        resource: &'static str,
        organisation: &Cvr,
        load: impl FnOnce() -> Fut,
    ) -> Result<Arc<T>, E>
    where
        T: Send + Sync + 'static,
        Fut: Future<Output = Result<T, E>>,
    {
        if !self.enabled {
            return load().await.map(Arc::new);
        }
        let key = (resource, organisation.to_string());
        // Read before loading: a write that finishes during the load makes this entry unusable.
        let generation = self.generation.load(Ordering::SeqCst);
        if let Some(hit) = self.lookup::<T>(&key, generation) {
            return Ok(hit);
        }
        let loaded = Arc::new(load().await?);
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, (generation, loaded.clone()));
        Ok(loaded)
    }

    fn lookup<T: Send + Sync + 'static>(
        &self,
        key: &(&'static str, String),
        generation: u64,
    ) -> Option<Arc<T>> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let (read_at, value) = entries.get(key)?;
        if *read_at != generation {
            return None;
        }
        value.clone().downcast::<T>().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cvr(s: &str) -> Cvr {
        Cvr::parse(s).unwrap()
    }

    async fn load(cache: &ReadCache, org: &str, value: u32) -> u32 {
        *cache
            .get_or_load("list", &cvr(org), || async move { Ok::<_, ()>(value) })
            .await
            .unwrap()
    }

    #[actix_web::test]
    async fn issue_13_an_entry_is_served_until_a_write_finishes_and_only_to_its_organisation() {
        let cache = ReadCache::new(true);
        assert_eq!(load(&cache, "29189846", 1).await, 1);
        assert_eq!(
            load(&cache, "29189846", 2).await,
            1,
            "served from the cache"
        );
        assert_eq!(
            load(&cache, "34051178", 3).await,
            3,
            "another organisation loads its own"
        );
        cache.invalidate();
        assert_eq!(
            load(&cache, "29189846", 4).await,
            4,
            "a write drops every entry"
        );
    }

    #[actix_web::test]
    async fn issue_13_a_read_overtaken_by_a_write_is_not_kept() {
        let cache = ReadCache::new(true);
        let org = cvr("29189846");
        // The write finishes while the read is under way: what it read may predate the write.
        let read = cache
            .get_or_load("list", &org, || async {
                cache.invalidate();
                Ok::<_, ()>(1u32)
            })
            .await
            .unwrap();
        assert_eq!(*read, 1);
        assert_eq!(load(&cache, "29189846", 2).await, 2);
    }

    #[actix_web::test]
    async fn issue_13_disabled_it_always_loads() {
        let cache = ReadCache::new(false);
        assert_eq!(load(&cache, "29189846", 1).await, 1);
        assert_eq!(load(&cache, "29189846", 2).await, 2);
    }
}
