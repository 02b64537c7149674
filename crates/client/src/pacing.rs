//! Pacing requests from the `x-ratelimit-*` headers so that a small bucket costs waiting time,
//! not 429s.
//!
//! [`PaceState`] is a pure model of the tenant's token bucket: capacity from
//! `x-ratelimit-limit`, tokens from `x-ratelimit-remaining`, and a refill rate estimated from
//! `x-ratelimit-reset` (about the epoch second by which the bucket is full again). Until the first
//! answer says whether there is a limit, only one request is in flight (the probe). [`Pacer`]
//! wraps it for concurrent async callers.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;
use tokio::sync::Notify;

/// The share of the estimated refill rate that the pacer uses, so that small clock and network
/// differences do not tip a request into a 429.
const SAFETY: f64 = 0.95;
/// How much a 429 lowers the rate estimate.
const PENALTY: f64 = 0.75;

/// The rate-limit headers of one answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimitHeaders {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds from now until `x-ratelimit-reset`, when given.
    pub reset_in: Option<f64>,
}

impl RateLimitHeaders {
    /// Reads the headers; `None` when `limit` or `remaining` is missing or unreadable.
    pub fn from_headers(headers: &HeaderMap, now: SystemTime) -> Option<Self> {
        let number = |name: &str| -> Option<u64> {
            headers.get(name)?.to_str().ok()?.trim().parse::<u64>().ok()
        };
        let limit = u32::try_from(number("x-ratelimit-limit")?).ok()?;
        let remaining = u32::try_from(number("x-ratelimit-remaining")?).unwrap_or(u32::MAX);
        let now_secs = now.duration_since(UNIX_EPOCH).ok()?.as_secs_f64();
        let reset_in = number("x-ratelimit-reset").map(|reset| reset as f64 - now_secs);
        Some(RateLimitHeaders {
            limit,
            remaining: remaining.min(limit),
            reset_in,
        })
    }
}

/// What a caller must do before sending.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PaceDecision {
    /// Send now (a token was taken).
    Go,
    /// Try again after this long.
    Wait(Duration),
    /// Wait until the request in flight answers: it will tell whether there is a limit.
    WaitForProbe,
}

/// How a paced request ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PaceOutcome {
    /// No answer (timeout, connection error).
    NoAnswer,
    /// An answer, with its rate-limit headers if any.
    Answered {
        headers: Option<RateLimitHeaders>,
        rate_limited: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Unknown,
    Unlimited,
    Limited,
}

/// The pure model of the server's bucket.
#[derive(Debug, Clone)]
pub struct PaceState {
    mode: Mode,
    limit: f64,
    tokens: f64,
    updated: Option<Instant>,
    in_flight: u32,
    rate_low: f64,
    rate_high: f64,
}

impl Default for PaceState {
    fn default() -> Self {
        PaceState {
            mode: Mode::Unknown,
            limit: 0.0,
            tokens: 0.0,
            updated: None,
            in_flight: 0,
            rate_low: 0.0,
            rate_high: f64::INFINITY,
        }
    }
}

impl PaceState {
    /// The estimated refill rate in requests per second, once a limit is known. Without better
    /// knowledge the bucket is assumed to refill its capacity once per second (Auth0's free
    /// tier: burst 2, 2 per second), bounded by what the reset times and 429s showed.
    pub fn rate(&self) -> Option<f64> {
        if self.mode != Mode::Limited {
            return None;
        }
        let high = self.rate_high.max(self.rate_low);
        Some(self.limit.max(self.rate_low).min(high).max(0.01))
    }

    fn refill(&mut self, now: Instant) {
        if let (Some(updated), Some(rate)) = (self.updated, self.rate()) {
            let elapsed = now.saturating_duration_since(updated).as_secs_f64();
            self.tokens = (self.tokens + elapsed * rate * SAFETY).min(self.limit);
        }
        self.updated = Some(now);
    }

    /// Decides whether a request may go now; `Go` counts it as in flight.
    pub fn acquire(&mut self, now: Instant) -> PaceDecision {
        match self.mode {
            Mode::Unlimited => {}
            Mode::Unknown => {
                if self.in_flight > 0 {
                    return PaceDecision::WaitForProbe;
                }
            }
            Mode::Limited => {
                self.refill(now);
                if self.tokens < 1.0 - 1e-6 {
                    let wait = match self.rate() {
                        Some(rate) => (1.0 - self.tokens) / (rate * SAFETY),
                        None => 1.0,
                    };
                    let wait = if wait.is_finite() {
                        wait.clamp(0.001, 60.0)
                    } else {
                        1.0
                    };
                    let wait = Duration::from_secs_f64(wait);
                    return PaceDecision::Wait(wait);
                }
                self.tokens -= 1.0;
            }
        }
        self.in_flight += 1;
        PaceDecision::Go
    }

    /// The bucket's size once an answer told it (`x-ratelimit-limit`); `Some(1)` until the
    /// first answer (only the probe may be in flight); `None` when there is no limit.
    pub fn bucket_size(&self) -> Option<usize> {
        match self.mode {
            Mode::Unknown => Some(1),
            Mode::Unlimited => None,
            Mode::Limited => Some(self.limit as usize),
        }
    }

    /// Records how a request that got `Go` ended.
    pub fn finish(&mut self, now: Instant, outcome: PaceOutcome) {
        self.in_flight = self.in_flight.saturating_sub(1);
        let PaceOutcome::Answered {
            headers,
            rate_limited,
        } = outcome
        else {
            return;
        };
        let Some(headers) = headers else {
            if self.mode == Mode::Unknown {
                self.mode = Mode::Unlimited;
            }
            return;
        };
        let was_limited = self.mode == Mode::Limited;
        let estimate_before = self.rate();
        self.refill(now);
        self.mode = Mode::Limited;
        self.limit = f64::from(headers.limit.max(1));
        let remaining = f64::from(headers.remaining);
        let others = f64::from(self.in_flight);
        if was_limited {
            // The server's count is exact but may or may not include the requests still in flight.
            self.tokens = self.tokens.max(remaining - others).min(remaining + 1.0);
        } else {
            self.tokens = remaining - others;
        }
        if let Some(reset_in) = headers.reset_in {
            self.learn_from_reset(f64::from(headers.limit) - remaining, reset_in);
        }
        if rate_limited {
            self.tokens = self.tokens.min(0.0) - others;
            if let (true, Some(estimate)) = (was_limited, estimate_before) {
                self.rate_high = estimate * PENALTY;
                self.rate_low = self.rate_low.min(self.rate_high);
            }
        }
        self.updated = Some(now);
    }

    /// The bucket lacks `used` tokens and `x-ratelimit-reset` is `reset_in` seconds away. Servers
    /// round that epoch second either way (Auth0: the second by which the bucket is full; the
    /// emulator: now's second plus the whole seconds to full), so the time to full is taken to
    /// lie within one second of it either side, which bounds the refill rate.
    fn learn_from_reset(&mut self, used: f64, reset_in: f64) {
        if used <= 0.0 {
            return;
        }
        let low = used / (reset_in.max(0.0) + 1.0);
        let high = if reset_in > 1.0 {
            used / (reset_in - 1.0)
        } else {
            f64::INFINITY
        };
        let new_low = self.rate_low.max(low);
        let new_high = self.rate_high.min(high);
        if new_low <= new_high {
            self.rate_low = new_low;
            self.rate_high = new_high;
        } else {
            // The answers disagree (other clients share the bucket): start over from this one.
            self.rate_low = low;
            self.rate_high = high;
        }
    }
}

/// Paces concurrent requests of one client.
#[derive(Debug, Default)]
pub struct Pacer {
    state: Mutex<PaceState>,
    answered: Notify,
}

impl Pacer {
    /// Waits until a request may go.
    pub async fn acquire(&self) {
        loop {
            let notified = self.answered.notified();
            let decision = match self.state.lock() {
                Ok(mut state) => state.acquire(Instant::now()),
                Err(_) => return,
            };
            match decision {
                PaceDecision::Go => return,
                PaceDecision::Wait(wait) => tokio::time::sleep(wait).await,
                PaceDecision::WaitForProbe => {
                    let _ = tokio::time::timeout(Duration::from_secs(5), notified).await;
                }
            }
        }
    }

    /// See [`PaceState::bucket_size`].
    pub fn bucket_size(&self) -> Option<usize> {
        self.state.lock().ok().and_then(|s| s.bucket_size())
    }

    /// Records how a request ended and wakes the waiters.
    pub fn finish(&self, outcome: PaceOutcome) {
        if let Ok(mut state) = self.state.lock() {
            state.finish(Instant::now(), outcome);
        }
        self.answered.notify_waiters();
    }

    /// A guard for one request: [`PaceGuard::acquire`] waits for its turn, and a request that
    /// got its turn but is dropped before [`PaceGuard::finish`] (its deadline passed) counts as
    /// [`PaceOutcome::NoAnswer`], so the requests behind it do not wait for an answer that will
    /// never come.
    pub fn guard(&self) -> PaceGuard<'_> {
        PaceGuard {
            pacer: self,
            in_flight: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

/// One request's place in the [`Pacer`]; see [`Pacer::guard`].
#[derive(Debug)]
pub struct PaceGuard<'a> {
    pacer: &'a Pacer,
    in_flight: std::sync::atomic::AtomicBool,
}

impl PaceGuard<'_> {
    /// Waits until the request may go.
    pub async fn acquire(&self) {
        self.pacer.acquire().await;
        self.in_flight
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Records how the request ended.
    pub fn finish(self, outcome: PaceOutcome) {
        if self
            .in_flight
            .swap(false, std::sync::atomic::Ordering::SeqCst)
        {
            self.pacer.finish(outcome);
        }
    }
}

impl Drop for PaceGuard<'_> {
    fn drop(&mut self) {
        if self
            .in_flight
            .swap(false, std::sync::atomic::Ordering::SeqCst)
        {
            self.pacer.finish(PaceOutcome::NoAnswer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(limit: u32, remaining: u32, reset_in: f64) -> PaceOutcome {
        PaceOutcome::Answered {
            headers: Some(RateLimitHeaders {
                limit,
                remaining,
                reset_in: Some(reset_in),
            }),
            rate_limited: false,
        }
    }

    #[test]
    fn one_probe_until_the_first_answer() {
        let t0 = Instant::now();
        let mut s = PaceState::default();
        assert_eq!(s.acquire(t0), PaceDecision::Go);
        assert_eq!(s.acquire(t0), PaceDecision::WaitForProbe);
        s.finish(
            t0,
            PaceOutcome::Answered {
                headers: None,
                rate_limited: false,
            },
        );
        for _ in 0..10 {
            assert_eq!(s.acquire(t0), PaceDecision::Go);
        }
    }

    #[test]
    fn failed_probe_lets_the_next_request_probe() {
        let t0 = Instant::now();
        let mut s = PaceState::default();
        assert_eq!(s.acquire(t0), PaceDecision::Go);
        s.finish(t0, PaceOutcome::NoAnswer);
        assert_eq!(s.acquire(t0), PaceDecision::Go);
    }

    #[test]
    fn small_bucket_spaces_requests_by_the_refill_rate() {
        let t0 = Instant::now();
        let mut s = PaceState::default();
        assert_eq!(s.acquire(t0), PaceDecision::Go);
        s.finish(t0, answered(2, 1, 0.7));
        assert_eq!(s.acquire(t0), PaceDecision::Go);
        let PaceDecision::Wait(wait) = s.acquire(t0) else {
            panic!("expected a wait")
        };
        // One token at 2 per second (with the safety margin): a little over half a second.
        assert!(
            wait > Duration::from_millis(500) && wait < Duration::from_millis(560),
            "{wait:?}"
        );
        let later = t0 + wait;
        assert_eq!(s.acquire(later), PaceDecision::Go);
    }

    #[test]
    fn sends_at_most_the_rate_over_time() {
        // Simulate 21 requests against a 2/2 bucket with instant answers.
        let t0 = Instant::now();
        let mut s = PaceState::default();
        let mut now = t0;
        let mut sent = 0;
        while sent < 21 {
            match s.acquire(now) {
                PaceDecision::Go => {
                    sent += 1;
                    s.finish(now, answered(2, 0, 1.0));
                }
                PaceDecision::Wait(wait) => now += wait,
                PaceDecision::WaitForProbe => panic!("no probe is in flight"),
            }
        }
        let elapsed = now.duration_since(t0).as_secs_f64();
        // Floor: (21 - 2) / 2 = 9.5 s; the pacer may be at most the safety margin slower.
        assert!((9.4..=9.5 / SAFETY + 0.6).contains(&elapsed), "{elapsed}");
    }

    #[test]
    fn a_429_empties_the_bucket_and_lowers_the_rate() {
        let t0 = Instant::now();
        let mut s = PaceState::default();
        assert_eq!(s.acquire(t0), PaceDecision::Go);
        s.finish(t0, answered(10, 9, 0.5));
        let before = s.rate().unwrap();
        assert_eq!(s.acquire(t0), PaceDecision::Go);
        s.finish(
            t0,
            PaceOutcome::Answered {
                headers: Some(RateLimitHeaders {
                    limit: 10,
                    remaining: 0,
                    reset_in: None,
                }),
                rate_limited: true,
            },
        );
        assert!(s.rate().unwrap() < before);
        assert!(matches!(s.acquire(t0), PaceDecision::Wait(_)));
    }

    #[tokio::test]
    async fn a_dropped_request_releases_the_probe() {
        let pacer = Pacer::default();
        let first = pacer.guard();
        first.acquire().await;
        // The probe is in flight: another request would wait for its answer.
        assert_eq!(
            pacer.state.lock().unwrap().acquire(Instant::now()),
            PaceDecision::WaitForProbe
        );
        drop(first);
        let second = pacer.guard();
        tokio::time::timeout(Duration::from_millis(100), second.acquire())
            .await
            .expect("the next request may go at once");
        second.finish(PaceOutcome::NoAnswer);
    }

    #[test]
    fn reads_the_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-limit", "2".parse().unwrap());
        headers.insert("x-ratelimit-remaining", "1".parse().unwrap());
        headers.insert("x-ratelimit-reset", "1000001".parse().unwrap());
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(
            RateLimitHeaders::from_headers(&headers, now),
            Some(RateLimitHeaders {
                limit: 2,
                remaining: 1,
                reset_in: Some(1.0)
            })
        );
        assert_eq!(RateLimitHeaders::from_headers(&HeaderMap::new(), now), None);
    }
}
