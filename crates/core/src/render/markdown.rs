//! The plan as a pull-request comment (GitHub-flavoured Markdown).
//!
//! The first line is always `<!-- mfactl-plan -->`, so a CI bot can find and update its own
//! comment. Then a summary line, the dangerous changes, a table of every change and one
//! collapsible section per change with its fields and request.

use std::io::{self, Write};

use serde_json::Value;

use crate::plan::{Change, FieldKind, Plan};
use crate::render::text::{not_compared, show, show_for, transition};

/// The first line of every Markdown plan.
pub const MARKER: &str = "<!-- mfactl-plan -->";

/// Text safe inside a table cell.
pub(crate) fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Text safe inside an inline code span: backticks become quotes.
pub(crate) fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'"))
}

/// Writes the Markdown plan.
pub fn render(plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{MARKER}")?;
    let dangerous = plan.dangerous_count();
    let headline = match (plan.changes.len(), dangerous) {
        (0, _) => "no changes".to_string(),
        (n, 0) => format!("{n} to change"),
        (n, d) => format!("{n} to change, **{d} dangerous**"),
    };
    writeln!(
        out,
        "### mfactl plan for {}: {headline}",
        code(&plan.tenant)
    )?;
    writeln!(out)?;
    if plan.is_empty() {
        writeln!(out, "{}", plan.summary())?;
        writeln!(out)?;
    }
    for warning in &plan.warnings {
        writeln!(out, "> [!WARNING]")?;
        match &warning.position {
            Some(position) => writeln!(
                out,
                "> {} {}",
                code(&position.to_string()),
                cell(&warning.message)
            )?,
            None => writeln!(out, "> {}", cell(&warning.message))?,
        }
        if let Some(help) = &warning.help {
            writeln!(out, ">")?;
            writeln!(out, "> {}", cell(help))?;
        }
        writeln!(out)?;
    }
    if dangerous > 0 {
        writeln!(out, "> [!CAUTION]")?;
        writeln!(
            out,
            "> **Dangerous changes** (apply refuses them without `--allow-dangerous`):"
        )?;
        for change in plan.dangerous_changes() {
            let reason = change.dangerous.as_deref().unwrap_or_default();
            writeln!(out, "> - {}: {reason}", code(&change.address.to_string()))?;
        }
        writeln!(out)?;
    }
    if !plan.is_empty() {
        writeln!(out, "| | Address | Action | Stage | Change |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        for change in &plan.changes {
            let flag = if change.is_dangerous() { " ⚠️" } else { "" };
            writeln!(
                out,
                "| {}{flag} | {} | {} | {}. {} | {} |",
                change.action.marker(),
                cell(&code(&change.address.to_string())),
                change.action,
                change.stage.number(),
                change.stage.title(),
                cell(&summary(change)),
            )?;
        }
        writeln!(out)?;
        // Single-value changes are complete in the table; settings get a section each.
        for change in &plan.changes {
            if !matches!(change.fields.as_slice(), [single] if single.field.is_empty()) {
                details(change, out)?;
            }
        }
    }
    for (heading, notes) in not_compared(plan) {
        writeln!(out, "**{heading}**")?;
        writeln!(out)?;
        for (address, note) in notes {
            writeln!(out, "- {}: {note}", code(&address))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The table's one-line description of a change.
fn summary(change: &Change) -> String {
    match change.fields.as_slice() {
        [single] if single.field.is_empty() => {
            let after = code(&show_for(&change.address, &single.after));
            match &single.before {
                Value::Null => after,
                before => format!("{} → {after}", code(&show_for(&change.address, before))),
            }
        }
        [] => change.action.to_string(),
        fields => {
            let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
            names.join(", ")
        }
    }
}

fn details(change: &Change, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "<details><summary><code>{}</code> {} ({} <code>/api/v2{}</code>)</summary>",
        change.address, change.action, change.request.method, change.request.path
    )?;
    writeln!(out)?;
    writeln!(out, "```diff")?;
    if let (true, Some(Value::Object(before))) = (change.fields.is_empty(), &change.before) {
        // A deleted item: what goes.
        for (name, value) in before {
            writeln!(out, "- {name}: {}", show(value))?;
        }
    }
    for field in &change.fields {
        let name = if field.field.is_empty() {
            change.address.to_string()
        } else {
            field.field.to_string()
        };
        match field.kind {
            FieldKind::Sensitive | FieldKind::WriteOnly => {
                writeln!(
                    out,
                    "! {name}: {}",
                    transition(&change.address, field, false)
                )?;
            }
            FieldKind::Plain | FieldKind::Template => {
                if !field.before.is_null() {
                    writeln!(
                        out,
                        "- {name}: {}",
                        show_for(&change.address, &field.before)
                    )?;
                }
                writeln!(out, "+ {name}: {}", show_for(&change.address, &field.after))?;
            }
        }
    }
    writeln!(out, "```")?;
    if let Some(body) = change.request.redacted_body() {
        writeln!(out)?;
        writeln!(out, "Request body:")?;
        writeln!(out)?;
        writeln!(out, "```json")?;
        writeln!(out, "{}", show_json(&body))?;
        writeln!(out, "```")?;
    }
    writeln!(out)?;
    writeln!(out, "</details>")?;
    writeln!(out)?;
    Ok(())
}

fn show_json(body: &Value) -> String {
    serde_json::to_string_pretty(body).unwrap_or_else(|_| show(body))
}
