//! GitHub Actions' job summary: a step appends Markdown to the file that
//! `$GITHUB_STEP_SUMMARY` names, and GitHub shows it on the run's page (GitHub's docs, "Adding
//! a job summary": one file per step, appended to, at most 1 MiB).

use std::io::Write;
use std::path::Path;

use crate::plan::Plan;
use crate::render;

/// The variable GitHub Actions sets to the step's summary file.
pub const VARIABLE: &str = "GITHUB_STEP_SUMMARY";

/// Appends the Markdown plan (the same text as `plan --format markdown`, which holds no
/// secret) to the file `$GITHUB_STEP_SUMMARY` names, when the variable is set and not empty.
/// A file that cannot be written is a warning on stderr, not an error: the plan was printed.
pub fn append_plan(plan: &Plan) {
    let Some(path) = std::env::var_os(VARIABLE).filter(|p| !p.is_empty()) else {
        return;
    };
    let path = Path::new(&path);
    if let Err(e) = append(path, plan) {
        eprintln!(
            "warning: cannot add the plan to the job summary (${VARIABLE}={}): {e}",
            path.display()
        );
    }
}

fn append(path: &Path, plan: &Plan) -> std::io::Result<()> {
    let mut text = Vec::new();
    render::markdown::render(plan, &mut text)?;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    // Keep the plan's first line (its HTML-comment marker) out of a paragraph an earlier
    // write left open.
    if file.metadata()?.len() > 0 {
        file.write_all(b"\n")?;
    }
    file.write_all(&text)?;
    file.flush()
}
