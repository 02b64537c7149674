//! The plans of several tenants as one pull-request comment: the marker line
//! ([`crate::render::markdown::MARKER`], so a CI bot updates its own comment), a headline, the
//! dangerous changes of every tenant, the summary table, then one collapsible section per
//! tenant holding its plan as [`crate::render::markdown`] writes it (or its error).

use std::io::{self, Write};

use crate::fleet::{FleetPlan, TenantPlan};
use crate::render::markdown::{self, MARKER, cell, code};

/// Text safe inside HTML.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Writes the comment.
pub fn render(fleet: &FleetPlan, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{MARKER}")?;
    writeln!(out, "### mfactl plan for {}", fleet.headline())?;
    writeln!(out)?;
    if fleet.total_dangerous() > 0 {
        writeln!(out, "> [!CAUTION]")?;
        writeln!(
            out,
            "> **Dangerous changes** (apply refuses them without `--allow-dangerous`):"
        )?;
        for tenant in &fleet.tenants {
            let Ok(plan) = &tenant.result else {
                continue;
            };
            for change in plan.dangerous_changes() {
                let reason = change.dangerous.as_deref().unwrap_or_default();
                writeln!(
                    out,
                    "> - {} {}: {reason}",
                    code(&tenant.name),
                    code(&change.address.to_string())
                )?;
            }
        }
        writeln!(out)?;
    }
    writeln!(out, "| Tenant | Changes | Dangerous | Error |")?;
    writeln!(out, "|---|--:|--:|---|")?;
    for tenant in &fleet.tenants {
        let count = |n: Option<usize>| n.map_or_else(|| "-".to_string(), |n| n.to_string());
        let error = tenant
            .error()
            .map(|e| format!("❌ {}", cell(&e.summary)))
            .unwrap_or_default();
        writeln!(
            out,
            "| {} | {} | {} | {error} |",
            code(&tenant.name),
            count(tenant.changes()),
            count(tenant.dangerous()),
        )?;
    }
    writeln!(out)?;
    for tenant in &fleet.tenants {
        section(tenant, out)?;
    }
    Ok(())
}

/// One tenant's collapsible section.
fn section(tenant: &TenantPlan, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "<details><summary><code>{}</code> ({}): {}</summary>",
        html(&tenant.name),
        html(&tenant.domain),
        tenant.headline()
    )?;
    writeln!(out)?;
    match &tenant.result {
        Ok(plan) => {
            let mut text = Vec::new();
            markdown::render(plan, &mut text)?;
            let text = String::from_utf8_lossy(&text);
            // The comment has one marker, on its first line.
            let body = text
                .strip_prefix(MARKER)
                .unwrap_or(&text)
                .trim_start_matches('\n');
            out.write_all(body.as_bytes())?;
        }
        Err(error) => {
            writeln!(out, "```text")?;
            writeln!(out, "{}", error.message.replace("```", "'''"))?;
            writeln!(out, "```")?;
            writeln!(out)?;
        }
    }
    writeln!(out, "</details>")?;
    writeln!(out)?;
    Ok(())
}
