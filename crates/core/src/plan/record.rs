//! One change as machines read it: the object of the JSON plan's `changes` list, which saved
//! plans store as they are. Both come from [`ChangeRecord::of`], so the two cannot drift.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::plan::Change;

/// A change without secrets: every value already redacted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeRecord {
    pub address: String,
    /// `create`, `enable`, `update`, `disable` or `delete`.
    pub action: String,
    /// The stage's machine name (`configure-providers` …) and its number, 1 to 7.
    pub stage: String,
    pub stage_number: u8,
    /// The live resource in the config file's shape; `null` when not read.
    pub before: Option<Value>,
    pub after: Value,
    /// Config keys of the fields that differ (empty for a single-value resource).
    pub changed_fields: Vec<String>,
    pub sensitive_fields: Vec<String>,
    pub write_only_fields: Vec<String>,
    pub dangerous: bool,
    pub dangerous_reason: Option<String>,
    pub request: RequestRecord,
}

/// The request apply sends, body redacted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestRecord {
    pub method: String,
    /// The full path, `/api/v2/…`.
    pub path: String,
    pub body: Option<Value>,
}

impl ChangeRecord {
    /// The record of a planned change.
    pub fn of(change: &Change) -> Self {
        ChangeRecord {
            address: change.address.to_string(),
            action: change.action.as_str().to_string(),
            stage: change.stage.as_str().to_string(),
            stage_number: change.stage.number(),
            before: change.before.clone(),
            after: change.after.clone(),
            changed_fields: change
                .fields
                .iter()
                .filter(|f| !f.field.is_empty())
                .map(|f| f.field.clone())
                .collect(),
            sensitive_fields: change
                .sensitive_fields
                .iter()
                .map(|f| (*f).to_string())
                .collect(),
            write_only_fields: change
                .write_only_fields
                .iter()
                .map(|f| (*f).to_string())
                .collect(),
            dangerous: change.is_dangerous(),
            dangerous_reason: change.dangerous.clone(),
            request: RequestRecord {
                method: change.request.method.as_str().to_string(),
                path: format!("/api/v2{}", change.request.path),
                body: change.request.redacted_body(),
            },
        }
    }
}
