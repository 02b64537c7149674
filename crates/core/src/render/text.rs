//! Plain-text forms of plan values shared by the human and Markdown printers.

use serde_json::Value;

use crate::model::Address;
use crate::plan::{FieldChange, FieldKind, Unverifiable};
use crate::resource::ActionRule;
use crate::secret::REDACTED;

/// A value as people read it: strings quoted, lists bracketed, unset as `(none)`.
pub(crate) fn show(value: &Value) -> String {
    match value {
        Value::Null => "(none)".to_string(),
        Value::String(text) if text == REDACTED => REDACTED.to_string(),
        Value::Array(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|item| match item {
                    Value::String(text) => crate::render::printable::printable(text).into_owned(),
                    other => show(other),
                })
                .collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

/// A whole-value field of `address` (a switch such as a factor shows as enabled/disabled).
pub(crate) fn show_for(address: &Address, value: &Value) -> String {
    match (address.spec().action, value) {
        (ActionRule::Switch, Value::Bool(true)) => "enabled".to_string(),
        (ActionRule::Switch, Value::Bool(false)) => "disabled".to_string(),
        _ => show(value),
    }
}

/// `before → after` for a non-secret field (just the value when the resource or value is new);
/// `(sensitive value)` forms for secrets.
pub(crate) fn transition(address: &Address, field: &FieldChange, created: bool) -> String {
    match field.kind {
        FieldKind::WriteOnly => format!("{REDACTED} (write-only, not compared)"),
        FieldKind::Sensitive => match (&field.before, &field.after) {
            (Value::Null, _) => REDACTED.to_string(),
            (_, Value::Null) => format!("{REDACTED} → (none)"),
            _ => format!("{REDACTED} (changed)"),
        },
        FieldKind::Plain | FieldKind::Template => {
            let after = show_for(address, &field.after);
            match &field.before {
                Value::Null if created || field.field.is_empty() => after,
                before => format!("{} → {after}", show_for(address, before)),
            }
        }
    }
}

/// The notes on values a plan could not compare, in two groups under their headings: write-only
/// values, then values read back masked. Groups without a note are left out.
pub(crate) fn not_compared(plan: &crate::plan::Plan) -> Vec<(&'static str, Vec<(String, String)>)> {
    [
        ("Write-only values (not compared)", false),
        ("Read back masked (compared by the mask only)", true),
    ]
    .into_iter()
    .map(|(heading, masked)| {
        let notes = plan
            .unverifiable
            .iter()
            .filter(|u| u.masked == masked)
            .map(|u| (u.address.to_string(), unverifiable_note(u)))
            .collect();
        (heading, notes)
    })
    .filter(|(_, notes): &(_, Vec<(String, String)>)| !notes.is_empty())
    .collect()
}

/// The sentence about one resource's write-only values, or an item's masked ones (after its
/// address).
pub(crate) fn unverifiable_note(item: &Unverifiable) -> String {
    let fields = item.fields.join(", ");
    if item.masked {
        return format!(
            "{fields} is read back masked, so only the mask was compared; another value that masks alike reads the same (to change it to one, delete the method and plan again)"
        );
    }
    if item.address.item_identity().is_some() && !item.sent {
        // An item's write-only value goes only with its creation.
        return format!(
            "{fields} cannot be read back, so it is not compared; it was sent when the method was created (to change it, delete the method and plan again)"
        );
    }
    if item.sent {
        format!("{fields} cannot be read back, so it is not compared; it is sent with this write")
    } else {
        format!(
            "{fields} cannot be read back, so it is not compared; not sent (use --resend-write-only to send it)"
        )
    }
}
