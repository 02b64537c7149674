//! A local, in-memory Auth0 tenant that answers like the Management API.

use std::process::ExitCode;

use clap::Args;

/// `mfactl emulator` options.
#[derive(Debug, Clone, Args)]
pub struct EmulatorArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
}

/// Runs `mfactl emulator`.
pub fn run_command(_args: EmulatorArgs) -> ExitCode {
    eprintln!("mfactl emulator is not built yet");
    ExitCode::FAILURE
}
