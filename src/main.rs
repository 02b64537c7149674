use std::process::ExitCode;

use clap::Parser;
use mfactl::cli::{Cli, Command, parse_error_exit};
use mfactl::commands;
use mfactl::terminal::Colors;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return parse_error_exit(&error),
    };
    let colors = Colors::detect();
    mfactl::logging::init(cli.verbose, colors.stderr);
    let result = match cli.command {
        Command::Validate(args) => commands::validate::run(&args, colors),
        Command::Plan(args) => commands::plan::run(&args, colors),
        Command::Apply(args) => commands::apply::run(&args, colors),
        Command::Export(args) => commands::export::run(&args),
        Command::Schema => Ok(commands::schema::run()),
        Command::Emulator(args) => Ok(mfactl::emulator::run_command(args)),
        Command::Completions(args) => Ok(commands::completions::run(&args)),
        Command::Man(args) => Ok(commands::man::run(&args)),
        Command::Users(args) => commands::users::run(&args, colors),
        Command::Enrollments(args) => commands::enrollments::run(&args, colors),
        Command::DiffTenants(args) => commands::fleet::diff_tenants::run(&args, colors),
        Command::Convert(args) => commands::convert::run(&args),
    };
    // Whatever the command, results that did not all reach stdout (a full disk, a device
    // error) end it with exit 1: a script must not take a truncated plan or export for the
    // whole of it.
    let written = mfactl::stdout::finish();
    match (result, written) {
        (Ok(code), Ok(())) => code,
        (Ok(_), Err(failure)) => {
            mfactl::scrub::eprint(&format!(
                "error: cannot write to stdout: {failure}; the output is incomplete\n"
            ));
            ExitCode::FAILURE
        }
        (Err(error), _) => {
            mfactl::scrub::eprint(&format!("error: {error}\n"));
            error.exit_code()
        }
    }
}
