//! Rate limits on the requests people could abuse: registering, "lost my link" and logging
//! in, and the emails such requests send to one address. A fixed one-minute window per key (a
//! client, the account a login tries, an email address), in memory and per process: enough to
//! stop a script hammering a server, with nothing to configure beyond a number (0 switches it
//! off). A client is its IPv4 address, or its IPv6 /64: one connection is usually given a
//! whole /64, so its single addresses cost nothing to change.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);
/// Beyond this many tracked keys, expired windows are swept before adding one.
const SWEEP_AT: usize = 10_000;
/// The most keys one limiter keeps: past it, the oldest windows go first, so that a flood of
/// new addresses cannot grow the memory without end.
const MOST_KEYS: usize = 100_000;

/// How many requests one key (by default a client address) may make per minute; 0 means no
/// limit.
#[derive(Debug)]
pub struct RateLimiter<K = IpAddr> {
    per_minute: u32,
    windows: Mutex<Windows<K>>,
}

/// Each key's window (when it opened, how many requests since), and when expired ones were
/// last swept away.
#[derive(Debug)]
struct Windows<K> {
    open: HashMap<K, (Instant, u32)>,
    swept_at: Option<Instant>,
}

impl<K: Hash + Eq> RateLimiter<K> {
    pub fn new(per_minute: u32) -> Self {
        RateLimiter {
            per_minute,
            windows: Mutex::new(Windows {
                open: HashMap::new(),
                swept_at: None,
            }),
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
        windows.make_room(now);
        let (start, count) = windows.open.entry(client).or_insert((now, 0));
        if now.duration_since(*start) >= WINDOW {
            *start = now;
            *count = 0;
        }
        *count = count.saturating_add(1);
        *count <= self.per_minute
    }
}

impl<K: Hash + Eq> Windows<K> {
    /// Keeps the map bounded at a cost that does not grow with each request: expired windows
    /// are swept at most once a second once there are many, and past `MOST_KEYS` the oldest
    /// tenth goes at once.
    fn make_room(&mut self, now: Instant) {
        if self.open.len() >= MOST_KEYS {
            forget_oldest(&mut self.open, MOST_KEYS / 10);
        }
        let due = self
            .swept_at
            .is_none_or(|at| now.duration_since(at) >= Duration::from_secs(1));
        if self.open.len() >= SWEEP_AT && due {
            self.open
                .retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
            self.swept_at = Some(now);
        }
    }
}

/// Drops the `count` windows opened longest ago.
fn forget_oldest<K: Hash + Eq>(windows: &mut HashMap<K, (Instant, u32)>, count: usize) {
    let mut starts: Vec<Instant> = windows.values().map(|(start, _)| *start).collect();
    let Some(at) = count.checked_sub(1).filter(|at| *at < starts.len()) else {
        windows.clear();
        return;
    };
    let (_, cutoff, _) = starts.select_nth_unstable(at);
    let cutoff = *cutoff;
    windows.retain(|_, (start, _)| *start > cutoff);
}

/// What a client is counted as: its IPv4 address (an IPv4-mapped IPv6 one included), or the
/// /64 network of its IPv6 address.
pub fn client_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let network = u128::from(v6) & (u128::MAX << 64);
                IpAddr::V6(std::net::Ipv6Addr::from(network))
            }
        },
    }
}

impl RateLimiter<IpAddr> {
    /// Counts a request from the client at `address` (by `client_key`); false when over.
    pub fn allow_client(&self, address: IpAddr, now: Instant) -> bool {
        self.allow(client_key(address), now)
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
    /// Emails to one address (normalised) that anyone's request can trigger.
    pub emails_to: RateLimiter<String>,
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
            emails_to: RateLimiter::new(0),
        }
    }

    /// The same limits, with at most `per_minute` emails to one address from requests anyone
    /// can make; 0 for no limit.
    pub fn with_emails_per_address(mut self, per_minute: u32) -> Self {
        self.emails_to = RateLimiter::new(per_minute);
        self
    }

    /// Counts an email to `address` that someone's request would send; false when that
    /// address has had its share this minute (the email is then not sent, and the request
    /// answered as if it had been).
    pub fn allow_email_to(&self, address: &str) -> bool {
        self.emails_to
            .allow(address.trim().to_lowercase(), Instant::now())
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
    fn an_ipv6_client_counts_as_its_64_and_a_mapped_ipv4_as_itself() {
        let limiter = RateLimiter::new(2);
        let t0 = Instant::now();
        let one: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let same_64: IpAddr = "2001:db8:1:2:ffff:ffff:ffff:ffff".parse().unwrap();
        let other_64: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert!(limiter.allow_client(one, t0));
        assert!(limiter.allow_client(same_64, t0));
        assert!(
            !limiter.allow_client(same_64, t0),
            "the whole /64 shares one window"
        );
        assert!(limiter.allow_client(other_64, t0));
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(client_key(mapped), "10.0.0.1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn a_flood_of_new_clients_keeps_memory_bounded_and_forgets_the_oldest() {
        let limiter = RateLimiter::<u32>::new(1);
        let t0 = Instant::now();
        assert!(limiter.allow(0, t0));
        for n in 1..(MOST_KEYS as u32 + 5_000) {
            // All within one minute: none expires, so only forgetting bounds the map.
            limiter.allow(n, t0 + Duration::from_millis(u64::from(n) / 10_000));
        }
        let kept = limiter.windows.lock().unwrap().open.len();
        assert!(kept <= MOST_KEYS, "{kept} keys kept");
        // The oldest window went: the first client may ask again.
        assert!(limiter.allow(0, t0 + Duration::from_secs(20)));
        // A recent one is still counted.
        let recent = MOST_KEYS as u32 + 4_000;
        assert!(!limiter.allow(recent, t0 + Duration::from_secs(20)));
    }

    #[test]
    fn emails_to_one_address_are_limited_whatever_its_case() {
        let limits = Limits::off().with_emails_per_address(2);
        assert!(limits.allow_email_to("Camille@Example.org"));
        assert!(limits.allow_email_to("camille@example.org "));
        assert!(!limits.allow_email_to("CAMILLE@example.org"));
        assert!(limits.allow_email_to("other@example.org"));
        assert!((0..100).all(|_| Limits::off().allow_email_to("x@example.org")));
    }

    #[test]
    fn zero_switches_the_limit_off() {
        let limiter = RateLimiter::new(0);
        let a: IpAddr = "::1".parse().unwrap();
        assert!((0..1000).all(|_| limiter.allow(a, Instant::now())));
    }
}
