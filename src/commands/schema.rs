//! `mfactl schema`.
use std::process::ExitCode;

pub fn run() -> ExitCode {
    ExitCode::FAILURE
}
