//! `mfactl completions SHELL`: a shell completion script, generated from the command line's
//! own definition by clap_complete.

use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::stdout;

/// The completion script for `shell`, for a binary called `mfactl`.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    // Writing to a Vec cannot fail, so the generator has no error to report.
    clap_complete::generate(shell, &mut command, "mfactl", &mut script);
    script
}

/// Exit 0; a failed write is reported by `main` ([`stdout::finish`]).
pub fn run(args: &CompletionsArgs) -> ExitCode {
    let _ = stdout::write_all(&script(args.shell));
    ExitCode::SUCCESS
}
