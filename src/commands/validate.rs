//! `mfactl validate`: check a config file offline.

use std::process::ExitCode;

use crate::cli::{DiagnosticFormat, ValidateArgs};
use crate::config::diagnostic::{JsonDiagnostic, render_all, summary};
use crate::config::{Loaded, load_bytes};
use crate::error::{CommandError, CommandResult};
use crate::scrub;
use crate::terminal::Colors;

/// Reads and checks the file; prints diagnostics on stderr and a one-line verdict on stdout
/// (with `--format json`, one JSON document on stdout). Exit 0 when valid, 1 otherwise.
pub fn run(args: &ValidateArgs, colors: Colors) -> CommandResult {
    let path = &args.config.config;
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| CommandError::read(path, e))?;
    let env = |key: &str| std::env::var(key).ok();
    let loaded = if args.no_env {
        load_bytes(&name, &bytes, None)
    } else {
        load_bytes(&name, &bytes, Some(&env))
    };
    if let Some(config) = &loaded.config {
        scrub::register_all(config.state.secrets());
    }
    let strict = args.config.strict;
    match args.format {
        DiagnosticFormat::Human => print_human(&loaded, strict, colors),
        DiagnosticFormat::Json => print_json(&loaded, strict),
    }
    Ok(if loaded.is_usable(strict) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
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
