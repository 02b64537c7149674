//! GitHub Actions' job summary: a step appends Markdown to the file that
//! `$GITHUB_STEP_SUMMARY` names, and GitHub shows it on the run's page (GitHub's docs, "Adding
//! a job summary": one file per step, appended to, at most 1 MiB).

use std::io::Write;
use std::path::Path;

use crate::fleet::FleetPlan;
use crate::plan::Plan;
use crate::render;
use crate::scrub;

/// The variable GitHub Actions sets to the step's summary file.
pub const VARIABLE: &str = "GITHUB_STEP_SUMMARY";

/// Appends the Markdown plan (the same text as `plan --format markdown`, scrubbed the same
/// way by [`crate::scrub`]) to the file `$GITHUB_STEP_SUMMARY` names, when the variable is set
/// and not empty. A file that cannot be written is a warning on stderr, not an error: the plan
/// was printed.
pub fn append_plan(plan: &Plan) {
    append_markdown(|text| render::markdown::render(plan, text));
}

/// [`append_plan`] for the plans of several tenants (the text of `plan --tenants FILE
/// --format markdown`).
pub fn append_fleet(plan: &FleetPlan) {
    append_markdown(|text| render::fleet::markdown::render(plan, text));
}

fn append_markdown(render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) {
    let Some(path) = std::env::var_os(VARIABLE).filter(|p| !p.is_empty()) else {
        return;
    };
    let path = Path::new(&path);
    let mut text = Vec::new();
    let appended = render(&mut text).and_then(|()| {
        append(
            path,
            scrub::scrub(&String::from_utf8_lossy(&text)).as_bytes(),
        )
    });
    if let Err(e) = appended {
        scrub::eprint(&format!(
            "warning: cannot add the plan to the job summary (${VARIABLE}={}): {e}\n",
            path.display()
        ));
    }
}

/// Appends `text` (already scrubbed) to the file.
fn append(path: &Path, text: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    // Keep the plan's first line (its HTML-comment marker) out of a paragraph an earlier
    // write left open.
    if file.metadata()?.len() > 0 {
        file.write_all(b"\n")?;
    }
    file.write_all(text)?;
    file.flush()
}
