//! Reproducible fault injection: `--fault-rate F --seed N`.
//!
//! Each Management API request (in arrival order) draws from a seeded generator; a draw below
//! the fault rate turns the request into one of four faults. The same seed and the same request
//! sequence give the same faults. `/oauth/token` and `/__emulator/*` never draw.

/// What a faulted request gets instead of its real answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 500 Internal Server Error.
    InternalError,
    /// 503 Service Unavailable.
    Unavailable,
    /// 429 Too Many Requests (as if the rate limit was hit).
    TooManyRequests,
    /// The connection is closed without an answer.
    DropConnection,
}

/// SplitMix64: small, fast, and fully determined by its seed.
#[derive(Debug, Clone)]
pub struct FaultInjector {
    rate: f64,
    state: u64,
}

impl FaultInjector {
    /// An injector that faults a `rate` fraction (0..=1) of requests.
    pub fn new(rate: f64, seed: u64) -> Self {
        FaultInjector {
            rate: if rate.is_finite() {
                rate.clamp(0.0, 1.0)
            } else {
                0.0
            },
            state: seed,
        }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Draws for the next request: `Some(fault)` or `None` (answer normally).
    pub fn draw(&mut self) -> Option<Fault> {
        if self.rate <= 0.0 {
            return None;
        }
        let roll = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let kind = self.next_u64() % 4;
        if roll >= self.rate {
            return None;
        }
        Some(match kind {
            0 => Fault::InternalError,
            1 => Fault::Unavailable,
            2 => Fault::TooManyRequests,
            _ => Fault::DropConnection,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_faults() {
        let mut a = FaultInjector::new(0.5, 7);
        let mut b = FaultInjector::new(0.5, 7);
        let first: Vec<_> = (0..200).map(|_| a.draw()).collect();
        let second: Vec<_> = (0..200).map(|_| b.draw()).collect();
        assert_eq!(first, second);
        let faults = first.iter().filter(|f| f.is_some()).count();
        assert!((60..140).contains(&faults), "{faults}");
        for kind in [
            Fault::InternalError,
            Fault::Unavailable,
            Fault::TooManyRequests,
            Fault::DropConnection,
        ] {
            assert!(first.contains(&Some(kind)));
        }
    }

    #[test]
    fn zero_rate_never_faults_and_full_rate_always_does() {
        let mut none = FaultInjector::new(0.0, 1);
        assert!((0..100).all(|_| none.draw().is_none()));
        let mut all = FaultInjector::new(1.0, 1);
        assert!((0..100).all(|_| all.draw().is_some()));
    }
}
