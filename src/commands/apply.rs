//! `mfactl apply`: change the tenant to match the file, or apply a saved plan.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use crate::api::{Client, required_write_scopes};
use crate::apply::{ApplyReport, Outcome, execute};
use crate::cli::{ApplyArgs, PlanFormat};
use crate::commands::config_file::{self, ConfigFile};
use crate::commands::confirm::ask_yes;
use crate::commands::plan::write_plan;
use crate::commands::planning::{PlanOptions, plan_against};
use crate::commands::step_summary;
use crate::commands::target::{Target, connect, runtime};
use crate::error::{CommandError, CommandResult};
use crate::plan::Plan;
use crate::plan::saved::{SavedPlan, check_fresh, config_hash};
use crate::scrub;
use crate::terminal::Colors;

/// Exit 0 when the tenant matches the file at the end, 1 otherwise.
pub fn run(args: &ApplyArgs, colors: Colors) -> CommandResult {
    if args.fleet.is_used() || args.parallel || args.plan_file.as_deref().is_some_and(Path::is_dir)
    {
        return crate::commands::fleet::apply::run(args, colors);
    }
    let saved = match &args.plan_file {
        Some(path) => Some(read_saved_plan(path)?),
        None => None,
    };
    let config_path = match (&saved, &args.config) {
        (Some(saved), _) => Path::new(&saved.config_path).to_path_buf(),
        (None, Some(path)) => path.clone(),
        (None, None) => {
            return Err(CommandError::Other(
                "give a config file (-c FILE) or a saved plan".into(),
            ));
        }
    };
    let file = config_file::load(&config_path, args.strict, colors)?;
    let resend = args.resend_write_only || saved.as_ref().is_some_and(|s| s.resend_write_only);
    let runtime = runtime()?;
    runtime.block_on(async {
        let target = connect(&args.target).await?;
        let options = PlanOptions {
            is_emulator: target.is_emulator(),
            resend_write_only: resend,
            extra_scopes: required_write_scopes(&file.config.state),
        };
        let (plan, live) = plan_against(&target.client, &file, &options).await?;
        if let Some(saved) = &saved {
            check_fresh(saved, &config_hash(&file.bytes), &live, &plan)?;
        }
        write_plan(&plan, PlanFormat::Human, colors, args.allow_dangerous)
            .map_err(|e| CommandError::Refused(format!("{e}; nothing was sent")))?;
        step_summary::append_plan(&plan);
        if plan.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        check_dangerous(&plan, args.allow_dangerous)?;
        if saved.is_none() && !args.auto_approve {
            confirm(&plan, target.client.domain())?;
        }
        apply_and_verify(&target, &file, &plan).await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// A saved plan file; errors name the file.
pub(crate) fn read_saved_plan(path: &Path) -> Result<SavedPlan, CommandError> {
    let text = std::fs::read_to_string(path).map_err(|e| CommandError::read(path, e))?;
    SavedPlan::from_json(&text).map_err(|source| CommandError::SavedPlan {
        path: path.to_path_buf(),
        source,
    })
}

/// Refuses dangerous changes without `--allow-dangerous`, before any write.
fn check_dangerous(plan: &Plan, allowed: bool) -> Result<(), CommandError> {
    if allowed || plan.dangerous_count() == 0 {
        return Ok(());
    }
    let list: Vec<String> = plan
        .dangerous_changes()
        .map(|c| {
            format!(
                "  {}: {}",
                c.address,
                c.dangerous.as_deref().unwrap_or("dangerous")
            )
        })
        .collect();
    Err(CommandError::Refused(format!(
        "the plan has {} dangerous change(s); nothing was sent. Rerun with --allow-dangerous if you mean it:\n{}",
        plan.dangerous_count(),
        list.join("\n")
    )))
}

/// Asks for `yes` on a terminal; refuses without one.
fn confirm(plan: &Plan, domain: &str) -> Result<(), CommandError> {
    ask(&format!(
        "\nApply {} change(s) to {domain}? Only 'yes' is accepted: ",
        plan.changes.len()
    ))
}

/// Asks `question` on stderr and reads the answer on a terminal: only `yes` goes on. Refuses
/// without a terminal.
pub fn ask(question: &str) -> Result<(), CommandError> {
    ask_yes(
        question,
        "no terminal to confirm on; nothing was sent. Review the plan and rerun with --auto-approve"
            .into(),
        "apply cancelled; nothing was sent",
    )
}

/// What [`execute_and_verify`] found.
pub(crate) struct Applied {
    pub report: ApplyReport,
    /// After a complete apply, the addresses where the tenant, read again, still differs from
    /// the file (none: verified), or why it could not be read; `None` when a request failed.
    pub verified: Option<Result<Vec<String>, CommandError>>,
}

/// Runs `plan` (each request's outcome on stderr when it is a terminal, after `prefix`), then,
/// when every request succeeded, plans the file against the tenant again to verify it.
pub(crate) async fn execute_and_verify(
    client: &Client,
    file: &ConfigFile,
    plan: &Plan,
    is_emulator: bool,
    prefix: &str,
) -> Applied {
    let show_progress = std::io::stderr().is_terminal();
    let progress = move |result: &crate::apply::RequestResult| {
        if show_progress {
            scrub::eprint(&format!("  {prefix}{result}\n"));
        }
    };
    let report = execute(client, plan, &file.config.state, &progress).await;
    if !report.succeeded() {
        return Applied {
            report,
            verified: None,
        };
    }
    let options = PlanOptions {
        is_emulator,
        ..PlanOptions::default()
    };
    let verified = plan_against(client, file, &options)
        .await
        .map(|(after, _)| {
            after
                .changes
                .iter()
                .map(|c| c.address.to_string())
                .collect()
        });
    Applied {
        report,
        verified: Some(verified),
    }
}

async fn apply_and_verify(
    target: &Target,
    file: &ConfigFile,
    plan: &Plan,
) -> Result<(), CommandError> {
    let Applied { report, verified } =
        execute_and_verify(&target.client, file, plan, target.is_emulator(), "").await;
    scrub::print("\n");
    let Some(verified) = verified else {
        for result in &report.results {
            scrub::print(&format!("  {result}\n"));
        }
        scrub::print(&format!("\n{}\n", report.summary()));
        let failed = report.count(|o| matches!(o, Outcome::Failed(_)));
        return Err(CommandError::Refused(format!(
            "{failed} request(s) failed; later stages were not attempted. Fix the cause and run apply again: it picks up where this one stopped"
        )));
    };
    scrub::print(&format!("{}\n", report.summary()));
    let addresses = verified?;
    if addresses.is_empty() {
        scrub::print("Verified: the tenant matches the configuration.\n");
        Ok(())
    } else {
        Err(CommandError::Other(format!(
            "after apply the tenant still differs from the file at: {}",
            addresses.join(", ")
        )))
    }
}
