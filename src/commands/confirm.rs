//! Asking the person at the terminal before a write: only `yes` goes on.

use std::io::{BufRead, IsTerminal, Write};

use crate::error::CommandError;
use crate::scrub;

/// Asks `question` on stderr and reads the answer from a terminal: `yes` goes on, anything else
/// is refused with `cancelled`. Without a terminal, refuses with `no_terminal` at once.
pub fn ask_yes(question: &str, no_terminal: String, cancelled: &str) -> Result<(), CommandError> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(CommandError::Refused(no_terminal));
    }
    scrub::eprint(question);
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CommandError::Other(format!("cannot read the answer: {e}")))?;
    if answer.trim() == "yes" {
        Ok(())
    } else {
        Err(CommandError::Refused(cancelled.into()))
    }
}
