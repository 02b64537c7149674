//! Writing a command's whole result to stdout.

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

/// Writes `bytes` to stdout and flushes. Exit 0 when written, or when the reader went away
/// (`mfactl man | head`: a closed pipe is the reader's choice, not an error); 1 with a message
/// on stderr for any other failure.
pub fn write_all(bytes: &[u8]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            ExitCode::FAILURE
        }
    }
}
