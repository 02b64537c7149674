//! Command-line definitions.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::emulator::EmulatorArgs;

pub mod users;

/// What every exit code means; shown at the end of `mfactl --help`.
pub const EXIT_CODES_HELP: &str = "Exit codes:
  0  success (with `plan --detailed-exitcode`: no changes)
  1  error, a mistyped command line included
  2  only with `plan --detailed-exitcode`: the plan has changes (with --tenants: some
     tenant's plan has; with `diff-tenants --detailed-exitcode`: the tenants differ)";

/// Manage an Auth0 tenant's multi-factor authentication settings as code.
#[derive(Debug, Parser)]
#[command(name = "mfactl", version, about, long_about = None, after_help = EXIT_CODES_HELP)]
pub struct Cli {
    /// Log more to stderr (-v: info, -vv: debug, -vvv: trace). RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

/// Prints a command-line parsing error (or the help or version text clap answers with) and
/// returns the exit code: 0 for `--help` and `--version`, 1 for every usage error. Clap's own
/// code for usage errors is 2, which `plan --detailed-exitcode` reserves for "changes", so a
/// mistyped cron job would read as drift forever.
pub fn parse_error_exit(error: &clap::Error) -> ExitCode {
    let _ = error.print();
    if error.use_stderr() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check config files offline and print every problem with its location.
    Validate(ValidateArgs),
    /// Read the live tenant and show what apply would change.
    Plan(PlanArgs),
    /// Change the tenant to match the config file, or apply a saved plan.
    Apply(ApplyArgs),
    /// Write the live tenant as a config file.
    Export(ExportArgs),
    /// Print the JSON Schema of the config file.
    Schema,
    /// Run a local tenant emulator that answers like the Auth0 Management API.
    Emulator(EmulatorArgs),
    /// Print a shell completion script on stdout.
    Completions(CompletionsArgs),
    /// Print the man page (roff) on stdout, or write one page per command to a folder.
    Man(ManArgs),
    /// One user's MFA: authentication methods, Guardian enrollments, recovery code, remembered
    /// browsers.
    Users(users::UsersArgs),
    /// Guardian enrollments by id, and enrollment tickets (links a user enrolls with).
    Enrollments(users::EnrollmentsArgs),
    /// Show where the tenants of a tenants file differ, setting by setting (no config file).
    DiffTenants(DiffTenantsArgs),
    /// Turn a deploy-cli or Terraform MFA configuration into an mfactl config file.
    #[command(subcommand)]
    Convert(ConvertCommand),
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

/// `validate` takes its files as `-c FILE`, as positional arguments (as pre-commit passes
/// them), or both; at least one.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("input").required(true).multiple(true).args(["config", "files", "tenants"]))]
pub struct ValidateArgs {
    /// The config file.
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// More config files; each is checked on its own.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,

    /// Do not read `${VAR}` references from the environment: check their syntax only, and
    /// skip the checks of the values they stand for (for jobs that hold no secrets).
    #[arg(long)]
    pub no_env: bool,

    /// How to print the result.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,

    #[command(flatten)]
    pub fleet: TenantsArgs,
}

impl ValidateArgs {
    /// The files to check, in the order given: `-c FILE` first, then the positional ones.
    pub fn paths(&self) -> impl Iterator<Item = &PathBuf> {
        self.config.iter().chain(&self.files)
    }
}

/// Output format of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    Human,
    Json,
}

/// Where the live tenant is.
#[derive(Debug, Clone, Args)]
pub struct TargetArgs {
    /// Run against a built-in emulator seeded as a new tenant instead of AUTH0_DOMAIN (no
    /// account needed; the file's `tenant:` guard is skipped). For `users` and `enrollments`
    /// the tenant has one demo user, jo.doe@example.com; nothing is kept after the command.
    #[arg(long)]
    pub emulator: bool,

    /// Attempts per request, the first included, before giving up (429, 5xx, timeouts and
    /// dropped connections are retried).
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub max_attempts: u32,

    /// Seconds one request may take: its token request, pacing waits, every attempt (connect,
    /// TLS, headers, body) and the backoff between attempts. Nothing waits past it.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub request_deadline: u64,
}

impl TargetArgs {
    /// The client options these arguments ask for.
    pub fn client_options(&self) -> crate::api::ClientOptions {
        crate::api::ClientOptions {
            max_attempts: self.max_attempts,
            deadline: std::time::Duration::from_secs(self.request_deadline),
            ..crate::api::ClientOptions::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub config: ConfigArgs,

    #[command(flatten)]
    pub target: TargetArgs,

    /// How to print the plan on stdout.
    #[arg(long, value_enum, default_value_t = PlanFormat::Human)]
    pub format: PlanFormat,

    /// Also save the plan to this file, for `mfactl apply FILE` (it never holds a secret). With
    /// --tenants: a folder, with one plan per tenant, for `mfactl apply DIR`.
    #[arg(long, value_name = "PLANFILE")]
    pub out: Option<PathBuf>,

    /// Exit 0 when there is nothing to change, 2 when there are changes, 1 on error.
    #[arg(long)]
    pub detailed_exitcode: bool,

    /// Plan to send write-only values (SNS secret, APNs p12, FCM keys) even when nothing else
    /// in their resource changed.
    #[arg(long)]
    pub resend_write_only: bool,

    #[command(flatten)]
    pub fleet: TenantsArgs,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// A plan saved by `mfactl plan --out` (or a folder of plans saved with --tenants);
    /// applied without asking, if still current.
    #[arg(value_name = "PLANFILE", conflicts_with = "config")]
    pub plan_file: Option<PathBuf>,

    /// The config file to apply (plans first, then asks).
    #[arg(
        short,
        long,
        value_name = "FILE",
        required_unless_present = "plan_file"
    )]
    pub config: Option<PathBuf>,

    /// Treat config warnings as errors.
    #[arg(long)]
    pub strict: bool,

    #[command(flatten)]
    pub target: TargetArgs,

    /// Do not ask for confirmation.
    #[arg(long)]
    pub auto_approve: bool,

    /// Allow changes marked dangerous (turning MFA off, disabling every factor).
    #[arg(long)]
    pub allow_dangerous: bool,

    /// Send write-only values even when nothing else in their resource changed.
    #[arg(long)]
    pub resend_write_only: bool,

    #[command(flatten)]
    pub fleet: TenantsArgs,

    /// With several tenants: apply them all at once instead of one after another in the
    /// tenants file's order (a progressive rollout, which stops at the first tenant that fails).
    #[arg(long)]
    pub parallel: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write to this file instead of stdout (with --tenants: into this folder, one file per
    /// tenant).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write these users' authentication methods (`users:`), by user id or email (looked
    /// up; needs read:users). Phone numbers and emails come masked, as the API reads them; no
    /// other user is ever exported. Not with --tenants: a user id belongs to one tenant.
    #[arg(long, value_name = "USER", num_args = 1.., conflicts_with_all = ["tenants", "only"])]
    pub users: Vec<String>,

    #[command(flatten)]
    pub target: TargetArgs,

    #[command(flatten)]
    pub fleet: TenantsArgs,
}

/// Output format of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Human,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `mfactl.1` and a page per subcommand (`mfactl-plan.1`, …) into this folder
    /// instead of printing `mfactl.1`.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Several tenants in one run, from a tenants file.
#[derive(Debug, Clone, Default, Args)]
pub struct TenantsArgs {
    /// Run over every tenant of this tenants file instead of the AUTH0_* environment:
    /// `tenants: {NAME: {domain, client_id + client_secret | api_token, vars}}`. The config
    /// file's `${VAR}`s come from each tenant's `vars` first, then from the environment.
    #[arg(long, value_name = "FILE")]
    pub tenants: Option<PathBuf>,

    /// Only these tenants of the tenants file (or of a plan folder), comma-separated; they
    /// keep the file's order.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub only: Vec<String>,
}

impl TenantsArgs {
    /// Whether the command runs over several tenants (or was asked to, with `--only`).
    pub fn is_used(&self) -> bool {
        self.tenants.is_some() || !self.only.is_empty()
    }
}

#[derive(Debug, Args)]
#[command(mut_arg("emulator", |arg| arg.hide(true)))]
pub struct DiffTenantsArgs {
    /// The tenants file: `tenants: {NAME: {domain, client_id + client_secret | api_token}}`.
    #[arg(long, value_name = "FILE")]
    pub tenants: PathBuf,

    /// Only these tenants (at least two), comma-separated.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub only: Vec<String>,

    /// How to print the differences.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,

    /// Exit 0 when the tenants have the same settings, 2 when they differ, 1 on error.
    #[arg(long)]
    pub detailed_exitcode: bool,

    #[command(flatten)]
    pub target: TargetArgs,
}

/// What `mfactl convert` reads.
#[derive(Debug, Subcommand)]
pub enum ConvertCommand {
    /// Convert an auth0-deploy-cli `tenant.yaml`, or a directory export (its `guardian/`,
    /// `prompts/custom-text.json`, `phone-providers/`, `phone-templates/` and `tenant.json`).
    DeployCli(ConvertDeployCliArgs),
    /// Convert the `auth0_guardian` resource of Terraform files (`.tfvars` files give
    /// variables' values).
    Terraform(ConvertTerraformArgs),
}

#[derive(Debug, Args)]
pub struct ConvertDeployCliArgs {
    /// The `tenant.yaml`, or the directory of a directory export.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,

    /// Write to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ConvertTerraformArgs {
    /// The `.tf` files (and any `.tfvars` files) to read.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Write to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
