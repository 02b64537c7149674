//! Arguments of `mfactl users …` and `mfactl enrollments …`: one person's MFA.

use clap::builder::PossibleValuesParser;
use clap::{ArgGroup, Args, Subcommand, ValueEnum};

use crate::cli::TargetArgs;
use crate::users::method::{MULTIFACTOR_PROVIDERS, PhonePreference, TICKET_FACTORS};

/// How a users' MFA command prints its result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Tables and sentences.
    #[default]
    Human,
    /// The API's objects as JSON (phone numbers and emails masked as the API masks them).
    Json,
}

/// `mfactl users …`.
#[derive(Debug, Args)]
pub struct UsersArgs {
    #[command(subcommand)]
    pub command: UsersCommand,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// List, show, add, change or delete a user's authentication methods.
    #[command(subcommand)]
    Methods(MethodsCommand),
    /// Delete every authentication method of a user (e.g. after a lost phone); shows them and
    /// asks first.
    Reset(ConfirmedUserArgs),
    /// Show a user's Guardian enrollments.
    Enrollments(UserOutputArgs),
    /// Make a new recovery code for a user; prints it once, on stdout only.
    RecoveryCode(UserOutputArgs),
    /// Make every browser the user ticked "remember me" on ask for MFA again (e.g. after a
    /// stolen laptop).
    ForgetBrowsers(UserArgs),
    /// Remove a legacy MFA provider from a user; asks first.
    RemoveProvider(RemoveProviderArgs),
    /// Add many users' authentication methods from a file (CSV, JSON Lines, or Auth0's
    /// bulk-import users JSON), paced at the tenant's rate limit; resumable.
    Import(ImportArgs),
}

/// The format of an import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// Comma-separated, with a header row of column names.
    Csv,
    /// One JSON object per line, keyed by column name.
    Jsonl,
    /// Auth0's bulk-import users file: a JSON array of users, each with `mfa_factors`.
    Auth0,
}

/// `mfactl users import FILE`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file. CSV or JSON Lines: columns user (a user id or an email), type (phone, email,
    /// totp), phone_number, email, totp_secret, preferred (sms, voice), name. Or Auth0's
    /// bulk-import users JSON, whose `mfa_factors` become the rows.
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,

    /// The file's format. By default from its name: .csv, .jsonl or .ndjson; a .json file
    /// that starts with `[` is Auth0's bulk-import format, one that starts with `{` JSON Lines.
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,

    /// Check every row offline, report every bad row with its line, and send nothing. Exit 1
    /// if any row is bad.
    #[arg(long)]
    pub dry_run: bool,

    /// The journal that makes the import resumable: rows done are never sent again. Default:
    /// FILE.journal beside the input. It holds row numbers and salted hashes, never a value.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<std::path::PathBuf>,

    /// Write one JSON line per failed row to this file: line, user, value (masked), reason.
    #[arg(long, value_name = "FILE")]
    pub report: Option<std::path::PathBuf>,

    /// Seconds between progress lines when stderr is not a terminal (a terminal gets a bar).
    #[arg(long, value_name = "SECONDS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub progress_every: u64,

    #[command(flatten)]
    pub target: TargetArgs,
}

/// `mfactl users methods …`.
#[derive(Debug, Subcommand)]
pub enum MethodsCommand {
    /// List a user's authentication methods.
    List(UserOutputArgs),
    /// Show one authentication method.
    Get(MethodOutputArgs),
    /// Enroll a phone, an email address, an authenticator app or a security key for a user.
    Add(AddMethodArgs),
    /// Rename a method, or change a phone's preferred delivery.
    Update(UpdateMethodArgs),
    /// Delete one authentication method; shows it and asks first.
    Delete(DeleteMethodArgs),
}

/// A user, named by user id (`auth0|…`) or by email address (looked up; it must match one
/// user).
#[derive(Debug, Args)]
pub struct UserArgs {
    /// The user: a user id (e.g. auth0|640b5a0ed3534be8b2db9dd3) or an email address.
    #[arg(value_name = "USER")]
    pub user: String,

    #[command(flatten)]
    pub target: TargetArgs,
}

#[derive(Debug, Args)]
pub struct UserOutputArgs {
    #[command(flatten)]
    pub user: UserArgs,

    /// How to print the result.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

/// Options of a command that deletes something.
#[derive(Debug, Args)]
pub struct Confirmation {
    /// Do not ask; needed when there is no terminal to ask on.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct ConfirmedUserArgs {
    #[command(flatten)]
    pub user: UserArgs,

    #[command(flatten)]
    pub confirmation: Confirmation,
}

#[derive(Debug, Args)]
pub struct MethodOutputArgs {
    #[command(flatten)]
    pub user: UserArgs,

    /// The method's id, e.g. phone|dev_kXVq4drj3Mw6uCF5 (see `users methods list`).
    #[arg(value_name = "METHOD_ID")]
    pub method_id: String,

    /// How to print the result.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct DeleteMethodArgs {
    #[command(flatten)]
    pub user: UserArgs,

    /// The method's id, e.g. phone|dev_kXVq4drj3Mw6uCF5 (see `users methods list`).
    #[arg(value_name = "METHOD_ID")]
    pub method_id: String,

    #[command(flatten)]
    pub confirmation: Confirmation,
}

/// What to enroll: exactly one of --phone, --email, --totp-secret-env, --totp-secret-stdin,
/// --webauthn-key-id.
#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("kind")
        .required(true)
        .args(["phone", "email", "totp_secret_env", "totp_secret_stdin", "webauthn_key_id"])
))]
pub struct AddMethodArgs {
    #[command(flatten)]
    pub user: UserArgs,

    /// A phone number for SMS codes, in E.164 form (e.g. +15551234567; spaces, dashes and dots
    /// between the digits are dropped).
    #[arg(long, value_name = "NUMBER")]
    pub phone: Option<String>,

    /// With --phone: voice calls instead of SMS.
    #[arg(
        long,
        requires = "phone",
        conflicts_with_all = ["email", "totp_secret_env", "totp_secret_stdin", "webauthn_key_id"]
    )]
    pub voice: bool,

    /// An email address for codes by email.
    #[arg(long, value_name = "ADDRESS")]
    pub email: Option<String>,

    /// An authenticator app (TOTP): the base32 secret is in this environment variable (a secret
    /// never goes on the command line, where shell history and `ps` would show it).
    #[arg(long, value_name = "VAR")]
    pub totp_secret_env: Option<String>,

    /// An authenticator app (TOTP): read the base32 secret from stdin (asked without echo on a
    /// terminal).
    #[arg(long)]
    pub totp_secret_stdin: bool,

    /// A WebAuthn security key: its credential id.
    #[arg(long, value_name = "ID", requires_all = ["public_key", "relying_party"])]
    pub webauthn_key_id: Option<String>,

    /// With --webauthn-key-id: the key's public key, base64.
    #[arg(long, value_name = "B64", requires = "webauthn_key_id")]
    pub public_key: Option<String>,

    /// With --webauthn-key-id: the relying party's host, e.g. acme.eu.auth0.com.
    #[arg(long, value_name = "HOST", requires = "webauthn_key_id")]
    pub relying_party: Option<String>,

    /// A label the user recognises the method by.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// How to print the result.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("change").required(true).multiple(true).args(["name", "preferred"])))]
pub struct UpdateMethodArgs {
    #[command(flatten)]
    pub user: UserArgs,

    /// The method's id, e.g. phone|dev_kXVq4drj3Mw6uCF5 (see `users methods list`).
    #[arg(value_name = "METHOD_ID")]
    pub method_id: String,

    /// A new label.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Phone methods: deliver codes by SMS or by voice call.
    #[arg(long, value_name = "HOW", value_parser = PossibleValuesParser::new(PhonePreference::NAMES))]
    pub preferred: Option<String>,

    /// How to print the result.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct RemoveProviderArgs {
    #[command(flatten)]
    pub user: UserArgs,

    /// The legacy provider.
    #[arg(value_name = "PROVIDER", value_parser = PossibleValuesParser::new(MULTIFACTOR_PROVIDERS))]
    pub provider: String,

    #[command(flatten)]
    pub confirmation: Confirmation,
}

/// `mfactl enrollments …`.
#[derive(Debug, Args)]
pub struct EnrollmentsArgs {
    #[command(subcommand)]
    pub command: EnrollmentsCommand,
}

#[derive(Debug, Subcommand)]
pub enum EnrollmentsCommand {
    /// Show one Guardian enrollment.
    Get(EnrollmentOutputArgs),
    /// Delete one Guardian enrollment; shows it and asks first.
    Delete(DeleteEnrollmentArgs),
    /// Make an enrollment link for a user (Auth0 can email it).
    Ticket(TicketArgs),
}

#[derive(Debug, Args)]
pub struct EnrollmentOutputArgs {
    /// The enrollment's id, e.g. dev_kXVq4drj3Mw6uCF5 (see `users enrollments USER`).
    #[arg(value_name = "ID")]
    pub id: String,

    #[command(flatten)]
    pub target: TargetArgs,

    /// How to print the result.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct DeleteEnrollmentArgs {
    /// The enrollment's id, e.g. dev_kXVq4drj3Mw6uCF5 (see `users enrollments USER`).
    #[arg(value_name = "ID")]
    pub id: String,

    #[command(flatten)]
    pub target: TargetArgs,

    #[command(flatten)]
    pub confirmation: Confirmation,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("mail").multiple(true).args(["send_mail", "email"])))]
pub struct TicketArgs {
    #[command(flatten)]
    pub user: UserArgs,

    /// Let Auth0 email the link to this address instead of the user's own (implies
    /// --send-mail).
    #[arg(long, value_name = "ADDRESS")]
    pub email: Option<String>,

    /// Let Auth0 email the link (to the user's own address unless --email names another).
    #[arg(long)]
    pub send_mail: bool,

    /// Language of that email, e.g. fr (with --send-mail or --email).
    #[arg(long, value_name = "LOCALE", requires = "mail")]
    pub email_locale: Option<String>,

    /// The factor the user must enroll (Universal Login only).
    #[arg(long, value_name = "FACTOR", value_parser = PossibleValuesParser::new(TICKET_FACTORS))]
    pub factor: Option<String>,

    /// Let a user who already enrolled add another factor (Universal Login only).
    #[arg(long)]
    pub allow_multiple_enrollments: bool,

    /// How to print the result.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

impl TicketArgs {
    /// Whether Auth0 emails the link: `--send-mail`, or an address given with `--email`.
    pub fn sends_mail(&self) -> bool {
        self.send_mail || self.email.is_some()
    }
}
