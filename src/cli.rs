//! Command-line definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::emulator::EmulatorArgs;

/// Manage an Auth0 tenant's multi-factor authentication settings as code.
#[derive(Debug, Parser)]
#[command(name = "mfactl", version, about, long_about = None)]
pub struct Cli {
    /// Log more to stderr (-v: info, -vv: debug, -vvv: trace). RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a config file offline and print every problem with its location.
    Validate(ValidateArgs),
    /// Print the JSON Schema of the config file.
    Schema,
    /// Run a local tenant emulator that answers like the Auth0 Management API.
    Emulator(EmulatorArgs),
}

/// Options shared by every command that reads a config file.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The config file.
    #[arg(short, long, value_name = "FILE")]
    pub config: PathBuf,

    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub config: ConfigArgs,

    /// Do not read `${VAR}` references from the environment: check their syntax only, and
    /// skip the checks of the values they stand for (for jobs that hold no secrets).
    #[arg(long)]
    pub no_env: bool,

    /// How to print the result.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
}

/// Output format of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    Human,
    Json,
}
