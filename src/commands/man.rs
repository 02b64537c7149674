//! `mfactl man`: the man page, generated from the command line's own definition by
//! clap_mangen.

use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::{Cli, ManArgs};
use crate::stdout;

/// Exit 0, or 1 when the page cannot be made or written (a failed write to stdout is reported
/// by `main`, [`stdout::finish`]).
pub fn run(args: &ManArgs) -> ExitCode {
    match &args.dir {
        Some(dir) => write_pages(dir),
        None => {
            let mut page = Vec::new();
            // As clap_mangen's own `generate_to` does: `help` gets no page, so it is not listed.
            let command = Cli::command().disable_help_subcommand(true);
            match clap_mangen::Man::new(command).render(&mut page) {
                Ok(()) => {
                    let _ = stdout::write_all(&page);
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: cannot render the man page: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Writes `mfactl.1` and one page per subcommand (`mfactl-plan.1`, …) into `dir`, creating it
/// when missing.
fn write_pages(dir: &std::path::Path) -> ExitCode {
    let written =
        std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(Cli::command(), dir));
    match written {
        Ok(()) => {
            eprintln!("Wrote the man pages to {}.", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "error: cannot write the man pages to {}: {e}",
                dir.display()
            );
            ExitCode::FAILURE
        }
    }
}
