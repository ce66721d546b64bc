//! A short-lived, in-process cache of what the public pages load. Programme data changes
//! rarely and is read on every page view: holding it for a second turns nine queries per view
//! into one load per second per page, while any change, made here or by another instance on
//! the same PostgreSQL, shows within `TTL`. Only found data is kept, so unknown addresses
//! cannot grow it.

use crate::db::editions::EditionRecord;
use crate::db::registrations::Counts;
use crate::db::stages::StageRecord;
use crate::domain::ticket::{TicketKey, TicketPublicKey};
use crate::domain::Lineup;
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const TTL: Duration = Duration::from_secs(1);

/// Values kept for at most a fixed time, each loaded once however many ask for it at the same
/// moment (single flight): when a large edition's feed expires under a hundred calendars
/// polling it, one request rebuilds it and the others wait for that one.
pub struct TtlCache<K, V> {
    ttl: Duration,
    entries: Mutex<HashMap<K, (Instant, V)>>,
    /// The turn to load each key being loaded now.
    loading: Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
            loading: Mutex::new(HashMap::new()),
        }
    }

    /// The turn to load `key`, shared by everyone asking for it now.
    fn turn_for(&self, key: &K) -> Arc<tokio::sync::Mutex<()>> {
        let mut loading = self
            .loading
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        loading.entry(key.clone()).or_default().clone()
    }

    /// Forgets `key`'s turn once nobody else holds or waits for it.
    fn end_turn(&self, key: &K, turn: Arc<tokio::sync::Mutex<()>>) {
        let mut loading = self
            .loading
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let alone = loading
            .get(key)
            .is_some_and(|kept| Arc::ptr_eq(kept, &turn) && Arc::strong_count(&turn) == 2);
        if alone {
            loading.remove(key);
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
        let turn = self.turn_for(&key);
        let loaded = {
            let _turn = turn.lock().await;
            // Whoever had the turn before may have just loaded it.
            match self.fresh(&key, Instant::now()) {
                Some(value) => Ok(Some(value)),
                None => self.load_and_keep(key.clone(), load).await,
            }
        };
        self.end_turn(&key, turn);
        loaded
    }

    async fn load_and_keep<E, F>(&self, key: K, load: F) -> Result<Option<V>, E>
    where
        F: Future<Output = Result<Option<V>, E>>,
    {
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
    /// Each public stage's seat counts, by stage id: a busy stage page or API route counts
    /// once per `TTL` rather than once per request (pages with new query strings pass the
    /// page cache), at most `TTL` behind the registrations.
    pub stage_counts: TtlCache<String, Counts>,
    /// Each edition's seat counts by stage, by edition id, for its stage cards.
    pub edition_counts: TtlCache<String, Arc<HashMap<String, Counts>>>,
}

impl ProgrammeCache {
    pub fn new(ttl: Duration) -> Arc<Self> {
        Arc::new(Self {
            editions: TtlCache::new(ttl),
            edition: TtlCache::new(ttl),
            stage: TtlCache::new(ttl),
            signing_keys: TtlCache::new(ttl),
            public_keys: TtlCache::new(ttl),
            stage_counts: TtlCache::new(ttl),
            edition_counts: TtlCache::new(ttl),
        })
    }

    /// Forgets everything, for writes made by this process.
    pub fn clear(&self) {
        self.editions.clear();
        self.edition.clear();
        self.stage.clear();
        self.signing_keys.clear();
        self.public_keys.clear();
        self.stage_counts.clear();
        self.edition_counts.clear();
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
    async fn a_value_asked_for_by_many_at_once_is_loaded_once() {
        let cache: Arc<TtlCache<&str, u32>> = Arc::new(TtlCache::new(Duration::from_secs(60)));
        let loads = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let askers: Vec<_> = (0..20)
            .map(|_| {
                let (cache, loads) = (cache.clone(), loads.clone());
                tokio::spawn(async move {
                    cache
                        .get_or_load("feed", async {
                            loads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(30)).await;
                            Ok::<_, ()>(Some(42))
                        })
                        .await
                })
            })
            .collect();
        for asker in askers {
            assert_eq!(asker.await.unwrap(), Ok(Some(42)));
        }
        assert_eq!(loads.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert!(
            cache.loading.lock().unwrap().is_empty(),
            "no turn left behind"
        );
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
