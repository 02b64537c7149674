//! The plans of several tenants as one JSON document: a summary and a `tenants` map, in the
//! tenants file's order, each tenant with its plan in the single-tenant format
//! ([`crate::render::json`]) or its error.
//!
//! ```json
//! {
//!   "format_version": "1",
//!   "tool_version": "0.2.0",
//!   "summary": { "tenants": 2, "with_changes": 1, "failed": 1, "changes": 2, "dangerous": 0 },
//!   "tenants": {
//!     "dev": { "domain": "acme-dev.eu.auth0.com", "status": "planned", "plan": { … }, "error": null },
//!     "prod": { "domain": "acme.eu.auth0.com", "status": "failed", "plan": null,
//!               "error": { "summary": "…", "message": "…" } }
//!   }
//! }
//! ```

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use crate::fleet::{FleetPlan, TenantPlan};
use crate::render::json::{FORMAT_VERSION, to_value as plan_value};

/// The document as a JSON value.
pub fn to_value(fleet: &FleetPlan) -> Value {
    let tenants: Map<String, Value> = fleet
        .tenants
        .iter()
        .map(|t| (t.name.clone(), tenant_value(t)))
        .collect();
    json!({
        "format_version": FORMAT_VERSION,
        "tool_version": env!("CARGO_PKG_VERSION"),
        "summary": {
            "tenants": fleet.tenants.len(),
            "with_changes": fleet.with_changes().count(),
            "failed": fleet.failed().count(),
            "changes": fleet.total_changes(),
            "dangerous": fleet.total_dangerous(),
        },
        "tenants": tenants,
    })
}

fn tenant_value(tenant: &TenantPlan) -> Value {
    match &tenant.result {
        Ok(plan) => json!({
            "domain": tenant.domain,
            "status": "planned",
            "plan": plan_value(plan),
            "error": null,
        }),
        Err(error) => json!({
            "domain": tenant.domain,
            "status": "failed",
            "plan": null,
            "error": { "summary": error.summary, "message": error.message },
        }),
    }
}

/// Writes the document as pretty JSON followed by a newline.
pub fn render(fleet: &FleetPlan, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_value(fleet))?;
    writeln!(out)
}
