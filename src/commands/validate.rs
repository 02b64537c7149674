//! `mfactl validate`: check config files offline.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::{DiagnosticFormat, ValidateArgs};
use crate::config::diagnostic::{JsonDiagnostic, render_all, summary};
use crate::config::{Loaded, load_bytes};
use crate::error::{CommandError, CommandResult};
use crate::scrub;
use crate::terminal::Colors;

/// Checks each file on its own, in the order given: diagnostics on stderr and a one-line
/// verdict per file on stdout (with `--format json`, one JSON document per file on stdout).
/// Exit 0 when every file is valid, 1 when any is not (or cannot be read).
pub fn run(args: &ValidateArgs, colors: Colors) -> CommandResult {
    if args.fleet.is_used() {
        return crate::commands::fleet::validate::run(args, colors);
    }
    let mut all_valid = true;
    for path in args.paths() {
        all_valid &= validate_file(path, args, colors);
    }
    Ok(if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Whether the file is valid; prints its diagnostics and verdict.
fn validate_file(path: &Path, args: &ValidateArgs, colors: Colors) -> bool {
    let name = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            scrub::eprint(&format!("error: {}\n", CommandError::read(path, e)));
            return false;
        }
    };
    let env = |key: &str| std::env::var(key).ok();
    let loaded = if args.no_env {
        load_bytes(&name, &bytes, None)
    } else {
        load_bytes(&name, &bytes, Some(&env))
    };
    scrub::register_all(&loaded.secrets);
    match args.format {
        DiagnosticFormat::Human => print_human(&loaded, args.strict, colors),
        DiagnosticFormat::Json => print_json(&loaded, args.strict),
    }
    loaded.is_usable(args.strict)
}

fn print_human(loaded: &Loaded, strict: bool, colors: Colors) {
    let diagnostics = loaded.effective_diagnostics(strict);
    let rendered = render_all(&diagnostics, &loaded.source, colors.stderr);
    let (details, verdict) = match rendered.trim_end().rsplit_once('\n') {
        Some((details, verdict)) => (format!("{details}\n"), verdict.to_string()),
        None => (String::new(), summary(&diagnostics, &loaded.source)),
    };
    scrub::eprint(&details);
    scrub::print(&format!("{verdict}\n"));
}

fn print_json(loaded: &Loaded, strict: bool) {
    let diagnostics = loaded.effective_diagnostics(strict);
    let items: Vec<JsonDiagnostic<'_>> = diagnostics
        .iter()
        .map(|d| JsonDiagnostic::new(d, &loaded.source))
        .collect();
    let document = serde_json::json!({
        "file": loaded.source.name,
        "valid": loaded.is_usable(strict),
        "diagnostics": items,
    });
    match serde_json::to_string_pretty(&document) {
        Ok(text) => scrub::print(&format!("{text}\n")),
        Err(e) => scrub::eprint(&format!("error: cannot write JSON: {e}\n")),
    }
}
