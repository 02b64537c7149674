//! `mfactl export`: the live tenant as a config file.

use std::process::ExitCode;

use crate::api::read_live;
use crate::cli::ExportArgs;
use crate::commands::target::{connect, runtime};
use crate::config::export::{everything, export};
use crate::scrub;

pub fn run(args: &ExportArgs) -> ExitCode {
    match run_export(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            scrub::eprint(&format!("error: {message}\n"));
            ExitCode::FAILURE
        }
    }
}

fn run_export(args: &ExportArgs) -> Result<(), String> {
    let runtime = runtime()?;
    let live = runtime.block_on(async {
        let target = connect(&args.target).await?;
        read_live(&target.client, &everything())
            .await
            .map_err(|e| e.to_string())
    })?;
    let consolidated = live.consolidated_phone == Some(true);
    for (address, why) in &live.unavailable {
        if consolidated && address.is_legacy_phone() {
            // Expected: this tenant keeps its phone settings in Tenant Phone Settings.
            continue;
        }
        scrub::eprint(&format!(
            "note: `{address}` is not exported: the tenant cannot use it ({}: {})\n",
            why.error_code, why.message
        ));
    }
    let exported = export(&live, env!("CARGO_PKG_VERSION"))
        .map_err(|e| format!("cannot write the config: {e}"))?;
    match &args.output {
        Some(path) => {
            scrub::write_file(path, &exported.text)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            scrub::eprint(&format!("Wrote {}.\n", path.display()));
        }
        None => scrub::print(&exported.text),
    }
    if !exported.variables.is_empty() {
        scrub::eprint(&format!(
            "Set these environment variables before `mfactl apply`: {}\n",
            exported.variables.join(", ")
        ));
    }
    Ok(())
}
