//! `mfactl plan -c FILE --tenants TENANTS`: every tenant planned at once, one section per
//! tenant then a summary table (or one JSON document, or one pull-request comment); a tenant
//! that fails is reported in its row and the others are still planned.

use std::path::Path;
use std::process::ExitCode;

use futures_util::future::join_all;

use crate::api::{Client, ClientOptions};
use crate::cli::{PlanArgs, PlanFormat};
use crate::commands::fleet::errors::tenant_error;
use crate::commands::fleet::members::{self, Fleet, Request};
use crate::commands::fleet::{refuse_emulator, tenants_file};
use crate::commands::plan::print_rendered;
use crate::commands::planning::{PlanOptions, plan_against};
use crate::commands::step_summary;
use crate::commands::target::runtime;
use crate::error::{CommandError, CommandResult};
use crate::fleet::plan_set::{PLAN_SET_FILE, PlanSet, PlanSetEntry, plan_file_name};
use crate::fleet::{FleetPlan, TenantError, TenantPlan};
use crate::live::LiveTenant;
use crate::plan::saved::{SavedPlan, config_hash};
use crate::render;
use crate::scrub;
use crate::terminal::Colors;

/// Exit 0 (with `--detailed-exitcode`: 0 when no tenant has changes, 2 when some has), 1 when
/// any tenant could not be planned.
pub fn run(args: &PlanArgs, colors: Colors) -> CommandResult {
    refuse_emulator(&args.target)?;
    let tenants = tenants_file(&args.fleet)?;
    let request = Request {
        tenants,
        config: Some(&args.config.config),
        only: &args.fleet.only,
        env: true,
    };
    let fleet = members::load(&request, args.config.strict, colors)?;
    let runtime = runtime()?;
    runtime.block_on(async {
        let options = PlanOptions {
            resend_write_only: args.resend_write_only,
            ..PlanOptions::default()
        };
        let planned = plan_all(&fleet, &args.target.client_options(), &options).await;
        // Saved before printing: a folder that cannot be written prints nothing.
        let saved = match &args.out {
            Some(dir) => Some(save(dir, &fleet, &planned, args.resend_write_only)?),
            None => None,
        };
        write_fleet(&planned.plan, args.format, colors, false)?;
        if let Some(line) = saved {
            scrub::eprint(&line);
        }
        step_summary::append_fleet(&planned.plan);
        if let Some(error) = not_planned(&planned.plan) {
            return Err(error);
        }
        let code = if args.detailed_exitcode {
            planned.plan.detailed_exit_code()
        } else {
            0
        };
        Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
    })
}

/// Every tenant's plan, with what apply needs of each tenant that was planned.
pub struct Planned {
    pub plan: FleetPlan,
    /// Per tenant, in order: its client (`None` when it could not be built).
    pub clients: Vec<Option<Client>>,
    /// Per tenant, in order: the live state its plan was made from.
    pub lives: Vec<Option<LiveTenant>>,
}

/// Plans every tenant of `fleet` at once, each with its own client (and so its own
/// rate-limit bucket). A tenant's failure is its result; the others go on.
pub async fn plan_all(
    fleet: &Fleet,
    client_options: &ClientOptions,
    options: &PlanOptions,
) -> Planned {
    let clients = clients(fleet, client_options);
    let plans = fleet
        .members
        .iter()
        .zip(&clients)
        .map(|(member, client)| async move {
            let client = client.as_ref().map_err(Clone::clone)?;
            let Some(file) = &member.file else {
                return Err(TenantError::new(
                    "no config file was loaded for this tenant",
                ));
            };
            plan_against(client, file, options)
                .await
                .map_err(|e| tenant_error(member.name(), &e))
        });
    let results = join_all(plans).await;
    let mut planned = Planned {
        plan: FleetPlan::default(),
        clients: Vec::new(),
        lives: Vec::new(),
    };
    for ((member, client), result) in fleet.members.iter().zip(clients).zip(results) {
        let (result, live) = match result {
            Ok((plan, live)) => (Ok(plan), Some(live)),
            Err(error) => (Err(error), None),
        };
        planned.plan.tenants.push(TenantPlan {
            name: member.name().to_string(),
            domain: member.settings.domain.clone(),
            result,
        });
        planned.clients.push(client.ok());
        planned.lives.push(live);
    }
    planned
}

/// A client per tenant, in order, all sharing one HTTP client (built once: building one
/// takes milliseconds, which a run of many tenants would otherwise pay one after another).
pub fn clients(fleet: &Fleet, options: &ClientOptions) -> Vec<Result<Client, TenantError>> {
    let Some(first) = fleet.members.first() else {
        return Vec::new();
    };
    match Client::new(first.settings.clone(), options.clone()) {
        Ok(base) => fleet
            .members
            .iter()
            .map(|member| Ok(base.sharing(member.settings.clone())))
            .collect(),
        Err(error) => {
            let error = CommandError::from(error);
            fleet
                .members
                .iter()
                .map(|member| Err(tenant_error(member.name(), &error)))
                .collect()
        }
    }
}

/// Prints the plans on stdout in the chosen format, scrubbed of every secret; with
/// `dangerous_allowed` (an apply given `--allow-dangerous`), without the line saying dangerous
/// changes need it. Errors as [`print_rendered`].
pub fn write_fleet(
    plan: &FleetPlan,
    format: PlanFormat,
    colors: Colors,
    dangerous_allowed: bool,
) -> Result<(), CommandError> {
    print_rendered(|out| match format {
        PlanFormat::Human if dangerous_allowed => {
            render::fleet::human::render_dangerous_allowed(plan, out, colors.stdout)
        }
        PlanFormat::Human => render::fleet::human::render(plan, out, colors.stdout),
        PlanFormat::Json => render::fleet::json::render(plan, out),
        PlanFormat::Markdown => render::fleet::markdown::render(plan, out),
    })
}

/// The error a run ends with when some tenant could not be planned.
pub fn not_planned(plan: &FleetPlan) -> Option<CommandError> {
    let failed: Vec<&str> = plan.failed().map(|t| t.name.as_str()).collect();
    (!failed.is_empty()).then(|| {
        CommandError::Other(format!(
            "{} of {} tenants could not be planned: {}",
            failed.len(),
            plan.tenants.len(),
            failed.join(", ")
        ))
    })
}

/// Saves one plan per tenant planned into `dir`, and the folder's index; returns the line that
/// says so, for stderr.
fn save(
    dir: &Path,
    fleet: &Fleet,
    planned: &Planned,
    resend: bool,
) -> Result<String, CommandError> {
    std::fs::create_dir_all(dir).map_err(|e| CommandError::write(dir, e))?;
    let config = fleet.members.iter().find_map(|m| m.file.as_ref());
    let config_path = config.map(|c| c.path.as_str()).unwrap_or_default();
    let mut set = PlanSet::new(&fleet.tenants_file, &fleet.tenants_bytes, config_path);
    set.resend_write_only = resend;
    for ((member, tenant), live) in fleet
        .members
        .iter()
        .zip(&planned.plan.tenants)
        .zip(&planned.lives)
    {
        let name = plan_file_name(member.name());
        let path = dir.join(&name);
        let entry = match (&tenant.result, live, &member.file) {
            (Ok(plan), Some(live), Some(file)) => {
                let mut saved = SavedPlan::new(plan, live, &file.path, &config_hash(&file.bytes));
                saved.resend_write_only = resend;
                let text = saved
                    .to_json()
                    .map_err(|e| CommandError::Other(format!("cannot encode the plan: {e}")))?;
                scrub::write_file(&path, &text).map_err(|e| CommandError::write(&path, e))?;
                PlanSetEntry {
                    name: member.name().to_string(),
                    plan_file: Some(name),
                    error: None,
                }
            }
            (result, _, _) => {
                // A plan left from an earlier run must not pass for this one's.
                if path.exists() {
                    std::fs::remove_file(&path).map_err(|e| CommandError::write(&path, e))?;
                }
                PlanSetEntry {
                    name: member.name().to_string(),
                    plan_file: None,
                    error: Some(result.as_ref().err().map_or_else(
                        || "it could not be planned".to_string(),
                        |e| e.summary.clone(),
                    )),
                }
            }
        };
        set.tenants.push(entry);
    }
    let index = dir.join(PLAN_SET_FILE);
    let text = set
        .to_json()
        .map_err(|e| CommandError::Other(format!("cannot encode the plan index: {e}")))?;
    scrub::write_file(&index, &text).map_err(|e| CommandError::write(&index, e))?;
    let saved = set.tenants.iter().filter(|t| t.plan_file.is_some()).count();
    let shown = dir.display();
    Ok(if saved == set.tenants.len() {
        format!(
            "Saved the plans of {saved} tenants to {shown}; apply them with `mfactl apply {shown}`.\n"
        )
    } else {
        let unplanned: Vec<&str> = set.unplanned().iter().map(|(name, _)| *name).collect();
        format!(
            "Saved the plans of {saved} of {} tenants to {shown}. No plan for: {}; `mfactl apply {shown}` refuses the folder until they are planned (or apply the others with --only).\n",
            set.tenants.len(),
            unplanned.join(", ")
        )
    })
}
