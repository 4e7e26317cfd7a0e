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
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            sign_in_per_ip: Limit::new(5, Duration::from_mins(1)),
            failures_per_username: Limit::new(10, Duration::from_mins(15)),
            pins_per_ip: Limit::new(10, Duration::from_hours(1)),
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
}
