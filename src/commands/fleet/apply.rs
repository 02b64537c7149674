//! `mfactl apply -c FILE --tenants TENANTS` and `mfactl apply DIR` (a folder of plans saved by
//! `plan --tenants … --out DIR`).
//!
//! Every tenant is planned first, at once; the combined plan is shown and confirmed once for
//! the whole set. Then the tenants are applied in the tenants file's order, a progressive
//! rollout (dev first, prod last) that stops at the first tenant whose apply fails or whose
//! tenant does not match the file afterwards; the later ones are reported as not attempted.
//! `--parallel` applies them all at once instead. Nothing is sent to any tenant while one
//! cannot be planned, a saved plan is stale, or a dangerous change is not allowed.

use std::path::Path;
use std::process::ExitCode;

use futures_util::future::join_all;

use crate::api::{Client, required_write_scopes};
use crate::cli::{ApplyArgs, PlanFormat};
use crate::commands::apply::ask;
use crate::commands::apply::{Applied, execute_and_verify, read_saved_plan};
use crate::commands::fleet::errors::tenant_error;
use crate::commands::fleet::members::{self, Fleet, Member, Request};
use crate::commands::fleet::plan::{Planned, not_planned, plan_all, write_fleet};
use crate::commands::fleet::refuse_emulator;
use crate::commands::planning::PlanOptions;
use crate::commands::step_summary;
use crate::commands::target::runtime;
use crate::config::suggest::closest;
use crate::error::{CommandError, CommandResult};
use crate::fleet::plan_set::{PLAN_SET_FILE, PlanSet};
use crate::fleet::{ApplyStatus, FleetPlan, Rollout, TenantApply};
use crate::plan::Plan;
use crate::plan::saved::{check_fresh, config_hash};
use crate::render;
use crate::scrub;
use crate::terminal::Colors;

/// Exit 0 when every tenant ends applied (and verified) or unchanged, 1 otherwise.
pub fn run(args: &ApplyArgs, colors: Colors) -> CommandResult {
    refuse_emulator(&args.target)?;
    match (&args.plan_file, &args.fleet.tenants) {
        (Some(_), Some(_)) => Err(CommandError::Other(
            "a plan folder names its own tenants file: leave out --tenants".into(),
        )),
        (Some(dir), None) if !dir.is_file() => saved(dir, args, colors),
        (Some(file), None) => Err(CommandError::Other(format!(
            "{} is a single saved plan: --only and --parallel are for a folder of plans saved with `plan --tenants FILE --out DIR`",
            file.display()
        ))),
        (None, Some(tenants)) => live(tenants, args, colors),
        (None, None) => Err(CommandError::Other(
            "--only and --parallel apply several tenants: give them with --tenants FILE, or a folder of saved plans".into(),
        )),
    }
}

/// Plans, shows the combined plan, confirms once, rolls out.
fn live(tenants: &Path, args: &ApplyArgs, colors: Colors) -> CommandResult {
    let Some(config) = args.config.as_deref() else {
        return Err(CommandError::Other(
            "give the config file to apply with -c FILE".into(),
        ));
    };
    let request = Request {
        tenants,
        config: Some(config),
        only: &args.fleet.only,
        env: true,
    };
    let fleet = members::load(&request, args.strict, colors)?;
    let runtime = runtime()?;
    runtime.block_on(async {
        let options = plan_options(&fleet, args.resend_write_only);
        let planned = plan_all(&fleet, &args.target.client_options(), &options).await;
        proceed(&fleet, &planned, args, colors, !args.auto_approve).await
    })
}

/// Applies a folder of saved plans, each refused when stale, all before any write.
fn saved(dir: &Path, args: &ApplyArgs, colors: Colors) -> CommandResult {
    let index = dir.join(PLAN_SET_FILE);
    let text = match std::fs::read_to_string(&index) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(CommandError::Other(format!(
                "{} holds no saved plans ({PLAN_SET_FILE} is missing): save them with `mfactl plan -c FILE --tenants TENANTS --out {}`",
                dir.display(),
                dir.display()
            )));
        }
        Err(e) => return Err(CommandError::read(&index, e)),
    };
    let set = PlanSet::from_json(&text)
        .map_err(|e| CommandError::Other(format!("{}: {e}", index.display())))?;
    let selected = select(&set, &args.fleet.only)?;
    let unplanned: Vec<String> = set
        .unplanned()
        .into_iter()
        .filter(|(name, _)| selected.iter().any(|s| s == name))
        .map(|(name, why)| format!("{name} ({why})"))
        .collect();
    if !unplanned.is_empty() {
        return Err(CommandError::Refused(format!(
            "the plan folder has no plan for {}; nothing was sent. Plan again, or apply the others with --only",
            unplanned.join(", ")
        )));
    }
    let tenants = Path::new(&set.tenants_file);
    let bytes = std::fs::read(tenants).map_err(|e| CommandError::read(tenants, e))?;
    set.check_tenants_file(&bytes)?;
    let request = Request {
        tenants,
        config: Some(Path::new(&set.config_path)),
        only: &selected,
        env: true,
    };
    let fleet = members::load(&request, args.strict, colors)?;
    let mut plans = Vec::new();
    for member in &fleet.members {
        let entry = set.tenants.iter().find(|t| t.name == member.name());
        let Some(file) = entry.and_then(|t| t.plan_file.as_deref()) else {
            return Err(CommandError::Other(format!(
                "the plan folder has no plan for {}",
                member.name()
            )));
        };
        plans.push(read_saved_plan(&dir.join(file))?);
    }
    let runtime = runtime()?;
    runtime.block_on(async {
        let options = plan_options(&fleet, set.resend_write_only);
        let planned = plan_all(&fleet, &args.target.client_options(), &options).await;
        let mut stale = Vec::new();
        for (((member, tenant), live), saved) in fleet
            .members
            .iter()
            .zip(&planned.plan.tenants)
            .zip(&planned.lives)
            .zip(&plans)
        {
            let (Ok(plan), Some(live), Some(file)) = (&tenant.result, live, &member.file) else {
                continue;
            };
            if let Err(e) = check_fresh(saved, &config_hash(&file.bytes), live, plan) {
                stale.push(format!("{}: {}", member.name(), e.reasons.join("; ")));
            }
        }
        if !stale.is_empty() {
            return Err(CommandError::Refused(format!(
                "plan is stale; run plan again. Nothing was sent to any tenant:\n  {}",
                stale.join("\n  ")
            )));
        }
        proceed(&fleet, &planned, args, colors, false).await
    })
}

/// The tenants of the folder `only` picks (all when empty), in the folder's order.
fn select(set: &PlanSet, only: &[String]) -> Result<Vec<String>, CommandError> {
    let names = set.names();
    for name in only {
        if !names.contains(name) {
            let hint = closest(name, names.iter().map(String::as_str))
                .map(|close| format!(" (did you mean `{close}`?)"))
                .unwrap_or_default();
            return Err(CommandError::Other(format!(
                "--only names `{name}`{hint}, which the plan folder has no plan for; it holds: {}",
                names.join(", ")
            )));
        }
    }
    Ok(names
        .into_iter()
        .filter(|name| only.is_empty() || only.contains(name))
        .collect())
}

/// How to plan before applying: the write scopes are checked up front too (the config file is
/// the same for every tenant, so its scopes are).
fn plan_options(fleet: &Fleet, resend: bool) -> PlanOptions {
    let extra_scopes = fleet
        .members
        .iter()
        .find_map(|m| m.file.as_ref())
        .map(|file| required_write_scopes(&file.config.state))
        .unwrap_or_default();
    PlanOptions {
        is_emulator: false,
        resend_write_only: resend,
        extra_scopes,
    }
}

/// Shows the combined plan, refuses what must not be sent, confirms once, rolls out.
async fn proceed(
    fleet: &Fleet,
    planned: &Planned,
    args: &ApplyArgs,
    colors: Colors,
    confirm: bool,
) -> CommandResult {
    write_fleet(
        &planned.plan,
        PlanFormat::Human,
        colors,
        args.allow_dangerous,
    )
    .map_err(|e| CommandError::Refused(format!("{e}; nothing was sent to any tenant")))?;
    step_summary::append_fleet(&planned.plan);
    if let Some(error) = not_planned(&planned.plan) {
        return Err(CommandError::Refused(format!(
            "{error}; nothing was sent to any tenant. Fix them, or leave them out with --only"
        )));
    }
    if planned.plan.total_changes() == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    check_dangerous(&planned.plan, args.allow_dangerous)?;
    if confirm {
        ask(&question(&planned.plan, args.parallel))?;
    }
    let rollout = roll_out(fleet, planned, args.parallel).await;
    let mut table = Vec::new();
    render::fleet::rollout::render(&rollout, &mut table)
        .map_err(|e| CommandError::Other(format!("cannot write the results: {e}")))?;
    scrub::print(&format!("\n{}", String::from_utf8_lossy(&table)));
    match rollout.failure_message() {
        Some(message) => Err(CommandError::Refused(message)),
        None => Ok(ExitCode::SUCCESS),
    }
}

/// Refuses dangerous changes of any tenant without `--allow-dangerous`, before any write.
fn check_dangerous(plan: &FleetPlan, allowed: bool) -> Result<(), CommandError> {
    if allowed || plan.total_dangerous() == 0 {
        return Ok(());
    }
    let mut list = Vec::new();
    for tenant in &plan.tenants {
        let Ok(tenant_plan) = &tenant.result else {
            continue;
        };
        for change in tenant_plan.dangerous_changes() {
            list.push(format!(
                "  {}: {}: {}",
                tenant.name,
                change.address,
                change.dangerous.as_deref().unwrap_or("dangerous")
            ));
        }
    }
    Err(CommandError::Refused(format!(
        "the plans have {} dangerous change(s); nothing was sent to any tenant. Rerun with --allow-dangerous if you mean it:\n{}",
        plan.total_dangerous(),
        list.join("\n")
    )))
}

/// The one question for the whole set.
fn question(plan: &FleetPlan, parallel: bool) -> String {
    let changed: Vec<&str> = plan.with_changes().map(|t| t.name.as_str()).collect();
    let how = if parallel {
        "all at once"
    } else {
        "one after another, in this order"
    };
    format!(
        "\nApply {} change(s) to {} tenant(s), {how}: {}? Only 'yes' is accepted: ",
        plan.total_changes(),
        changed.len(),
        changed.join(", ")
    )
}

/// Applies every tenant (one after another, or all at once) and prints each one's section as
/// it ends; a progressive rollout stops at the first tenant that fails or does not verify.
async fn roll_out(fleet: &Fleet, planned: &Planned, parallel: bool) -> Rollout {
    let jobs: Vec<(&Member, Option<&Plan>, Option<&Client>)> = fleet
        .members
        .iter()
        .zip(&planned.plan.tenants)
        .zip(&planned.clients)
        .map(|((member, tenant), client)| (member, tenant.result.as_ref().ok(), client.as_ref()))
        .collect();
    let mut rollout = Rollout::default();
    if parallel {
        let results = join_all(
            jobs.iter()
                .map(|(member, plan, client)| apply_tenant(member, *plan, *client)),
        )
        .await;
        for ((member, _, _), (status, text)) in jobs.iter().zip(results) {
            print_section(member.name(), &text);
            rollout.tenants.push(TenantApply {
                name: member.name().to_string(),
                status,
            });
        }
        return rollout;
    }
    let mut stopped = false;
    for (member, plan, client) in jobs {
        let (status, text) = if stopped {
            (
                ApplyStatus::NotAttempted,
                "Not attempted: an earlier tenant failed.\n".to_string(),
            )
        } else {
            apply_tenant(member, plan, client).await
        };
        print_section(member.name(), &text);
        stopped |= status.stops_rollout();
        rollout.tenants.push(TenantApply {
            name: member.name().to_string(),
            status,
        });
    }
    rollout
}

fn print_section(name: &str, text: &str) {
    scrub::print(&format!("\n=== {name} ===\n{text}"));
}

/// Applies one tenant's plan and verifies it: its status and its section's text.
async fn apply_tenant(
    member: &Member,
    plan: Option<&Plan>,
    client: Option<&Client>,
) -> (ApplyStatus, String) {
    let (Some(plan), Some(client), Some(file)) = (plan, client, &member.file) else {
        let reason = "it was not planned".to_string();
        return (
            ApplyStatus::Failed {
                reason: reason.clone(),
            },
            format!("{reason}\n"),
        );
    };
    if plan.is_empty() {
        return (ApplyStatus::Unchanged, "No changes.\n".to_string());
    }
    let name = member.name();
    let Applied { report, verified } =
        execute_and_verify(client, file, plan, false, &format!("{name}: ")).await;
    let mut text = String::new();
    let Some(verified) = verified else {
        for result in &report.results {
            text.push_str(&format!("  {result}\n"));
        }
        text.push_str(&format!("{}\n", report.summary()));
        return (
            ApplyStatus::Failed {
                reason: report.summary(),
            },
            text,
        );
    };
    text.push_str(&format!("{}\n", report.summary()));
    match verified {
        Ok(addresses) if addresses.is_empty() => {
            text.push_str("Verified: the tenant matches the configuration.\n");
            (
                ApplyStatus::Applied {
                    changes: plan.changes.len(),
                },
                text,
            )
        }
        Ok(addresses) => {
            text.push_str(&format!(
                "After apply the tenant still differs from the file at: {}\n",
                addresses.join(", ")
            ));
            (ApplyStatus::NotVerified { addresses }, text)
        }
        Err(error) => {
            let error = tenant_error(name, &error);
            text.push_str(&format!(
                "Applied, but the tenant could not be read again to verify it: {}\n",
                error.message
            ));
            (
                ApplyStatus::Failed {
                    reason: format!("applied, not verified: {}", error.summary),
                },
                text,
            )
        }
    }
}
