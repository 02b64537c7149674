//! `mfactl plan`: read the live tenant and show what apply would change.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::process::ExitCode;

use crate::cli::{PlanArgs, PlanFormat};
use crate::commands::config_file;
use crate::commands::planning::plan_against;
use crate::commands::step_summary;
use crate::commands::target::{connect, runtime};
use crate::plan::saved::{SavedPlan, config_hash};
use crate::plan::{EXIT_CHANGES, EXIT_NO_CHANGES, Plan};
use crate::render;
use crate::scrub;

/// Exit 0 (or with `--detailed-exitcode` 0 for no changes, 2 for changes), 1 on error.
pub fn run(args: &PlanArgs) -> ExitCode {
    match run_plan(args) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            scrub::eprint(&format!("error: {message}\n"));
            ExitCode::FAILURE
        }
    }
}

fn run_plan(args: &PlanArgs) -> Result<u8, String> {
    let file = config_file::load(&args.config.config, args.config.strict)
        .ok_or_else(|| format!("{} is not valid", args.config.config.display()))?;
    let runtime = runtime()?;
    runtime.block_on(async {
        let target = connect(&args.target).await?;
        let (plan, live) = plan_against(
            &target.client,
            &file,
            target.is_emulator(),
            args.resend_write_only,
            &BTreeSet::new(),
        )
        .await?;
        write_plan(&plan, args.format)?;
        step_summary::append_plan(&plan);
        if let Some(out) = &args.out {
            let mut saved = SavedPlan::new(&plan, &live, &file.path, &config_hash(&file.bytes));
            saved.resend_write_only = args.resend_write_only;
            let text = saved
                .to_json()
                .map_err(|e| format!("cannot encode the plan: {e}"))?;
            scrub::write_file(out, &text)
                .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            scrub::eprint(&format!(
                "Saved the plan to {}; apply it with `mfactl apply {}`.\n",
                out.display(),
                out.display()
            ));
        }
        let code = if args.detailed_exitcode && !plan.is_empty() {
            EXIT_CHANGES
        } else {
            EXIT_NO_CHANGES
        };
        u8::try_from(code).map_err(|e| e.to_string())
    })
}

/// Prints the plan on stdout in the chosen format, scrubbed of every secret.
pub fn write_plan(plan: &Plan, format: PlanFormat) -> Result<(), String> {
    let color = render::use_color(
        std::io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    );
    let mut out = Vec::new();
    let written = match format {
        PlanFormat::Human => render::human::render(plan, &mut out, color),
        PlanFormat::Json => render::json::render(plan, &mut out),
        PlanFormat::Markdown => render::markdown::render(plan, &mut out),
    };
    written.map_err(|e| format!("cannot write the plan: {e}"))?;
    scrub::print(&String::from_utf8_lossy(&out));
    Ok(())
}
