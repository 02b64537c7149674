//! `mfactl schema`: the JSON Schema of the config file, derived from the resource table.

use std::process::ExitCode;

pub use crate::config::schema::schema_json;

pub fn run() -> ExitCode {
    print!("{}", schema_json());
    ExitCode::SUCCESS
}
