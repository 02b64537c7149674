//! `mfactl validate`.
use std::process::ExitCode;

use crate::cli::ValidateArgs;

pub fn run(_args: &ValidateArgs) -> ExitCode {
    ExitCode::FAILURE
}
