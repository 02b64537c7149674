//! Where tenants differ, as one JSON document for scripts.
//!
//! ```json
//! {
//!   "format_version": "1",
//!   "tool_version": "0.2.0",
//!   "tenants": [ { "name": "dev", "domain": "acme-dev.eu.auth0.com" }, … ],
//!   "summary": { "settings": 40, "differ": 2 },
//!   "differences": [
//!     { "setting": "factors.email", "sensitive": false, "values": { "dev": false, "prod": true } },
//!     { "setting": "duo.skey", "sensitive": true,
//!       "values": { "dev": { "sensitive_value": 1 }, "prod": { "sensitive_value": 2 } } }
//!   ],
//!   "not_compared": [ "push.sns.aws_secret_access_key" ]
//! }
//! ```
//!
//! A value is the setting's value in the config file's shape, `null` when not set,
//! `{"sensitive_value": n}` for a secret (the same `n` means the same value; the value itself is
//! never shown), or `{"unavailable": "<errorCode>"}` when the tenant cannot use the resource.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use crate::fleet::compare::{Cell, Comparison, Setting};

/// The version of this document's format.
pub const FORMAT_VERSION: &str = "1";

fn cell_value(cell: &Cell) -> Value {
    match cell {
        Cell::Unset => Value::Null,
        Cell::Value(value) => value.clone(),
        Cell::Secret(group) => json!({ "sensitive_value": group }),
        Cell::Unavailable(code) => json!({ "unavailable": code }),
    }
}

fn setting_value(comparison: &Comparison, setting: &Setting) -> Value {
    let values: Map<String, Value> = comparison
        .tenants
        .iter()
        .zip(&setting.cells)
        .map(|((name, _), cell)| (name.clone(), cell_value(cell)))
        .collect();
    json!({ "setting": setting.name, "sensitive": setting.secret, "values": values })
}

/// The document as a JSON value.
pub fn to_value(comparison: &Comparison) -> Value {
    let tenants: Vec<Value> = comparison
        .tenants
        .iter()
        .map(|(name, domain)| json!({ "name": name, "domain": domain }))
        .collect();
    let differences: Vec<Value> = comparison
        .differences()
        .map(|s| setting_value(comparison, s))
        .collect();
    json!({
        "format_version": FORMAT_VERSION,
        "tool_version": env!("CARGO_PKG_VERSION"),
        "tenants": tenants,
        "summary": { "settings": comparison.settings.len(), "differ": differences.len() },
        "differences": differences,
        "not_compared": comparison.not_compared,
    })
}

/// Writes the document as pretty JSON followed by a newline.
pub fn render(comparison: &Comparison, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_value(comparison))?;
    writeln!(out)
}
