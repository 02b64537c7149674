//! Progress of an import on stderr: a bar with rows per second and the time left when stderr
//! is a terminal (indicatif), a plain line every few seconds otherwise (CI logs). Both show
//! counts only, never a row's value.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::scrub;

/// What the rows came to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub done: u64,
    pub present: u64,
    pub failed: u64,
    /// Done or present in an earlier run (the journal says): not sent again.
    pub skipped: u64,
}

impl Counts {
    pub fn total(&self) -> u64 {
        self.done + self.present + self.failed + self.skipped
    }

    /// `990 done, 10 already present, 0 failed, 0 skipped`.
    pub fn line(&self) -> String {
        format!(
            "{} done, {} already present, {} failed, {} skipped",
            self.done, self.present, self.failed, self.skipped
        )
    }
}

/// The progress display of one import.
pub struct Progress {
    total: u64,
    started: Instant,
    bar: Option<ProgressBar>,
    every: Duration,
    state: Mutex<(Counts, Instant)>,
}

impl Progress {
    /// A bar when stderr is a terminal, plain lines every `every` otherwise.
    pub fn new(total: u64, every: Duration) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{bar:30} {pos}/{len} rows  {per_sec:.0}  ETA {eta}  {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        let now = Instant::now();
        Progress {
            total,
            started: now,
            bar,
            every,
            state: Mutex::new((Counts::default(), now)),
        }
    }

    /// Counts one row's end.
    pub fn add(&self, change: impl FnOnce(&mut Counts)) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        change(&mut state.0);
        let counts = state.0;
        match &self.bar {
            Some(bar) => {
                bar.set_position(counts.total());
                bar.set_message(counts.line());
            }
            None if state.1.elapsed() >= self.every => {
                state.1 = Instant::now();
                scrub::eprint(&format!("{}\n", self.line(counts)));
            }
            None => {}
        }
    }

    /// `progress: 412/1000 rows (41%), 49.8 rows/s, ETA 12 s; 400 done, …`. The rate counts
    /// the rows this run sent (rows skipped from an earlier run are not work).
    fn line(&self, counts: Counts) -> String {
        let handled = counts.total();
        let percent = (handled * 100).checked_div(self.total).unwrap_or(100);
        let elapsed = self.started.elapsed().as_secs_f64().max(0.001);
        let worked = handled - counts.skipped;
        let rate = worked as f64 / elapsed;
        let left = self.total.saturating_sub(handled) as f64;
        let eta = if rate > 0.0 {
            format!("{:.0} s", (left / rate).ceil())
        } else {
            "unknown".to_owned()
        };
        format!(
            "progress: {handled}/{} rows ({percent}%), {rate:.1} rows/s, ETA {eta}; {}",
            self.total,
            counts.line()
        )
    }

    /// The counts so far.
    pub fn counts(&self) -> Counts {
        self.state.lock().map(|s| s.0).unwrap_or_default()
    }

    /// Removes the bar (the summary follows).
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
