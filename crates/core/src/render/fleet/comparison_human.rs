//! Where tenants differ, as people read it: each setting that differs, with the tenants
//! grouped by value (so five tenants where one stands out read as two lines).
//!
//! ```text
//! Comparing 3 tenants: dev (acme-dev.eu.auth0.com), staging (…), prod (…)
//!
//! ~ factors.email
//!     dev            false
//!     staging, prod  true
//! ~ duo.skey
//!     dev, staging  (sensitive value #1)
//!     prod          (sensitive value #2)
//!
//! 2 settings differ; 38 are the same on every tenant.
//! Secrets are never shown: tenants with the same #n hold the same value.
//! Not compared (write-only: the API never returns them): push.sns.aws_secret_access_key
//! ```

use std::io::{self, Write};

use crate::fleet::compare::{Cell, Comparison, Setting};
use crate::render::text::show;
use crate::secret::REDACTED;

use crate::render::paint::{BOLD, RESET, YELLOW};

/// A cell as text: a value as plans show it, or what stands in for it.
pub fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Unset => "(not set)".to_string(),
        Cell::Value(value) => show(value),
        Cell::Secret(group) => format!("{REDACTED} #{group}"),
        Cell::Unavailable(code) => format!("(unavailable: {code})"),
    }
}

/// The tenants of `setting` grouped by value, groups in the order their first tenant comes:
/// (tenant names, value).
pub fn groups<'a>(
    comparison: &'a Comparison,
    setting: &'a Setting,
) -> Vec<(Vec<&'a str>, &'a Cell)> {
    let mut groups: Vec<(Vec<&str>, &Cell)> = Vec::new();
    for ((name, _), cell) in comparison.tenants.iter().zip(&setting.cells) {
        match groups.iter_mut().find(|(_, value)| *value == cell) {
            Some((names, _)) => names.push(name),
            None => groups.push((vec![name], cell)),
        }
    }
    groups
}

/// Writes the comparison.
pub fn render(comparison: &Comparison, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let tenants: Vec<String> = comparison
        .tenants
        .iter()
        .map(|(name, domain)| format!("{name} ({domain})"))
        .collect();
    writeln!(
        out,
        "Comparing {} tenants: {}",
        comparison.tenants.len(),
        tenants.join(", ")
    )?;
    writeln!(out)?;
    let differences: Vec<&Setting> = comparison.differences().collect();
    for setting in &differences {
        let title = format!("~ {}", setting.name);
        if color {
            writeln!(out, "{BOLD}{YELLOW}~{RESET}{BOLD} {}{RESET}", setting.name)?;
        } else {
            writeln!(out, "{title}")?;
        }
        let rows: Vec<(String, String)> = groups(comparison, setting)
            .into_iter()
            .map(|(names, cell)| (names.join(", "), cell_text(cell)))
            .collect();
        let width = rows
            .iter()
            .map(|(n, _)| n.chars().count())
            .max()
            .unwrap_or(0);
        for (names, value) in rows {
            writeln!(out, "    {names:<width$}  {value}")?;
        }
    }
    if !differences.is_empty() {
        writeln!(out)?;
    }
    let same = comparison.same_count();
    let setting_noun = |n: usize| if n == 1 { "setting" } else { "settings" };
    if differences.is_empty() {
        writeln!(
            out,
            "No differences: the {same} {} set on these tenants are the same on every tenant.",
            setting_noun(same)
        )?;
    } else {
        let verb = if differences.len() == 1 {
            "differs"
        } else {
            "differ"
        };
        let same_verb = if same == 1 { "is" } else { "are" };
        writeln!(
            out,
            "{} {} {verb}; {same} {same_verb} the same on every tenant.",
            differences.len(),
            setting_noun(differences.len())
        )?;
    }
    if differences.iter().any(|s| s.secret) {
        writeln!(
            out,
            "Secrets are never shown: tenants with the same #n hold the same value."
        )?;
    }
    if !comparison.not_compared.is_empty() {
        writeln!(
            out,
            "Not compared (write-only: the API never returns them): {}",
            comparison.not_compared.join(", ")
        )?;
    }
    Ok(())
}
