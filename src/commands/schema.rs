//! `mfactl schema`: the JSON Schema of the config file, derived from the resource table.

use std::process::ExitCode;

pub use crate::config::schema::schema_json;

/// Exit 0; a failed write is reported by `main` ([`crate::stdout::finish`]).
pub fn run() -> ExitCode {
    let _ = crate::stdout::write_all(schema_json().as_bytes());
    ExitCode::SUCCESS
}
