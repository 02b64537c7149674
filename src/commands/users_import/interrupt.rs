//! Ctrl-C and SIGTERM during an import: the first one stops new rows from starting, lets the
//! rows in flight end (each is bounded by the request deadline) and has their outcomes
//! recorded, so the run ends with its usual summary and says how to resume; a second one ends
//! the process at once (the journal is still consistent: a row it left `sending` is checked
//! before it is sent again).

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::scrub;

/// A signal that ended an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Int,
    Term,
}

impl Signal {
    /// `SIGINT`, `SIGTERM`.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Int => "SIGINT",
            Signal::Term => "SIGTERM",
        }
    }

    /// The shell's exit status for a process its signal ended: 128 + the signal's number.
    pub fn exit_code(self) -> u8 {
        match self {
            Signal::Int => 130,
            Signal::Term => 143,
        }
    }

    fn code(self) -> u8 {
        match self {
            Signal::Int => 1,
            Signal::Term => 2,
        }
    }

    fn from_code(code: u8) -> Option<Self> {
        match code {
            1 => Some(Signal::Int),
            2 => Some(Signal::Term),
            _ => None,
        }
    }
}

/// Whether (and by which signal) the import was asked to stop.
#[derive(Debug, Clone, Default)]
pub struct Interrupt(Arc<AtomicU8>);

impl Interrupt {
    /// The signal received, if any.
    pub fn received(&self) -> Option<Signal> {
        Signal::from_code(self.0.load(Ordering::SeqCst))
    }

    /// Starts listening for SIGINT and SIGTERM (Ctrl-C elsewhere) on the current runtime. From
    /// now on they no longer end the process at once, until a second one.
    pub fn listen(&self) {
        let flag = self.0.clone();
        tokio::spawn(async move {
            let Some(first) = next_signal().await else {
                return;
            };
            flag.store(first.code(), Ordering::SeqCst);
            scrub::eprint(&format!(
                "{}: starting no more rows; waiting for the rows in flight to end (send it again to stop at once).\n",
                first.name()
            ));
            if let Some(second) = next_signal().await {
                scrub::eprint(&format!(
                    "{}: stopped at once. Run the same command again to resume: rows left in flight are checked before they are sent again.\n",
                    second.name()
                ));
                std::process::exit(i32::from(second.exit_code()));
            }
        });
    }
}

#[cfg(unix)]
async fn next_signal() -> Option<Signal> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt()).ok()?;
    let mut terminate = signal(SignalKind::terminate()).ok()?;
    tokio::select! {
        _ = interrupt.recv() => Some(Signal::Int),
        _ = terminate.recv() => Some(Signal::Term),
    }
}

#[cfg(not(unix))]
async fn next_signal() -> Option<Signal> {
    tokio::signal::ctrl_c().await.ok().map(|()| Signal::Int)
}
