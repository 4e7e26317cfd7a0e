//! When and how long to wait before trying a request again.

use std::time::Duration;

/// Exponential backoff with jitter for 429, 5xx and timeouts. `Retry-After` from Plex wins
/// when it is longer, up to `cap`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a request is retried after the first attempt.
    pub max_retries: u32,
    /// The delay before the first retry; doubled for each later one.
    pub base_delay: Duration,
    /// The longest single wait, whatever Plex asks for.
    pub cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            cap: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub const NONE: Self = Self {
        max_retries: 0,
        base_delay: Duration::ZERO,
        cap: Duration::ZERO,
    };

    /// The wait before retry number `attempt` (1-based), given Plex's `Retry-After` if any and a
    /// jitter fraction in `[0, 1)`.
    pub(crate) fn delay(
        self,
        attempt: u32,
        retry_after: Option<Duration>,
        jitter: f64,
    ) -> Duration {
        let exponential = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        let jittered = exponential.mul_f64(1.0 + jitter.clamp(0.0, 1.0) / 2.0);
        jittered
            .max(retry_after.unwrap_or(Duration::ZERO))
            .min(self.cap)
    }
}

#[cfg(test)]
mod tests {
    use super::RetryPolicy;
    use std::time::Duration;

    #[test]
    fn delays_double_get_jitter_and_respect_retry_after_and_the_cap() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(1, None, 0.0), Duration::from_millis(500));
        assert_eq!(policy.delay(2, None, 0.0), Duration::from_secs(1));
        assert_eq!(policy.delay(3, None, 0.0), Duration::from_secs(2));
        assert_eq!(policy.delay(1, None, 0.999), Duration::from_micros(749_750));
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(7)), 0.0),
            Duration::from_secs(7)
        );
        assert_eq!(
            policy.delay(1, Some(Duration::from_mins(10)), 0.0),
            Duration::from_secs(30)
        );
        assert_eq!(policy.delay(30, None, 0.0), Duration::from_secs(30));
    }
}
