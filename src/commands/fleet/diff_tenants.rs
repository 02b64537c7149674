//! `mfactl diff-tenants --tenants TENANTS`: where the tenants differ from each other, setting
//! by setting, without a config file ("is prod configured like staging?"). Each tenant is
//! read whole, at once; secrets are compared, never shown.

use std::process::ExitCode;

use crate::cli::{DiagnosticFormat, DiffTenantsArgs};
use crate::commands::fleet::export::read_all;
use crate::commands::fleet::members::{self, Request};
use crate::commands::fleet::refuse_emulator;
use crate::commands::target::runtime;
use crate::error::{CommandError, CommandResult};
use crate::fleet::compare::compare;
use crate::live::LiveTenant;
use crate::plan::{EXIT_CHANGES, EXIT_NO_CHANGES};
use crate::render::fleet::{comparison_human, comparison_json};
use crate::scrub;
use crate::terminal::Colors;

/// Exit 0 (with `--detailed-exitcode`: 0 when the tenants are the same, 2 when they differ),
/// 1 when a tenant could not be read (the others are still compared).
pub fn run(args: &DiffTenantsArgs, colors: Colors) -> CommandResult {
    refuse_emulator(&args.target)?;
    let request = Request {
        tenants: &args.tenants,
        config: None,
        only: &args.only,
        env: true,
    };
    let fleet = members::load(&request, false, colors)?;
    if fleet.members.len() < 2 {
        return Err(CommandError::Other(format!(
            "diff-tenants compares two tenants or more; {} picks only {}",
            if args.only.is_empty() {
                fleet.tenants_file.as_str()
            } else {
                "--only"
            },
            fleet.names().join(", ")
        )));
    }
    let runtime = runtime()?;
    let lives = runtime.block_on(read_all(&fleet, &args.target.client_options()));
    let mut read: Vec<(&str, LiveTenant)> = Vec::new();
    let mut failed = Vec::new();
    for (member, live) in fleet.members.iter().zip(lives) {
        match live {
            Ok(live) => read.push((member.name(), live)),
            Err(error) => {
                scrub::eprint(&format!(
                    "error: tenant {} cannot be read: {}\n",
                    member.name(),
                    error.message
                ));
                failed.push(member.name());
            }
        }
    }
    if read.len() >= 2 {
        let tenants: Vec<(&str, &LiveTenant)> = read.iter().map(|(n, l)| (*n, l)).collect();
        let comparison = compare(&tenants);
        let mut out = Vec::new();
        let written = match args.format {
            DiagnosticFormat::Human => {
                comparison_human::render(&comparison, &mut out, colors.stdout)
            }
            DiagnosticFormat::Json => comparison_json::render(&comparison, &mut out),
        };
        written.map_err(|e| CommandError::Other(format!("cannot write the comparison: {e}")))?;
        scrub::print(&String::from_utf8_lossy(&out));
        if failed.is_empty() {
            let differs = comparison.differences().next().is_some();
            let code = if args.detailed_exitcode && differs {
                EXIT_CHANGES
            } else {
                EXIT_NO_CHANGES
            };
            return Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)));
        }
    }
    Err(CommandError::Other(format!(
        "{} of {} tenants could not be read: {}{}",
        failed.len(),
        fleet.members.len(),
        failed.join(", "),
        if read.len() >= 2 {
            "; the comparison leaves them out"
        } else {
            "; nothing left to compare"
        }
    )))
}
