//! `mfactl plan`: read the live tenant and show what apply would change.

use std::process::ExitCode;

use crate::cli::{PlanArgs, PlanFormat};
use crate::commands::config_file;
use crate::commands::pending_file::PendingFile;
use crate::commands::planning::{PlanOptions, plan_against};
use crate::commands::step_summary;
use crate::commands::target::{connect, runtime};
use crate::error::{CommandError, CommandResult};
use crate::plan::saved::{SavedPlan, config_hash};
use crate::plan::{EXIT_CHANGES, EXIT_NO_CHANGES, Plan};
use crate::render;
use crate::scrub;
use crate::terminal::Colors;

/// Exit 0 (or with `--detailed-exitcode` 0 for no changes, 2 for changes), 1 on error.
pub fn run(args: &PlanArgs, colors: Colors) -> CommandResult {
    if args.fleet.is_used() {
        return crate::commands::fleet::plan::run(args, colors);
    }
    let file = config_file::load(&args.config.config, args.config.strict, colors)?;
    let runtime = runtime()?;
    runtime.block_on(async {
        let target = connect(&args.target).await?;
        let options = PlanOptions {
            is_emulator: target.is_emulator(),
            resend_write_only: args.resend_write_only,
            ..PlanOptions::default()
        };
        let (plan, live) = plan_against(&target.client, &file, &options).await?;
        // The plan file is written before the plan is printed, and named after: a file that
        // cannot be written prints nothing, a plan that cannot be printed saves nothing.
        let saved = match &args.out {
            Some(out) => {
                let mut saved = SavedPlan::new(&plan, &live, &file.path, &config_hash(&file.bytes));
                saved.resend_write_only = args.resend_write_only;
                let text = saved
                    .to_json()
                    .map_err(|e| CommandError::Other(format!("cannot encode the plan: {e}")))?;
                Some((out, PendingFile::write(out, &text)?))
            }
            None => None,
        };
        write_plan(&plan, args.format, colors, false)?;
        if let Some((out, pending)) = saved {
            pending.keep()?;
            scrub::eprint(&format!(
                "Saved the plan to {}; apply it with `mfactl apply {}`.\n",
                out.display(),
                out.display()
            ));
        }
        step_summary::append_plan(&plan);
        let code = if args.detailed_exitcode && !plan.is_empty() {
            EXIT_CHANGES
        } else {
            EXIT_NO_CHANGES
        };
        Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
    })
}

/// Prints the plan on stdout in the chosen format, scrubbed of every secret. Errors: the plan
/// could not be written to stdout (a reader that closed the pipe is not an error: it chose to
/// read no more). `dangerous_allowed` (an apply given `--allow-dangerous`) leaves out the line
/// saying dangerous changes need it.
pub fn write_plan(
    plan: &Plan,
    format: PlanFormat,
    colors: Colors,
    dangerous_allowed: bool,
) -> Result<(), CommandError> {
    print_rendered(|out| match format {
        PlanFormat::Human if dangerous_allowed => {
            render::human::render_dangerous_allowed(plan, out, colors.stdout)
        }
        PlanFormat::Human => render::human::render(plan, out, colors.stdout),
        PlanFormat::Json => render::json::render(plan, out),
        PlanFormat::Markdown => render::markdown::render(plan, out),
    })
}

/// Prints what `render` writes on stdout, scrubbed of every secret. Errors: it could not be
/// rendered, or could not be written (see [`printed`]).
pub fn print_rendered(
    render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
) -> Result<(), CommandError> {
    let mut out = Vec::new();
    render(&mut out).map_err(|e| CommandError::Other(format!("cannot write the plan: {e}")))?;
    printed(scrub::try_print(&String::from_utf8_lossy(&out)))
}

/// A plan's print as the command's result: an error unless it reached stdout or the reader
/// closed the pipe.
pub fn printed(result: std::io::Result<()>) -> Result<(), CommandError> {
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CommandError::Other(format!(
            "cannot write the plan to stdout: {e}"
        ))),
        _ => Ok(()),
    }
}
