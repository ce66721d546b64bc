//! Rate limits on the requests people could abuse: registering, "lost my link" and logging
//! in. A fixed one-minute window per key (a client address, or the account a login tries),
//! in memory: enough to stop a script hammering one server, with nothing to configure beyond
//! a number (0 switches it off).

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);
/// Beyond this many tracked addresses, expired windows are swept before adding one.
const SWEEP_AT: usize = 10_000;

/// How many requests one key (by default a client address) may make per minute; 0 means no
/// limit.
#[derive(Debug)]
pub struct RateLimiter<K = IpAddr> {
    per_minute: u32,
    windows: Mutex<HashMap<K, (Instant, u32)>>,
}

impl<K: Hash + Eq> RateLimiter<K> {
    pub fn new(per_minute: u32) -> Self {
        RateLimiter {
            per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request from `client` at `now`; false when it is over the limit.
    pub fn allow(&self, client: K, now: Instant) -> bool {
        if self.per_minute == 0 {
            return true;
        }
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if windows.len() >= SWEEP_AT {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let (start, count) = windows.entry(client).or_insert((now, 0));
        if now.duration_since(*start) >= WINDOW {
            *start = now;
            *count = 0;
        }
        *count = count.saturating_add(1);
        *count <= self.per_minute
    }
}

/// The limits of this server.
#[derive(Debug)]
pub struct Limits {
    pub registration: RateLimiter,
    pub lost_link: RateLimiter,
    /// Login attempts per client address…
    pub login: RateLimiter,
    /// …and per account tried (its address, normalised), wherever they come from.
    pub login_account: RateLimiter<String>,
}

impl Limits {
    pub fn new(
        registrations_per_minute: u32,
        lost_links_per_minute: u32,
        logins_per_minute: u32,
    ) -> Self {
        Limits {
            registration: RateLimiter::new(registrations_per_minute),
            lost_link: RateLimiter::new(lost_links_per_minute),
            login: RateLimiter::new(logins_per_minute),
            login_account: RateLimiter::new(logins_per_minute),
        }
    }

    pub fn off() -> Self {
        Limits::new(0, 0, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_over_its_limit_waits_for_the_next_minute() {
        let limiter = RateLimiter::new(2);
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let t0 = Instant::now();
        assert!(limiter.allow(a, t0));
        assert!(limiter.allow(a, t0));
        assert!(!limiter.allow(a, t0 + Duration::from_secs(30)));
        assert!(limiter.allow(b, t0), "other addresses are not affected");
        assert!(limiter.allow(a, t0 + Duration::from_secs(61)));
    }

    #[test]
    fn any_key_can_be_limited() {
        let limiter = RateLimiter::<String>::new(1);
        let t0 = Instant::now();
        assert!(limiter.allow("amina@example.org".into(), t0));
        assert!(!limiter.allow("amina@example.org".into(), t0));
        assert!(limiter.allow("other@example.org".into(), t0));
    }

    #[test]
    fn zero_switches_the_limit_off() {
        let limiter = RateLimiter::new(0);
        let a: IpAddr = "::1".parse().unwrap();
        assert!((0..1000).all(|_| limiter.allow(a, Instant::now())));
    }
}
