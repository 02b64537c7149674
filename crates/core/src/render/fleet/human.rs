//! The plans of several tenants as people read them: one section per tenant (its plan as
//! [`crate::render::human`] prints it, or its error), then a summary table.
//!
//! ```text
//! === dev ===
//! mfactl plan for acme-dev.eu.auth0.com
//! …
//! Plan: 2 to change.
//!
//! === prod ===
//! Error: acme.eu.auth0.com refused to issue an access token (401 …). Check …
//!
//! Tenant  Changes  Dangerous  Error
//! dev           2          0
//! prod          -          -  acme.eu.auth0.com refused to issue an access token (401 …)
//!
//! 2 tenants: 1 with changes, 1 failed.
//! ```

use std::io::{self, Write};

use crate::fleet::{FleetPlan, TenantPlan};
use crate::render::human;
use crate::render::table::{Align, table};

use crate::render::paint::{BOLD, RED, paint};

/// Writes every tenant's section, then the summary table and its closing line, and, when a
/// change is dangerous, that apply needs `--allow-dangerous` (once, not per tenant).
pub fn render(fleet: &FleetPlan, out: &mut dyn Write, color: bool) -> io::Result<()> {
    render_dangerous_allowed(fleet, out, color)?;
    if fleet.total_dangerous() > 0 {
        writeln!(out, "Dangerous changes need `apply --allow-dangerous`.")?;
    }
    Ok(())
}

/// [`render`] for an apply given `--allow-dangerous`: without the line saying it is needed.
pub fn render_dangerous_allowed(
    fleet: &FleetPlan,
    out: &mut dyn Write,
    color: bool,
) -> io::Result<()> {
    for tenant in &fleet.tenants {
        section(tenant, out, color)?;
        writeln!(out)?;
    }
    summary(fleet, out, color)
}

/// One tenant's section: a `=== name ===` line, then its plan or its error.
pub fn section(tenant: &TenantPlan, out: &mut dyn Write, color: bool) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        paint(color, BOLD, &format!("=== {} ===", tenant.name))
    )?;
    match &tenant.result {
        // The closing line of the whole set says what dangerous changes need.
        Ok(plan) => human::render_dangerous_allowed(plan, out, color),
        Err(error) => writeln!(
            out,
            "{} {}",
            paint(color, &format!("{BOLD}{RED}"), "Error:"),
            error.message
        ),
    }
}

/// The summary table (tenant, changes, dangerous, error) and the closing line.
pub fn summary(fleet: &FleetPlan, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let count = |n: Option<usize>| n.map_or_else(|| "-".to_string(), |n| n.to_string());
    let rows: Vec<Vec<String>> = fleet
        .tenants
        .iter()
        .map(|t| {
            vec![
                t.name.clone(),
                count(t.changes()),
                count(t.dangerous()),
                t.error().map(|e| e.summary.clone()).unwrap_or_default(),
            ]
        })
        .collect();
    let lines = table(
        &[
            ("Tenant", Align::Left),
            ("Changes", Align::Right),
            ("Dangerous", Align::Right),
            ("Error", Align::Left),
        ],
        &rows,
    );
    for (i, line) in lines.iter().enumerate() {
        if i == 0 {
            writeln!(out, "{}", paint(color, BOLD, line))?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    writeln!(out)?;
    let closing = format!("{}.", fleet.headline());
    let alarming = fleet.failed().next().is_some() || fleet.total_dangerous() > 0;
    let code = if alarming {
        format!("{BOLD}{RED}")
    } else {
        BOLD.to_string()
    };
    writeln!(out, "{}", paint(color, &code, &closing))
}
