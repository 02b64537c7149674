//! `mfactl schema`: the JSON Schema of the config file.

use std::process::ExitCode;

use crate::config::raw::RawConfig;

/// The schema as pretty JSON with a trailing newline, exactly as committed under `schema/`.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(RawConfig);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

pub fn run() -> ExitCode {
    crate::commands::stdout::write_all(schema_json().as_bytes())
}
