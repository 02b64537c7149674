//! `mfactl export --tenants TENANTS -o DIR`: every tenant read at once and written as a config
//! file of its own, `DIR/<tenant>.yaml`.

use std::path::Path;
use std::process::ExitCode;

use futures_util::future::join_all;

use crate::api::ClientOptions;
use crate::cli::ExportArgs;
use crate::commands::export::{read_everything, unexported};
use crate::commands::fleet::errors::tenant_error;
use crate::commands::fleet::members::{self, Fleet, Request};
use crate::commands::fleet::plan::clients;
use crate::commands::fleet::{refuse_emulator, tenants_file};
use crate::commands::target::runtime;
use crate::config::export::export;
use crate::error::{CommandError, CommandResult};
use crate::fleet::TenantError;
use crate::live::LiveTenant;
use crate::scrub;
use crate::terminal::Colors;

/// Exit 0 when every tenant was written, 1 otherwise (the others are still written).
pub fn run(args: &ExportArgs) -> CommandResult {
    refuse_emulator(&args.target)?;
    let tenants = tenants_file(&args.fleet)?;
    let Some(dir) = args.output.as_deref() else {
        return Err(CommandError::Other(
            "with --tenants, give a folder to write one file per tenant into: -o DIR".into(),
        ));
    };
    let request = Request {
        tenants,
        config: None,
        only: &args.fleet.only,
        env: true,
    };
    let fleet = members::load(&request, false, Colors::detect())?;
    std::fs::create_dir_all(dir).map_err(|e| CommandError::write(dir, e))?;
    let runtime = runtime()?;
    let lives = runtime.block_on(read_all(&fleet, &args.target.client_options()));
    let mut failed = Vec::new();
    for (member, live) in fleet.members.iter().zip(lives) {
        let name = member.name();
        let written = live.and_then(|live| write_one(dir, name, &live, &fleet));
        if let Err(error) = written {
            scrub::eprint(&format!("error: tenant {name}: {}\n", error.message));
            failed.push(name);
        }
    }
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(CommandError::Other(format!(
            "{} of {} tenants could not be exported: {}",
            failed.len(),
            fleet.members.len(),
            failed.join(", ")
        )))
    }
}

/// Writes one tenant's file and says so on stderr.
fn write_one(dir: &Path, name: &str, live: &LiveTenant, fleet: &Fleet) -> Result<(), TenantError> {
    for note in unexported(live) {
        scrub::eprint(&format!("note: {name}: {note}\n"));
    }
    let exported = export(live, env!("CARGO_PKG_VERSION"))
        .map_err(|e| TenantError::new(format!("cannot write the config: {e}")))?;
    let path = dir.join(format!("{name}.yaml"));
    scrub::write_file(&path, &exported.text)
        .map_err(|e| TenantError::new(CommandError::write(&path, e).to_string()))?;
    let mut line = format!("Wrote {} ({name}, {})", path.display(), live.domain);
    if exported.variables.is_empty() {
        line.push('.');
    } else {
        line.push_str(&format!(
            "; before `mfactl apply`, set {} in the environment or under `vars:` of `{name}` in {}.",
            exported.variables.join(", "),
            fleet.tenants_file
        ));
    }
    scrub::eprint(&format!("{line}\n"));
    Ok(())
}

/// Reads every tenant whole ([`read_everything`]), at once, each with its own client.
pub async fn read_all(
    fleet: &Fleet,
    options: &ClientOptions,
) -> Vec<Result<LiveTenant, TenantError>> {
    let clients = clients(fleet, options);
    let reads = fleet
        .members
        .iter()
        .zip(clients)
        .map(|(member, client)| async move {
            read_everything(&client?)
                .await
                .map_err(|e| tenant_error(member.name(), &e.into()))
        });
    join_all(reads).await
}
