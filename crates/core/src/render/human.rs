//! The plan as people read it in a terminal or a CI log.
//!
//! ```text
//! Stage 1: configure providers and settings
//!   ~ phone.templates
//!       enrollment_message: {{code}} is your [-verification-]{+enrollment+} code
//! Stage 3: enable factors
//!   + factors.otp: disabled → enabled
//!
//! Plan: 2 to change.
//! ```
//! Markers: `+` create or enable, `~` update, `-` disable. Template text gets an inline word
//! diff (`[-removed-]{+added+}`, coloured on a terminal). Secrets read `(sensitive value)`.

use std::io::{self, Write};

use serde_json::Value;
use similar::{ChangeTag, TextDiff};

use crate::plan::{Action, Change, FieldChange, FieldKind, Plan, WarningSource};
use crate::render::text::{not_compared, transition};

use crate::render::paint::{BOLD, GREEN, RED, YELLOW, paint};

struct Paint {
    color: bool,
}

impl Paint {
    fn paint(&self, code: &str, text: &str) -> String {
        paint(self.color, code, text)
    }

    fn marker(&self, action: Action) -> String {
        let code = match action {
            Action::Create | Action::Enable => GREEN,
            Action::Update => YELLOW,
            Action::Disable | Action::Delete => RED,
        };
        self.paint(code, &action.marker().to_string())
    }
}

/// Writes the human plan. `color` adds ANSI colours; the caller decides it with
/// [`crate::render::use_color`].
pub fn render(plan: &Plan, out: &mut dyn Write, color: bool) -> io::Result<()> {
    render_plan(plan, out, color)?;
    if plan.dangerous_count() > 0 {
        writeln!(out, "Dangerous changes need `apply --allow-dangerous`.")?;
    }
    Ok(())
}

/// [`render`] for an apply given `--allow-dangerous`: without the line saying it is needed.
pub fn render_dangerous_allowed(plan: &Plan, out: &mut dyn Write, color: bool) -> io::Result<()> {
    render_plan(plan, out, color)
}

fn render_plan(plan: &Plan, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let paint = Paint { color };
    writeln!(out, "mfactl plan for {}", paint.paint(BOLD, &plan.tenant))?;
    // Config warnings were shown on stderr with their snippet when the file was loaded.
    let tenant_warnings = plan
        .warnings
        .iter()
        .filter(|w| w.source == WarningSource::Tenant);
    for warning in tenant_warnings {
        writeln!(out)?;
        writeln!(
            out,
            "{} {}",
            paint.paint(&format!("{BOLD}{YELLOW}"), "Warning:"),
            warning.one_line()
        )?;
    }
    for (stage, changes) in plan.stages() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            paint.paint(
                BOLD,
                &format!("Stage {}: {}", stage.number(), stage.title())
            )
        )?;
        for change in changes {
            render_change(change, out, &paint)?;
        }
    }
    for (heading, notes) in not_compared(plan) {
        writeln!(out)?;
        writeln!(out, "{heading}:")?;
        for (address, note) in notes {
            writeln!(out, "  {address}: {note}")?;
        }
    }
    writeln!(out)?;
    let summary = plan.summary();
    let summary = if plan.dangerous_count() > 0 {
        paint.paint(&format!("{BOLD}{RED}"), &summary)
    } else {
        paint.paint(BOLD, &summary)
    };
    writeln!(out, "{summary}")
}

fn render_change(change: &Change, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
    let marker = paint.marker(change.action);
    let address = paint.paint(BOLD, &change.address.to_string());
    match change.fields.as_slice() {
        [single] if single.field.is_empty() => {
            writeln!(
                out,
                "  {marker} {address}: {}",
                transition(&change.address, single, false)
            )?;
        }
        fields => {
            writeln!(out, "  {marker} {address}")?;
            for field in fields {
                render_field(change, field, out, paint)?;
            }
        }
    }
    if let Some(reason) = &change.dangerous {
        writeln!(
            out,
            "      {} {reason}",
            paint.paint(&format!("{BOLD}{RED}"), "DANGEROUS:")
        )?;
    }
    Ok(())
}

fn render_field(
    change: &Change,
    field: &FieldChange,
    out: &mut dyn Write,
    paint: &Paint,
) -> io::Result<()> {
    let name = field.field.as_str();
    match (&field.kind, &field.before, &field.after) {
        (FieldKind::Template, Value::String(before), Value::String(after)) => {
            writeln!(out, "      {name}: {}", word_diff(before, after, paint))
        }
        _ => writeln!(
            out,
            "      {name}: {}",
            transition(&change.address, field, change.action == Action::Create)
        ),
    }
}

/// An inline word diff: removed words in `[-…-]`, added words in `{+…+}`; neighbouring words
/// of one kind are grouped.
fn word_diff(before: &str, after: &str, paint: &Paint) -> String {
    let diff = TextDiff::from_words(before, after);
    let mut runs: Vec<(ChangeTag, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        match runs.last_mut() {
            Some((tag, words)) if *tag == change.tag() => words.push_str(change.value()),
            _ => runs.push((change.tag(), change.value().to_string())),
        }
    }
    let mut text = String::from("\"");
    for (tag, words) in runs {
        match tag {
            ChangeTag::Equal => text.push_str(&words),
            ChangeTag::Delete => text.push_str(&paint.paint(RED, &format!("[-{words}-]"))),
            ChangeTag::Insert => text.push_str(&paint.paint(GREEN, &format!("{{+{words}+}}"))),
        }
    }
    text.push('"');
    text
}
