//! Brute-force defence (security-reliability.md §5): in-memory keyed limits, built once per
//! process and shared by every worker thread, so N workers do not mean N times the limit.
//! They reset on restart and are per instance; documented in the README.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Keys tracked before old ones are dropped.
const MAX_KEYS: usize = 10_000;

/// One keyed limit.
#[derive(Debug)]
pub(crate) struct Limit<K: Hash + Eq + Clone> {
    limiter: DefaultKeyedRateLimiter<K>,
}

impl<K: Hash + Eq + Clone> Limit<K> {
    /// `burst` attempts at once, refilled at one per `period / burst`.
    fn new(burst: u32, period: Duration) -> Self {
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(period / burst.get())
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst);
        Self {
            limiter: RateLimiter::keyed(quota),
        }
    }

    /// Takes one attempt for `key`; `Err(seconds)` when none is left, with the wait.
    pub(crate) fn take(&self, key: &K) -> Result<(), u64> {
        if self.limiter.len() > MAX_KEYS {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(key).map_err(|not_until| {
            not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1)
        })
    }
}

/// Every limit pum enforces.
#[derive(Debug)]
pub(crate) struct RateLimits {
    /// Password sign-ins per client address: 5 a minute.
    pub(crate) sign_in_per_ip: Limit<IpAddr>,
    /// Failed sign-ins per username, across addresses: 10 per 15 minutes, then each further
    /// attempt is slowed down rather than refused, so no one can lock an admin out.
    pub(crate) failures_per_username: Limit<String>,
    /// Plex PINs created per client address: 10 an hour.
    pub(crate) pins_per_ip: Limit<IpAddr>,
    /// Invite page requests per client address: 60 a minute.
    pub(crate) invite_requests_per_ip: Limit<IpAddr>,
    /// Unknown invite codes per client address: after 10 in 10 minutes every invite request
    /// from the address is refused until the window ends, so guessing learns nothing.
    pub(crate) invite_misses: Misses,
    /// Redemption attempts per client address: 20 an hour.
    pub(crate) redemptions_per_ip: Limit<IpAddr>,
}

/// Counts failures per address in fixed windows; once `max` is reached the address is
/// refused until its window ends.
#[derive(Debug)]
pub(crate) struct Misses {
    max: u32,
    window: Duration,
    seen: std::sync::Mutex<std::collections::HashMap<IpAddr, (std::time::Instant, u32)>>,
}

impl Misses {
    fn new(max: u32, window: Duration) -> Self {
        Self {
            max,
            window,
            seen: std::sync::Mutex::default(),
        }
    }

    /// `Err(seconds)` while `ip` is refused, with the wait.
    pub(crate) fn check(&self, ip: IpAddr) -> Result<(), u64> {
        let now = std::time::Instant::now();
        let seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match seen.get(&ip) {
            Some((start, count)) if *count >= self.max && now < *start + self.window => {
                Err((*start + self.window - now).as_secs().max(1))
            }
            _ => Ok(()),
        }
    }

    /// Records one failure from `ip`.
    pub(crate) fn record(&self, ip: IpAddr) {
        let now = std::time::Instant::now();
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if seen.len() > MAX_KEYS {
            let window = self.window;
            seen.retain(|_, (start, _)| now < *start + window);
        }
        let entry = seen.entry(ip).or_insert((now, 0));
        if now >= entry.0 + self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
    }
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            sign_in_per_ip: Limit::new(5, Duration::from_mins(1)),
            failures_per_username: Limit::new(10, Duration::from_mins(15)),
            pins_per_ip: Limit::new(10, Duration::from_hours(1)),
            invite_requests_per_ip: Limit::new(60, Duration::from_mins(1)),
            invite_misses: Misses::new(10, Duration::from_mins(10)),
            redemptions_per_ip: Limit::new(20, Duration::from_hours(1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_allows_its_burst_then_says_how_long_to_wait() {
        let limit: Limit<u8> = Limit::new(5, Duration::from_mins(1));
        for _ in 0..5 {
            assert_eq!(limit.take(&1), Ok(()));
        }
        let wait = limit.take(&1).err().unwrap_or_default();
        assert!((1..=12).contains(&wait), "{wait}");
        assert_eq!(limit.take(&2), Ok(()), "keys are separate");
    }

    #[test]
    fn misses_refuse_an_address_once_it_has_missed_too_often() {
        let misses = Misses::new(3, Duration::from_mins(10));
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        for _ in 0..3 {
            assert_eq!(misses.check(a), Ok(()));
            misses.record(a);
        }
        let wait = misses.check(a).err().unwrap_or_default();
        assert!((1..=600).contains(&wait), "{wait}");
        assert_eq!(misses.check(b), Ok(()), "addresses are separate");
    }
}
