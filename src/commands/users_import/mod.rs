//! `mfactl users import FILE`: adds the methods a file lists to existing users, paced at the
//! tenant's rate limit, resumable after a kill, and never showing a secret or an unmasked
//! phone number or email.
//!
//! 1. Every row is checked offline first (E.164 numbers, un-padded base32 secrets, email
//!    syntax, duplicates within the file, unknown columns); any bad row stops the import
//!    before anything is sent, with every bad row listed by line. `--dry-run` stops there.
//! 2. The journal ([`journal`]) is opened or resumed.
//! 3. The rows are streamed again and sent ([`crate::api::import`]), with progress on stderr
//!    ([`progress`]) and failed rows in `--report` ([`report`]).
//! 4. A summary on stdout: done, already present, failed, skipped. Exit 1 if any row failed.
//!    After SIGINT or SIGTERM ([`interrupt`]): no row starts, the rows in flight end and are
//!    recorded, the summary is printed with how to resume, and the exit status is 130 or 143.

mod input;
mod interrupt;
mod journal;
mod paths;
mod progress;
mod report;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use crate::api::import::{ImportItem, Outcome, import};
use crate::cli::users::ImportArgs;
use crate::commands::target::{connect, runtime};
use crate::error::{CommandError, CommandResult};
use crate::resource::UserEndpoint;
use crate::scrub;
use crate::users::import::Duplicates;
use crate::users::method::MethodKind;
use crate::users::user_ref::UserRef;

use input::{Row, format_of, open};
use interrupt::Interrupt;
use journal::{JournalFile, State, default_path, file_sha256};
use progress::{Counts, Progress};
use report::Report;

/// What the offline check of a file found.
struct Checked {
    rows: u64,
    bad_rows: u64,
    /// Problems of the file that are no row's (a CSV header's unknown columns).
    file_problems: u64,
    /// Any row names its user by email (the import then needs `read:users`).
    by_email: bool,
    /// How many rows of each type.
    kinds: Vec<(&'static str, u64)>,
}

/// Exit 0 when every row is done or present (or, with `--dry-run`, valid); 1 otherwise.
pub fn run(args: &ImportArgs) -> CommandResult {
    let path = args.file.as_path();
    let name = path.display().to_string();
    let journal_path = args.journal.clone().unwrap_or_else(|| default_path(path));
    paths::check_distinct(path, &journal_path, args.report.as_deref())?;
    let format = format_of(path, args.format)?;
    let checked = check(path, &name, format)?;
    if checked.bad_rows > 0 || checked.file_problems > 0 {
        let noun = if checked.rows == 1 { "row" } else { "rows" };
        let verb = if checked.bad_rows == 1 { "is" } else { "are" };
        let header = match checked.file_problems {
            0 => String::new(),
            n => format!(" and the header has {n} problem(s)"),
        };
        return Err(CommandError::Refused(format!(
            "{name}: {} of {} {noun} {verb} bad{header} (listed above); nothing was sent. Fix them and run the command again",
            checked.bad_rows, checked.rows
        )));
    }
    let kinds: Vec<String> = checked
        .kinds
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    if args.dry_run {
        let (noun, all) = if checked.rows == 1 {
            ("row", "valid")
        } else {
            ("rows", "all valid")
        };
        scrub::print(&format!(
            "{name}: {} {noun}, {all} ({}); nothing was sent.\n",
            checked.rows,
            kinds.join(", ")
        ));
        return Ok(ExitCode::SUCCESS);
    }
    let input_sha256 = file_sha256(path)?;
    let (journal, states) = JournalFile::open(&journal_path, &input_sha256, checked.rows)?;
    let report = args.report.as_deref().map(Report::create).transpose()?;
    let progress = Progress::new(checked.rows, Duration::from_secs(args.progress_every));
    let runtime = runtime()?;
    let interrupt = Interrupt::default();
    let counts = runtime.block_on(async {
        let target = connect(&args.target).await?;
        let mut needed: BTreeSet<String> = [UserEndpoint::CreateMethod, UserEndpoint::ListMethods]
            .iter()
            .map(|e| e.scope().to_owned())
            .collect();
        if checked.by_email {
            needed.insert(UserEndpoint::UsersByEmail.scope().to_owned());
        }
        target.client.check_scopes(&needed).await?;
        let opened = open(path, format)?;
        let mut items = opened.rows.map_while(Result::ok).filter_map(|row: Row| {
            let import = row.checked.ok()?;
            let state = states.get(&row.row).copied();
            if matches!(state, Some(State::Done | State::Present)) {
                progress.add(|c| c.skipped += 1);
                return None;
            }
            Some(ImportItem {
                row: row.row,
                line: row.line,
                import,
                check_first: state.is_some(),
            })
        });
        let done = |item: &ImportItem, outcome: &Outcome| match outcome {
            Outcome::Done => progress.add(|c| c.done += 1),
            Outcome::AlreadyPresent => progress.add(|c| c.present += 1),
            Outcome::Failed(reason) => {
                progress.add(|c| c.failed += 1);
                if let Some(report) = &report {
                    report.failed(item, reason);
                }
            }
        };
        interrupt.listen();
        let stop = || interrupt.received().is_some();
        import(&target.client, &mut items, &journal, &done, &stop)
            .await
            .map_err(CommandError::Other)?;
        progress.finish();
        Ok::<Counts, CommandError>(progress.counts())
    });
    progress.finish();
    let counts = counts?;
    scrub::print(&format!(
        "Imported {name} into {}: {} (skipped: done in an earlier run).\n",
        args_target(args),
        counts.line()
    ));
    if let Some(report) = &report {
        scrub::eprint(&format!(
            "Wrote {} failed row(s) to {}.\n",
            counts.failed,
            report.path().display()
        ));
    }
    if let Some(signal) = interrupt.received() {
        let left = checked.rows.saturating_sub(counts.total());
        scrub::eprint(&format!(
            "Interrupted by {}: the rows in flight were finished and recorded; {left} row(s) not sent yet. Run the same command again to resume: the journal {} skips the rows done.\n",
            signal.name(),
            journal_path.display()
        ));
        return Ok(ExitCode::from(signal.exit_code()));
    }
    if counts.failed > 0 {
        return Err(CommandError::Refused(format!(
            "{} row(s) failed{}. Run the same command again to retry them: the journal {} skips the rows done",
            counts.failed,
            args.report
                .as_ref()
                .map(|r| format!(" (see {})", r.display()))
                .unwrap_or_default(),
            journal_path.display()
        )));
    }
    Ok(ExitCode::SUCCESS)
}

/// How the summary names the tenant.
fn args_target(args: &ImportArgs) -> String {
    if args.target.emulator {
        "the built-in emulator".to_owned()
    } else {
        std::env::var("AUTH0_DOMAIN")
            .map(|d| {
                d.trim_start_matches("https://")
                    .trim_start_matches("http://")
                    .to_owned()
            })
            .unwrap_or_default()
    }
}

/// Checks every row offline, printing each problem on stderr as `FILE:LINE: problem`.
fn check(
    path: &Path,
    name: &str,
    format: crate::cli::users::ImportFormat,
) -> Result<Checked, CommandError> {
    let opened = open(path, format)?;
    let mut checked = Checked {
        rows: 0,
        bad_rows: 0,
        file_problems: 0,
        by_email: false,
        kinds: vec![("phone", 0), ("email", 0), ("totp", 0)],
    };
    for (line, problem) in &opened.header {
        scrub::eprint(&format!("{name}:{line}: {problem}\n"));
        checked.file_problems += 1;
    }
    let mut duplicates = Duplicates::default();
    for row in opened.rows {
        let row = row.map_err(|e| CommandError::Other(format!("{name}: {e}")))?;
        checked.rows += 1;
        let place = row.place(name);
        match &row.checked {
            Err(problems) => {
                checked.bad_rows += 1;
                for problem in problems {
                    scrub::eprint(&format!("{place}: {problem}\n"));
                }
            }
            Ok(import) => {
                if let Some(first) = duplicates.check(import, row.line) {
                    checked.bad_rows += 1;
                    scrub::eprint(&format!(
                        "{place}: the same method for the same user as line {first} ({}, {})\n",
                        import.shown_user(),
                        import.identity()
                    ));
                    continue;
                }
                checked.by_email |= matches!(import.user, UserRef::Email(_));
                let kind = match import.method.kind {
                    MethodKind::Phone { .. } => "phone",
                    MethodKind::Email { .. } => "email",
                    _ => "totp",
                };
                if let Some(count) = checked.kinds.iter_mut().find(|(k, _)| *k == kind) {
                    count.1 += 1;
                }
            }
        }
    }
    Ok(checked)
}
