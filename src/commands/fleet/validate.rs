//! `mfactl validate --tenants TENANTS [-c FILE]`: the tenants file, and the config file as
//! each tenant resolves it, checked offline with every problem at its place; every missing
//! variable of every tenant named in one error.

use std::process::ExitCode;

use crate::cli::{DiagnosticFormat, ValidateArgs};
use crate::commands::fleet::members::{self, Request};
use crate::commands::fleet::tenants_file;
use crate::error::{CommandError, CommandResult};
use crate::terminal::Colors;

/// Exit 0 when both files are valid for every tenant (and, unless `--no-env`, every variable
/// is set), 1 otherwise.
pub fn run(args: &ValidateArgs, colors: Colors) -> CommandResult {
    let tenants = tenants_file(&args.fleet)?;
    let mut configs = args.paths();
    let config = configs.next();
    if configs.next().is_some() {
        return Err(CommandError::Other(
            "with --tenants, give one config file: it is checked for every tenant".into(),
        ));
    }
    let request = Request {
        tenants,
        config: config.map(|p| p.as_path()),
        only: &args.fleet.only,
        env: !args.no_env,
    };
    let checked = members::check(&request)?;
    match args.format {
        DiagnosticFormat::Human => checked.report(args.strict, colors, true),
        DiagnosticFormat::Json => checked.report_json(args.strict),
    }
    Ok(if checked.is_usable(args.strict) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
