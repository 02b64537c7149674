//! `mfactl schema`: the JSON Schema of the config file, derived from the resource table.

use std::process::ExitCode;

pub use crate::config::schema::schema_json;

pub fn run() -> ExitCode {
    crate::commands::stdout::write_all(schema_json().as_bytes())
}
