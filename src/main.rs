use std::process::ExitCode;

use clap::Parser;
use mfactl::cli::{Cli, Command, parse_error_exit};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return parse_error_exit(&error),
    };
    mfactl::logging::init(cli.verbose);
    match cli.command {
        Command::Validate(args) => mfactl::commands::validate::run(&args),
        Command::Plan(args) => mfactl::commands::plan::run(&args),
        Command::Apply(args) => mfactl::commands::apply::run(&args),
        Command::Export(args) => mfactl::commands::export::run(&args),
        Command::Schema => mfactl::commands::schema::run(),
        Command::Emulator(args) => mfactl::emulator::run_command(args),
        Command::Completions(args) => mfactl::commands::completions::run(&args),
        Command::Man(args) => mfactl::commands::man::run(&args),
    }
}
