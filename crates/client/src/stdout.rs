//! stdout, the one channel a command's results take: every write goes through [`write_all`],
//! which remembers the first one that failed, so that `main` ends any command whose results
//! did not all reach stdout with exit 1 ([`finish`]), whatever the command.
//!
//! A failed write is final: later writes are skipped (what follows would sit after a hole),
//! and report the same failure. A reader that went away (`mfactl man | head`, `EPIPE`) is the
//! reader's choice: [`finish`] does not count it, though [`write_all`] still reports it to a
//! caller for whom every byte matters (a new recovery code).

use std::io::{ErrorKind, Write};
use std::sync::Mutex;

/// Why stdout could not be written: the error's kind and its text (an `io::Error` cannot be
/// kept and cloned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StdoutFailure {
    pub kind: ErrorKind,
    pub message: String,
}

impl StdoutFailure {
    fn of(error: &std::io::Error) -> Self {
        StdoutFailure {
            kind: error.kind(),
            message: error.to_string(),
        }
    }

    /// The failure again, as an `io::Error`.
    pub fn to_io_error(&self) -> std::io::Error {
        std::io::Error::new(self.kind, self.message.clone())
    }

    /// Whether the reader closed the pipe (not an error of mfactl's).
    pub fn is_closed_pipe(&self) -> bool {
        self.kind == ErrorKind::BrokenPipe
    }
}

impl std::fmt::Display for StdoutFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The first failed write of this process, if any.
static FAILED: Mutex<Option<StdoutFailure>> = Mutex::new(None);

fn failed() -> Option<StdoutFailure> {
    FAILED.lock().ok().and_then(|f| f.clone())
}

fn remember(error: &std::io::Error) {
    if let Ok(mut slot) = FAILED.lock() {
        slot.get_or_insert_with(|| StdoutFailure::of(error));
    }
}

/// Writes `bytes` to stdout and flushes. Errors: the write's own error, or the earlier
/// failure when stdout already failed (nothing is written then).
pub fn write_all(bytes: &[u8]) -> std::io::Result<()> {
    if let Some(failure) = failed() {
        return Err(failure.to_io_error());
    }
    let mut out = std::io::stdout().lock();
    let written = out.write_all(bytes).and_then(|()| out.flush());
    if let Err(error) = &written {
        remember(error);
    }
    written
}

/// Flushes stdout and says whether the command's output was all written: `Err` with the first
/// failure, except a reader that closed the pipe. Called once, by `main`, after the command.
pub fn finish() -> Result<(), StdoutFailure> {
    if failed().is_none()
        && let Err(error) = std::io::stdout().lock().flush()
    {
        remember(&error);
    }
    match failed() {
        Some(failure) if !failure.is_closed_pipe() => Err(failure),
        _ => Ok(()),
    }
}

/// Whether stdout is `/dev/null`: redirected there, or closed when mfactl started (Rust's
/// runtime then opens `/dev/null` in its place, so writes "succeed" and are lost). Always false
/// where there is no `/dev/null`.
pub fn is_dev_null() -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::MetadataExt;
        let Ok(null) = std::fs::metadata("/dev/null") else {
            return false;
        };
        let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() else {
            return false;
        };
        let Ok(meta) = std::fs::File::from(fd).metadata() else {
            return false;
        };
        meta.dev() == null.dev() && meta.ino() == null.ino()
    }
    #[cfg(not(unix))]
    {
        false
    }
}
