//! The global token bucket behind `x-ratelimit-*` headers and 429 answers.

use std::str::FromStr;
use std::time::Instant;

/// `--rate-limit BURST/PER_SECOND`: bucket size and refill rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// How many requests may arrive at once.
    pub burst: u32,
    /// How many tokens come back per second.
    pub per_second: f64,
}

impl FromStr for RateLimit {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (burst, rate) = text
            .split_once('/')
            .ok_or_else(|| format!("expected BURST/PER_SECOND (e.g. 2/2), got {text:?}"))?;
        let burst: u32 = burst
            .trim()
            .parse()
            .map_err(|_| format!("burst must be a whole number, got {burst:?}"))?;
        let per_second: f64 = rate
            .trim()
            .parse()
            .map_err(|_| format!("rate must be a number, got {rate:?}"))?;
        if burst == 0 || !(per_second > 0.0 && per_second.is_finite()) {
            return Err("burst and rate must both be above zero".to_owned());
        }
        Ok(RateLimit { burst, per_second })
    }
}

/// What the bucket said about one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitHeaders {
    /// `x-ratelimit-limit`: the bucket size.
    pub limit: u32,
    /// `x-ratelimit-remaining`: whole tokens left after this request.
    pub remaining: u32,
    /// `x-ratelimit-reset`: epoch seconds when the bucket is full again.
    pub reset: u64,
}

/// A token bucket. Without `enforce`, it still counts (for the headers) but never refuses.
#[derive(Debug)]
pub struct TokenBucket {
    limit: RateLimit,
    enforce: bool,
    tokens: f64,
    last: Instant,
}

/// The bucket used when no `--rate-limit` is given: large and never refusing.
pub const UNLIMITED: RateLimit = RateLimit {
    burst: 1000,
    per_second: 1000.0,
};

impl TokenBucket {
    /// A full bucket; `limit: None` = count with [`UNLIMITED`] but never refuse.
    pub fn new(limit: Option<RateLimit>) -> Self {
        let (limit, enforce) = match limit {
            Some(limit) => (limit, true),
            None => (UNLIMITED, false),
        };
        TokenBucket {
            limit,
            enforce,
            tokens: f64::from(limit.burst),
            last: Instant::now(),
        }
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens =
            (self.tokens + elapsed * self.limit.per_second).min(f64::from(self.limit.burst));
        self.last = now;
    }

    /// Takes one token. `Err` carries the headers of a refused (429) request.
    pub fn take(
        &mut self,
        now: Instant,
        now_epoch: u64,
    ) -> Result<RateLimitHeaders, RateLimitHeaders> {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(self.headers(now_epoch))
        } else if !self.enforce {
            self.tokens = 0.0;
            Ok(self.headers(now_epoch))
        } else {
            Err(self.headers(now_epoch))
        }
    }

    /// The headers for a request that does not count against the bucket.
    pub fn peek(&mut self, now: Instant, now_epoch: u64) -> RateLimitHeaders {
        self.refill(now);
        self.headers(now_epoch)
    }

    fn headers(&self, now_epoch: u64) -> RateLimitHeaders {
        let missing = f64::from(self.limit.burst) - self.tokens;
        let seconds_to_full = (missing / self.limit.per_second).ceil().max(0.0) as u64;
        RateLimitHeaders {
            limit: self.limit.burst,
            remaining: self.tokens.floor().max(0.0) as u32,
            reset: now_epoch + seconds_to_full,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn parses_burst_and_rate() {
        assert_eq!(
            "2/2".parse::<RateLimit>().unwrap(),
            RateLimit {
                burst: 2,
                per_second: 2.0
            }
        );
        assert!("2".parse::<RateLimit>().is_err());
        assert!("0/2".parse::<RateLimit>().is_err());
        assert!("2/x".parse::<RateLimit>().is_err());
    }

    #[test]
    fn refuses_beyond_the_burst_and_refills_over_time() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(Some(RateLimit {
            burst: 2,
            per_second: 2.0,
        }));
        let first = bucket.take(start, 100).unwrap();
        assert_eq!((first.limit, first.remaining, first.reset), (2, 1, 101));
        assert_eq!(bucket.take(start, 100).unwrap().remaining, 0);
        let refused = bucket.take(start, 100).unwrap_err();
        assert_eq!((refused.remaining, refused.reset), (0, 101));
        let later = start + Duration::from_millis(600);
        assert_eq!(bucket.take(later, 100).unwrap().remaining, 0);
    }

    #[test]
    fn unlimited_bucket_never_refuses() {
        let now = Instant::now();
        let mut bucket = TokenBucket::new(None);
        for _ in 0..1500 {
            assert!(bucket.take(now, 0).is_ok());
        }
    }
}
