//! The tree and the platforms' search served from memory while an organisation's contact
//! structure is unchanged. Every change raises the organisation's version in the change's own
//! transaction (`service::bump_version`); a reader fetches the version (one indexed row)
//! *before* it loads anything, so a cached value is never newer-labelled than its data and a
//! change is visible to the next request on any server instance.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use adgang_core::Cvr;

use crate::service::SearchIndex;

/// Organisations kept at once; past this the cache starts over (the platform search is public,
/// so the set of organisations asked about is not ours to bound).
const MAX_ORGANISATIONS: usize = 256;

pub struct VersionedCache<T> {
    entries: Mutex<HashMap<String, (i64, T)>>,
}

impl<T> Default for VersionedCache<T> {
    fn default() -> Self {
        VersionedCache {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<T: Clone> VersionedCache<T> {
    /// The value cached for `org` at exactly `version`.
    pub fn get(&self, org: &Cvr, version: i64) -> Option<T> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(org.as_str())
            .filter(|(cached, _)| *cached == version)
            .map(|(_, value)| value.clone())
    }

    pub fn put(&self, org: &Cvr, version: i64, value: T) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ORGANISATIONS && !entries.contains_key(org.as_str()) {
            entries.clear();
        }
        entries.insert(org.to_string(), (version, value));
    }
}

/// Registered once per server as app data.
#[derive(Default)]
pub struct StructureCache {
    /// The tree endpoint's JSON.
    pub tree: VersionedCache<actix_web::web::Bytes>,
    /// The points the platforms can find.
    pub search: VersionedCache<Arc<SearchIndex>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_served_only_at_its_version() {
        let cache = VersionedCache::<u32>::default();
        let org = Cvr::parse("34051178").unwrap();
        assert_eq!(cache.get(&org, 0), None);
        cache.put(&org, 3, 7);
        assert_eq!(cache.get(&org, 3), Some(7));
        assert_eq!(cache.get(&org, 4), None, "a newer version is a miss");
        assert_eq!(cache.get(&Cvr::parse("29189846").unwrap(), 3), None);
    }
}
