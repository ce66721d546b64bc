//! A short-lived, in-process cache of what the public pages load. Programme data changes
//! rarely and is read on every page view: holding it for a second turns nine queries per view
//! into one load per second per page, while any change, made here or by another instance on
//! the same PostgreSQL, shows within `TTL`. Only found data is kept, so unknown addresses
//! cannot grow it.

use crate::db::editions::EditionRecord;
use crate::db::stages::StageRecord;
use crate::domain::ticket::{TicketKey, TicketPublicKey};
use crate::domain::Lineup;
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const TTL: Duration = Duration::from_secs(1);

/// Values kept for at most a fixed time.
pub struct TtlCache<K, V> {
    ttl: Duration,
    entries: Mutex<HashMap<K, (Instant, V)>>,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn fresh(&self, key: &K, now: Instant) -> Option<V> {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        entries
            .get(key)
            .filter(|(stored_at, _)| now.duration_since(*stored_at) < self.ttl)
            .map(|(_, value)| value.clone())
    }

    /// The cached value, or the loader's `Some` value (then cached). `None` and errors are
    /// passed through and never cached.
    pub async fn get_or_load<E, F>(&self, key: K, load: F) -> Result<Option<V>, E>
    where
        F: Future<Output = Result<Option<V>, E>>,
    {
        if self.ttl.is_zero() {
            return load.await;
        }
        if let Some(value) = self.fresh(&key, Instant::now()) {
            return Ok(Some(value));
        }
        let loaded = load.await?;
        if let Some(value) = &loaded {
            let now = Instant::now();
            let mut entries = self
                .entries
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            entries.retain(|_, (stored_at, _)| now.duration_since(*stored_at) < self.ttl);
            entries.insert(key, (now, value.clone()));
        }
        Ok(loaded)
    }

    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clear();
    }
}

pub type EditionWithStages = Arc<(EditionRecord, Vec<StageRecord>)>;
pub type StageWithLineup = Arc<(EditionRecord, StageRecord, Lineup)>;

/// The caches behind the public programme pages and the registration desk, shared by all
/// requests of one server.
pub struct ProgrammeCache {
    pub editions: TtlCache<(), Arc<Vec<EditionRecord>>>,
    pub edition: TtlCache<String, EditionWithStages>,
    pub stage: TtlCache<(String, String), StageWithLineup>,
    /// Each edition's active ticket key, by edition id. A key rotated elsewhere is still used
    /// for up to `TTL`: harmless, as retired keys keep verifying (docs/tickets.md).
    pub signing_keys: TtlCache<String, Arc<TicketKey>>,
    /// Each edition's public keys, by edition id, for the doors. A key deleted elsewhere (a
    /// compromised one) still verifies for up to `TTL`.
    pub public_keys: TtlCache<String, Arc<Vec<TicketPublicKey>>>,
}

impl ProgrammeCache {
    pub fn new(ttl: Duration) -> Arc<Self> {
        Arc::new(Self {
            editions: TtlCache::new(ttl),
            edition: TtlCache::new(ttl),
            stage: TtlCache::new(ttl),
            signing_keys: TtlCache::new(ttl),
            public_keys: TtlCache::new(ttl),
        })
    }

    /// Forgets everything, for writes made by this process.
    pub fn clear(&self) {
        self.editions.clear();
        self.edition.clear();
        self.stage.clear();
        self.signing_keys.clear();
        self.public_keys.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_found_value_is_served_from_memory_until_it_expires() {
        let cache: TtlCache<&str, u32> = TtlCache::new(Duration::from_millis(50));
        let first: Result<_, ()> = cache.get_or_load("k", async { Ok(Some(1)) }).await;
        assert_eq!(first, Ok(Some(1)));
        let cached: Result<_, ()> = cache.get_or_load("k", async { Ok(Some(2)) }).await;
        assert_eq!(cached, Ok(Some(1)));
        tokio::time::sleep(Duration::from_millis(60)).await;
        let reloaded: Result<_, ()> = cache.get_or_load("k", async { Ok(Some(3)) }).await;
        assert_eq!(reloaded, Ok(Some(3)));
    }

    #[tokio::test]
    async fn missing_values_and_errors_are_never_cached() {
        let cache: TtlCache<&str, u32> = TtlCache::new(Duration::from_secs(60));
        let missing: Result<_, ()> = cache.get_or_load("k", async { Ok(None) }).await;
        assert_eq!(missing, Ok(None));
        assert_eq!(
            cache
                .get_or_load("k", async { Err::<Option<u32>, _>("down") })
                .await,
            Err("down")
        );
        let found: Result<_, ()> = cache.get_or_load("k", async { Ok(Some(7)) }).await;
        assert_eq!(found, Ok(Some(7)));
    }
}
