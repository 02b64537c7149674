//! The plan as JSON for machines (format documented in `docs/plan-json-format.md`).

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::plan::record::ChangeRecord;
use crate::plan::{Change, Plan, Warning};

/// The version of the JSON plan format.
pub const FORMAT_VERSION: &str = "1";

/// The plan as a JSON value. Every secret is already redacted in a plan.
pub fn to_value(plan: &Plan) -> Value {
    let changes: Vec<Value> = plan.changes.iter().map(change_value).collect();
    let unverifiable: Vec<Value> = plan
        .unverifiable
        .iter()
        .map(|u| {
            json!({
                "address": u.address.to_string(),
                "fields": u.fields,
                "sent": u.sent,
                "masked": u.masked,
            })
        })
        .collect();
    json!({
        "format_version": FORMAT_VERSION,
        "tool_version": env!("CARGO_PKG_VERSION"),
        "tenant": plan.tenant,
        "summary": {
            "changes": plan.changes.len(),
            "dangerous": plan.dangerous_count(),
        },
        "changes": changes,
        "unverifiable": unverifiable,
        "warnings": plan.warnings.iter().map(Warning::one_line).collect::<Vec<_>>(),
        "warning_details": plan.warnings.iter().map(warning_value).collect::<Vec<_>>(),
    })
}

/// One entry of `warning_details`: the same warning as `warnings` at the same index, in parts.
fn warning_value(warning: &Warning) -> Value {
    let position = warning.position.as_ref();
    json!({
        "source": warning.source.as_str(),
        "file": position.map(|p| p.file.as_str()),
        "line": position.and_then(|p| p.line),
        "column": position.and_then(|p| p.column),
        "message": warning.message,
        "help": warning.help,
    })
}

fn change_value(change: &Change) -> Value {
    serde_json::to_value(ChangeRecord::of(change)).unwrap_or(Value::Null)
}

/// Writes the plan as pretty JSON followed by a newline.
pub fn render(plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_value(plan))?;
    writeln!(out)
}
