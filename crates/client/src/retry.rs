//! When to try a request again, and how long to wait first. Pure: the caller passes the clock
//! and the random jitter.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long waits between attempts may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The first backoff step when the server gives no hint.
    pub base_delay: Duration,
    /// No single wait is longer than this.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(10),
        }
    }
}

/// What the server said about when to come back.
#[derive(Debug, Clone, Copy, Default)]
pub struct ServerHints<'a> {
    /// The `Retry-After` header: seconds or an HTTP date.
    pub retry_after: Option<&'a str>,
    /// The `x-ratelimit-reset` header: epoch seconds.
    pub ratelimit_reset: Option<&'a str>,
}

/// The wait before attempt `attempt + 1`, after `attempt` (1-based) attempts failed.
///
/// `Retry-After` wins, then `x-ratelimit-reset`, then exponential backoff from `base_delay`
/// (doubling per attempt) with jitter: `jitter` in `[0, 1)` picks a wait between half and all
/// of the backoff step. Every wait is capped at `max_delay`.
pub fn retry_delay(
    policy: &RetryPolicy,
    attempt: u32,
    hints: ServerHints<'_>,
    now: SystemTime,
    jitter: f64,
) -> Duration {
    let hinted = hints
        .retry_after
        .and_then(|value| parse_retry_after(value, now))
        .or_else(|| {
            hints
                .ratelimit_reset
                .and_then(|value| parse_ratelimit_reset(value, now))
        });
    let wait = match hinted {
        Some(wait) => wait,
        None => {
            let exponent = attempt.saturating_sub(1).min(20);
            let step = policy
                .base_delay
                .saturating_mul(1u32 << exponent)
                .min(policy.max_delay);
            let fraction = 0.5 + 0.5 * jitter.clamp(0.0, 1.0);
            step.mul_f64(fraction)
        }
    };
    wait.min(policy.max_delay)
}

/// Parses `Retry-After`: a number of seconds or an HTTP date (a date in the past means now).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        return Duration::try_from_secs_f64(seconds).ok();
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Parses `x-ratelimit-reset` (epoch seconds) into the time left until then.
pub fn parse_ratelimit_reset(value: &str, now: SystemTime) -> Option<Duration> {
    let epoch = value.trim().parse::<u64>().ok()?;
    let at = UNIX_EPOCH.checked_add(Duration::from_secs(epoch))?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    const POLICY: RetryPolicy = RetryPolicy {
        base_delay: Duration::from_millis(100),
        max_delay: Duration::from_secs(5),
    };

    #[test]
    fn retry_after_seconds_wins_over_everything() {
        let hints = ServerHints {
            retry_after: Some("3"),
            ratelimit_reset: Some("1000001"),
        };
        assert_eq!(
            retry_delay(&POLICY, 1, hints, at(1_000_000), 0.5),
            Duration::from_secs(3)
        );
    }

    #[test]
    fn retry_after_http_date() {
        let now = at(1_700_000_000);
        let later = httpdate::fmt_http_date(now + Duration::from_secs(2));
        let hints = ServerHints {
            retry_after: Some(&later),
            ratelimit_reset: None,
        };
        assert_eq!(
            retry_delay(&POLICY, 1, hints, now, 0.0),
            Duration::from_secs(2)
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        let hints = ServerHints {
            retry_after: Some(&earlier),
            ratelimit_reset: None,
        };
        assert_eq!(retry_delay(&POLICY, 1, hints, now, 0.0), Duration::ZERO);
    }

    #[test]
    fn ratelimit_reset_when_no_retry_after() {
        let hints = ServerHints {
            retry_after: None,
            ratelimit_reset: Some("1000002"),
        };
        assert_eq!(
            retry_delay(&POLICY, 3, hints, at(1_000_000), 0.9),
            Duration::from_secs(2)
        );
        // A reset in the past means: go now.
        let hints = ServerHints {
            retry_after: None,
            ratelimit_reset: Some("999999"),
        };
        assert_eq!(
            retry_delay(&POLICY, 3, hints, at(1_000_000), 0.9),
            Duration::ZERO
        );
    }

    #[test]
    fn unparsable_hints_fall_back_to_backoff() {
        let hints = ServerHints {
            retry_after: Some("soon"),
            ratelimit_reset: Some("later"),
        };
        assert_eq!(
            retry_delay(&POLICY, 1, hints, at(0), 0.0),
            Duration::from_millis(50)
        );
    }

    #[test]
    fn backoff_doubles_with_jitter_between_half_and_whole() {
        let none = ServerHints::default();
        assert_eq!(
            retry_delay(&POLICY, 1, none, at(0), 0.0),
            Duration::from_millis(50)
        );
        assert_eq!(
            retry_delay(&POLICY, 2, none, at(0), 0.0),
            Duration::from_millis(100)
        );
        assert_eq!(
            retry_delay(&POLICY, 3, none, at(0), 0.0),
            Duration::from_millis(200)
        );
        let high = retry_delay(&POLICY, 3, none, at(0), 0.999);
        assert!(high > Duration::from_millis(390) && high <= Duration::from_millis(400));
    }

    #[test]
    fn odd_retry_after_values() {
        assert_eq!(
            parse_retry_after("1.5", at(0)),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(parse_retry_after("-1", at(0)), None);
        assert_eq!(parse_retry_after("1e300", at(0)), None);
        assert_eq!(parse_retry_after("NaN", at(0)), None);
    }

    #[test]
    fn every_wait_is_capped() {
        let none = ServerHints::default();
        let long = retry_delay(&POLICY, 30, none, at(0), 0.999);
        assert!(long > Duration::from_millis(4900) && long <= Duration::from_secs(5));
        let hints = ServerHints {
            retry_after: Some("3600"),
            ratelimit_reset: None,
        };
        assert_eq!(
            retry_delay(&POLICY, 1, hints, at(0), 0.0),
            Duration::from_secs(5)
        );
    }
}
